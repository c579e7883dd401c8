// How `npm run bench` runs things: the action under the runner's rules (INPUT_* with action.yml
// defaults, GITHUB_* command files, a minimal env; test-support/run-action.mjs's
// runnerEnvironment), other commands as they are, every one through test-support/spawn.mjs, and
// tables of variants run interleaved: warm-up rounds first, then rounds of every variant, the
// starting variant rotating each round (A B C, B C A, …), so machine noise hits them alike and the
// i-th sample of each variant forms a pair. Every run is checked (exit code, outputs); a run that
// misbehaves is recorded as a problem and the bench goes on.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseFileCommand, runnerEnvironment } from '../../test-support/run-action.mjs'
import { spawnTimed } from '../../test-support/spawn.mjs'

/**
 * @typedef {import('../../test-support/spawn.d.mts').SpawnResult} SpawnResult
 * @typedef {SpawnResult & { outputs?: Record<string, string> }} RunResult
 * @typedef {(result: RunResult) => string | undefined} Check returns what went wrong, if anything
 * @typedef {{ id: string, label: string, command?: string, run: (options?: { rss?: boolean }) => Promise<RunResult> }} Variant
 */

/** @type {string | undefined} */
let scratch
function scratchDir() {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'jira-auth-check-bench-'))
    scratch = dir
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  }
  return scratch
}

/** Problems seen in runs (wrong exit code, wrong outputs, killed), for the report. */
export class Problems {
  /** @type {string[]} */
  list = []
  /**
   * @param {string} id
   * @param {RunResult} result
   * @param {Check} check
   */
  record(id, result, check) {
    const why = result.killed ? 'killed by the SIGKILL guard' : check(result)
    if (why) {
      const stderr = result.stderr.trim().split('\n').slice(-1)[0]?.slice(0, 160) ?? ''
      this.list.push(`${id}: ${why}${stderr ? ` (stderr: ${stderr})` : ''}`)
    }
  }
}

/**
 * The action under runner rules. The environment and command files are built once; each run
 * empties the files (outside the timed region) and reads GITHUB_OUTPUT afterwards.
 * @param {{ node: string, entry: string, inputs: Record<string, string>, env?: Record<string, string>,
 *   nodeArgs?: string[], timeoutMs?: number }} options
 */
export function actionCommand({
  node,
  entry,
  inputs,
  env = {},
  nodeArgs = [],
  timeoutMs = 60_000
}) {
  const dir = mkdtempSync(join(scratchDir(), 'run-'))
  const { env: childEnv, files, workspace } = runnerEnvironment({ dir, inputs, env })
  /** @param {{ rss?: boolean }} [options] */
  return async (options = {}) => {
    for (const file of Object.values(files)) writeFileSync(file, '')
    const result = await spawnTimed(node, [...nodeArgs, entry], {
      env: childEnv,
      cwd: workspace,
      timeoutMs,
      rss: options.rss
    })
    return { ...result, outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8')) }
  }
}

/**
 * Any other command, with exactly `env` (plus PATH and HOME).
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options]
 */
export function plainCommand(command, args, { env = {}, timeoutMs = 60_000 } = {}) {
  const childEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    ...env
  }
  /** @param {{ rss?: boolean }} [options] */
  return (options = {}) =>
    spawnTimed(command, args, { env: childEnv, cwd: scratchDir(), timeoutMs, rss: options.rss })
}

// ------------------------------------------------------------------------------ checks

/** @type {Check} */
export const exitsOk = (r) =>
  r.exitCode === 0 && r.outputs?.status === 'ok'
    ? undefined
    : `exit ${r.exitCode}, status ${JSON.stringify(r.outputs?.status)} (expected 0, "ok")`

/** @param {string} errorCode @returns {Check} */
export const failsWith = (errorCode) => (r) =>
  r.exitCode === 1 && r.outputs?.['error-code'] === errorCode
    ? undefined
    : `exit ${r.exitCode}, error-code ${JSON.stringify(r.outputs?.['error-code'])} (expected 1, ${errorCode})`

/** @param {string} text @returns {Check} */
export const printsAndExits0 = (text) => (r) =>
  r.exitCode === 0 && r.stdout.includes(text)
    ? undefined
    : `exit ${r.exitCode}, stdout ${r.stdout.includes(text) ? 'has' : 'lacks'} ${text}`

/** @type {Check} */
export const exits0 = (r) => (r.exitCode === 0 ? undefined : `exit ${r.exitCode} (expected 0)`)

/** @type {Check} */
export const printsJsonAndExits0 = (r) => {
  if (r.exitCode !== 0) return `exit ${r.exitCode} (expected 0)`
  try {
    JSON.parse(r.stdout)
    return undefined
  } catch {
    return 'stdout is not one JSON document'
  }
}

/** @type {Check} */
export const exitsNonZero = (r) => (r.exitCode !== 0 ? undefined : 'exit 0 (expected a failure)')

// ------------------------------------------------------------------------------ interleaving

/**
 * @template T
 * @param {T[]} list
 * @param {number} i
 */
export function rotate(list, i) {
  const k = i % list.length
  return [...list.slice(k), ...list.slice(0, k)]
}

/**
 * Run `variants` interleaved: `warmups` rounds (discarded), then `rounds` rounds, each variant
 * once per round in rotating order. Returns the durations (ms) per variant id, round by round.
 * @param {Variant[]} variants
 * @param {{ rounds: number, warmups: number, rss?: boolean, pick?: (r: RunResult) => number | undefined,
 *   onRound?: (round: number) => void }} options
 * @returns {Promise<Record<string, number[]>>}
 */
export async function interleave(variants, { rounds, warmups, rss = false, pick, onRound }) {
  const value = pick ?? ((/** @type {RunResult} */ r) => r.durationMs)
  for (let i = 0; i < warmups; i++) for (const v of variants) await v.run({ rss })
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(variants.map((v) => [v.id, []]))
  for (let i = 0; i < rounds; i++) {
    // Every variant gets a slot each round, so pairs stay aligned even if a value is missing.
    /** @type {Record<string, number>} */
    const round = {}
    for (const v of rotate(variants, i)) round[v.id] = value(await v.run({ rss })) ?? NaN
    for (const v of variants) samples[v.id].push(round[v.id])
    onRound?.(i)
  }
  return samples
}
