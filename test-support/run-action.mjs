// Run the built action (the bundle action.yml names, or the fresh test build) the way the GitHub runner does:
// INPUT_* from action.yml (declared defaults applied), GITHUB_* command files, a minimal env,
// workflow commands parsed from stdout. The child is spawned, timed and collected by ./spawn.mjs,
// the same helper `npm run bench` and `npm run soak` use.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import { bundlePath } from './bundles.mjs'
import { spawnTimed } from './spawn.mjs'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** The DNS lookup hook: loaded into every run unless `realDns` is set (see lookup-hook.cjs). */
export const LOOKUP_HOOK = join(repoRoot, 'test-support', 'lookup-hook.cjs')

/** Inputs declared in action.yml with their defaults. */
export function readActionInputs(actionYmlPath = join(repoRoot, 'action.yml')) {
  const doc = YAML.parse(readFileSync(actionYmlPath, 'utf8')) ?? {}
  /** @type {Record<string, string | undefined>} */
  const inputs = {}
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    const value = /** @type {{ default?: unknown } | null | undefined} */ (spec)?.default
    inputs[name] = value === undefined || value === null ? undefined : String(value)
  }
  return inputs
}

/** The runner's name mapping (@actions/core getInput): spaces → '_', upper-cased, hyphens kept. */
export function inputEnvName(/** @type {string} */ name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * The environment the runner gives a JavaScript action, in `dir`: empty GITHUB_* command files, a
 * workspace and RUNNER_TEMP, INPUT_* for every declared input (given value or action.yml default,
 * plus undeclared `with:` keys, which the runner passes too), a minimal parent env (PATH, HOME), then
 * `env` on top (undefined removes a variable). Shared with scripts/bench so both start it alike.
 * @param {{ dir: string, inputs?: Record<string, string | undefined>, env?: Record<string, string | undefined>, actionYml?: string }} options
 */
export function runnerEnvironment({
  dir,
  inputs = {},
  env = {},
  actionYml = join(repoRoot, 'action.yml')
}) {
  const files = {
    GITHUB_OUTPUT: join(dir, 'github_output'),
    GITHUB_STEP_SUMMARY: join(dir, 'step_summary'),
    GITHUB_ENV: join(dir, 'github_env'),
    GITHUB_PATH: join(dir, 'github_path'),
    GITHUB_STATE: join(dir, 'github_state')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const runnerTemp = join(dir, 'runner_temp')
  const workspace = join(dir, 'workspace')
  mkdirSync(runnerTemp)
  mkdirSync(workspace)

  /** @type {Record<string, string>} */
  const childEnv = {}
  if (process.env.PATH !== undefined) childEnv.PATH = process.env.PATH
  childEnv.HOME = process.env.HOME ?? dir
  Object.assign(childEnv, {
    ...files,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION: 'jira-auth-check',
    GITHUB_ACTION_PATH: repoRoot,
    GITHUB_REPOSITORY: 'acme/pipeline',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com'
  })
  const declared = readActionInputs(actionYml)
  for (const [name, value] of Object.entries(declared)) {
    const given = inputs[name]
    const chosen = given !== undefined ? given : value
    if (chosen !== undefined) childEnv[inputEnvName(name)] = chosen
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (!(name in declared) && value !== undefined) childEnv[inputEnvName(name)] = value
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name]
    else childEnv[name] = value
  }
  return { env: childEnv, files, workspace }
}

/**
 * @param {import('./run-action.d.mts').RunActionOptions} [options]
 * @returns {Promise<import('./run-action.d.mts').ActionResult>}
 */
export async function runAction(options = {}) {
  const {
    inputs = {},
    env = {},
    node = process.execPath,
    nodeArgs = [],
    entry = bundlePath('action'),
    actionYml = join(repoRoot, 'action.yml'),
    timeoutMs = 120_000,
    lookups = {},
    realDns = false
  } = options

  // The table is this function's to set (below): one passed in env would be overwritten unseen.
  if ('JAC_LOOKUP_HOOK' in env) {
    throw new Error('runAction: pass the lookup table as `lookups`, not as env.JAC_LOOKUP_HOOK')
  }
  const temp = mkdtempSync(join(tmpdir(), 'jira-auth-check-run-'))
  try {
    const {
      env: childEnv,
      files,
      workspace
    } = runnerEnvironment({ dir: temp, inputs, env, actionYml })
    const lookupLog = join(temp, 'lookups.log')
    if (!realDns) {
      childEnv.JAC_LOOKUP_HOOK = JSON.stringify(lookups)
      childEnv.JAC_LOOKUP_LOG = lookupLog
    }

    const hook = realDns ? [] : ['--require', LOOKUP_HOOK]
    const { durationMs, exitCode, signal, stdout, stderr } = await spawnTimed(
      node,
      [...hook, ...nodeArgs, entry],
      { cwd: workspace, env: childEnv, timeoutMs }
    )
    const commands = parseWorkflowCommands(stdout)
    return {
      exitCode,
      signal,
      durationMs,
      stdout,
      stderr,
      outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      githubEnv: readFileSync(files.GITHUB_ENV, 'utf8'),
      githubState: readFileSync(files.GITHUB_STATE, 'utf8'),
      annotations: commands.annotations,
      maskedValues: commands.maskedValues,
      commands: commands.all,
      lookups: existsSync(lookupLog)
        ? readFileSync(lookupLog, 'utf8').split('\n').filter(Boolean)
        : []
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

/**
 * Parse a GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE file: `name<<DELIM\nvalue\nDELIM` blocks and
 * legacy `name=value` lines.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseFileCommand(text) {
  /** @type {Record<string, string>} */
  const result = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    const eq = line.indexOf('=')
    if (heredoc && (eq < 0 || heredoc.index + heredoc[1].length < eq)) {
      const [, name, delimiter] = heredoc
      /** @type {string[]} */
      const value = []
      let j = i + 1
      while (j < lines.length && lines[j] !== delimiter) value.push(lines[j++])
      if (j >= lines.length) throw new Error(`Matching delimiter not found '${delimiter}'`)
      result[name] = value.join('\n')
      i = j
    } else if (eq > 0) {
      result[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`Invalid file command line: ${JSON.stringify(line)}`)
    }
  }
  return result
}

/** Runner unescaping of a command property value. */
export function unescapeProperty(/** @type {string} */ s) {
  return s.replace(
    /%(25|0D|0A|3A|2C)/g,
    (_m, code) =>
      ({ 25: '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' })[/** @type {'25'} */ (code)]
  )
}

/** Runner unescaping of a command message. */
export function unescapeData(/** @type {string} */ s) {
  return s.replace(
    /%(25|0D|0A)/g,
    (_m, code) => ({ 25: '%', '0D': '\r', '0A': '\n' })[/** @type {'25'} */ (code)]
  )
}

const ANNOTATION_LEVELS = new Set(['error', 'warning', 'notice', 'debug'])

/**
 * Parse `::command key=value,...::message` lines as the runner does (including ::stop-commands::).
 * @param {string} stdout
 */
export function parseWorkflowCommands(stdout) {
  /** @type {import('./run-action.d.mts').WorkflowCommand[]} */
  const all = []
  /** @type {import('./run-action.d.mts').Annotation[]} */
  const annotations = []
  /** @type {string[]} */
  const maskedValues = []
  /** @type {string | undefined} */
  let stopToken
  for (const rawLine of stdout.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine
    const trimmed = line.trimStart()
    if (!trimmed.startsWith('::')) continue
    const end = trimmed.indexOf('::', 2)
    if (end < 0) continue
    const head = trimmed.slice(2, end)
    const rawMessage = trimmed.slice(end + 2)
    if (stopToken !== undefined) {
      if (head === stopToken) stopToken = undefined
      continue
    }
    const space = head.indexOf(' ')
    const command = (space < 0 ? head : head.slice(0, space)).toLowerCase()
    /** @type {Record<string, string>} */
    const properties = {}
    if (space >= 0) {
      for (const pair of head.slice(space + 1).split(',')) {
        const eq = pair.indexOf('=')
        if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1))
      }
    }
    const message = unescapeData(rawMessage)
    all.push({ command, properties, message })
    if (command === 'stop-commands') {
      stopToken = message
    } else if (command === 'add-mask') {
      maskedValues.push(message)
    } else if (ANNOTATION_LEVELS.has(command)) {
      /** @type {import('./run-action.d.mts').Annotation} */
      const annotation = {
        level: /** @type {import('./run-action.d.mts').AnnotationLevel} */ (command),
        message
      }
      if (properties.title !== undefined) annotation.title = properties.title
      const rest = Object.fromEntries(Object.entries(properties).filter(([k]) => k !== 'title'))
      if (Object.keys(rest).length > 0) annotation.properties = rest
      annotations.push(annotation)
    }
  }
  return { all, annotations, maskedValues }
}

/**
 * Where does a secret appear outside `::add-mask::` lines?
 * @param {import('./run-action.d.mts').ActionResult} result
 * @param {string[]} secrets
 * @returns {import('./run-action.d.mts').Leak[]}
 */
export function findLeaks(result, secrets) {
  const stdoutWithoutMasks = result.stdout
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('::add-mask::'))
    .join('\n')
  /** @type {Array<[import('./run-action.d.mts').Leak['channel'], string]>} */
  const channels = [
    ['stdout', stdoutWithoutMasks],
    ['stderr', result.stderr],
    [
      'outputs',
      Object.entries(result.outputs)
        .map(([k, v]) => `${k}\n${v}`)
        .join('\n')
    ],
    ['summary', result.summary],
    ['githubEnv', result.githubEnv]
  ]
  /** @type {import('./run-action.d.mts').Leak[]} */
  const leaks = []
  secrets.forEach((secret, secretIndex) => {
    if (!secret) return
    for (const [channel, text] of channels)
      if (text.includes(secret)) leaks.push({ secretIndex, channel })
  })
  return leaks
}

/** A delimiter in the format @actions/core uses, for tests that write file commands by hand. */
export function makeDelimiter() {
  return `ghadelimiter_${randomUUID()}`
}
