// Run the built CLI (the bundle package.json's bin names, or the fresh test build) as a CI job
// would: argv and a minimal environment in (nothing inherited but PATH and HOME), exit code,
// stdout, stderr and the --json document out. The DNS lookup hook is loaded, as for runAction.
import { bundlePath } from './bundles.mjs'
import { LOOKUP_HOOK } from './run-action.mjs'
import { spawnTimed } from './spawn.mjs'
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * @param {import('./run-cli.d.mts').RunCliOptions} [options]
 * @returns {Promise<import('./run-cli.d.mts').CliResult>}
 */
export async function runCli(options = {}) {
  const {
    args = [],
    env = {},
    stdin,
    node = process.execPath,
    entry = bundlePath('cli'),
    command,
    lookups = {},
    timeoutMs = 60_000
  } = options
  const temp = mkdtempSync(join(tmpdir(), 'jira-auth-check-cli-'))
  try {
    const lookupLog = join(temp, 'lookups.log')
    /** @type {Record<string, string>} */
    const childEnv = {}
    if (process.env.PATH !== undefined) childEnv.PATH = process.env.PATH
    childEnv.HOME = process.env.HOME ?? temp
    childEnv.JAC_LOOKUP_HOOK = JSON.stringify(lookups)
    childEnv.JAC_LOOKUP_LOG = lookupLog
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[name]
      else childEnv[name] = value
    }
    // An installed command runs by its shebang; NODE_OPTIONS still loads the lookup hook into it.
    if (command) childEnv.NODE_OPTIONS = `--require ${LOOKUP_HOOK}`
    const [file, argv] = command
      ? [command, args]
      : [node, ['--require', LOOKUP_HOOK, entry, ...args]]
    const result = await spawnTimed(file, argv, {
      env: childEnv,
      cwd: temp,
      timeoutMs,
      stdin
    })
    /** @type {any} */
    let json
    if (args.includes('--json')) {
      try {
        json = JSON.parse(result.stdout)
      } catch {
        json = undefined
      }
    }
    return {
      ...result,
      json,
      lookups: existsSync(lookupLog)
        ? readFileSync(lookupLog, 'utf8').split('\n').filter(Boolean)
        : []
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
