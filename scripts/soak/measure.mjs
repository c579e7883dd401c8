// The soak, as plain data: `runs` consecutive runs of the action's bundle (Node 24, runner rules,
// test-support/run-action.mjs) against the Jira stand-ins, each scenario drawn from a mulberry32
// PRNG with a fixed seed, each run checked field by field (exit code, `status`, `error-code`, wall
// time, own exit), and the requirements judged on those fields. Rendering is scripts/soak/render.mjs.
import { readFileSync, rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import { runInNewContext } from 'node:vm'
import { closedPort } from '../../test-support/net.mjs'
import { runAction } from '../../test-support/run-action.mjs'
import { startStandin } from '../../test-support/standin/index.mjs'
import { UsageError } from '../lib/cli.mjs'
import { median, mulberry32, weightedPicker } from '../lib/stats.mjs'
import { machine, rel, repoRoot } from '../lib/project.mjs'
import { soakScenarios } from './scenarios.mjs'

export const DEFAULT_SEED = 20261129
export const DEFAULT_RUNS = 300
export const MIN_RUNS = 300
const GRACE_MS = 2000 // a run may take at most timeout-seconds + 2 s, start-up included
const GUARD_EXTRA_MS = 5000 // runAction's SIGKILL guard: limit + this; a kill is a failure
const RSS_GROWTH_LIMIT = 1.1 // last-50 median peak RSS ≤ 1.1 × first-50 median
const HEAP_GROWTH_LIMIT_MIB = 10 // the soak process (stand-ins) heap after GC, end vs start
const RSS_HOOK = join(repoRoot, 'scripts', 'soak', 'rss-hook.mjs')
const MiB = 2 ** 20

/**
 * @typedef {object} SoakConfig
 * @property {number} runs
 * @property {number} seed
 * @property {string} node24
 * @property {{ path: string }} entry
 * @property {string[]} errorCodes the codes an `error-code` output may hold
 * @property {(line: string) => void} log
 * @property {(scenario: { name: string }) => boolean} [only] draw from these scenarios alone (tests)
 *
 * @typedef {object} RunRecord
 * @property {number} i
 * @property {string} scenario
 * @property {number | null} exitCode
 * @property {string | null} signal
 * @property {string} status
 * @property {string} errorCode
 * @property {number} ms
 * @property {number} limitMs
 * @property {number | undefined} rssKiB
 * @property {{ exitCode: boolean, status: boolean, errorCode: boolean, knownCode: boolean,
 *   inTime: boolean, ownExit: boolean, prepared: boolean }} checks
 * @property {string[]} reasons
 */

/** @param {number[]} values */
const finite = (values) => values.filter(Number.isFinite)

/**
 * @param {SoakConfig} config
 */
export async function runSoak({ runs, seed, node24, entry, errorCodes, log, only }) {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const info = machine()
  const knownCodes = new Set(errorCodes)
  v8.setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc')
  const scratch = mkdtempSync(join(tmpdir(), 'jira-auth-check-soak-'))
  const rssFile = join(scratch, 'child-rss')

  const dc = await startStandin()
  const cloud = await startStandin({ platform: 'cloud' })
  /** @type {RunRecord[]} */
  const records = []
  /** @type {NodeJS.MemoryUsage | undefined} */
  let heapBefore
  /** @type {ReturnType<typeof soakScenarios>} */
  let scenarios
  try {
    const tokens = {
      pat: dc.mintPat({ name: 'soak-token', expiresInDays: 90 }),
      expiredPat: dc.mintPat({ name: 'soak-expired', expiresInDays: -1 }),
      revokedPat: dc.mintPat({ name: 'soak-revoked', revoked: true }),
      soonPat: dc.mintPat({ name: 'soak-soon', expiresInDays: 2 }),
      apiToken: cloud.mintApiToken({ email: 'ci-bot@example.com' })
    }
    const caEnv = { NODE_EXTRA_CA_CERTS: dc.caPath }
    /** @param {Record<string, string>} inputs */
    const runOnce = async (inputs) => {
      const r = await runAction({
        node: node24,
        entry: entry.path,
        inputs,
        env: caEnv,
        timeoutMs: 20_000
      })
      return { errorCode: r.outputs['error-code'] ?? '' }
    }
    const world = { dc, cloud, tokens, refusedPort: await closedPort(), runOnce }
    scenarios = soakScenarios(world).filter((s) => !only || only(s))
    if (scenarios.length === 0)
      throw new UsageError('--scenario: no soak scenario has that in its name')
    for (const s of scenarios) {
      if (s.expect.errorCode && !knownCodes.has(s.expect.errorCode)) {
        throw new Error(
          `scenario ${JSON.stringify(s.name)} expects ${s.expect.errorCode}, which docs/troubleshooting.md does not list`
        )
      }
    }
    const pick = weightedPicker(scenarios, mulberry32(seed))
    const standins = { dc, cloud }

    gc()
    heapBefore = process.memoryUsage()
    log(
      `soak: ${runs} runs, seed ${seed}, ${scenarios.length} scenarios; Node 24 ${info.node24?.version}; ${rel(entry.path)}`
    )
    for (let i = 0; i < runs; i++) {
      const s = pick()
      dc.reset()
      cloud.reset()
      const standin = s.on ? standins[s.on] : undefined
      if (standin && (s.set || s.fault))
        standin.set({ ...(s.set ?? {}), ...(s.fault ? { fault: s.fault } : {}) })
      const timeoutS = s.timeoutS ?? 3
      const limitMs = timeoutS * 1000 + (s.graceMs ?? GRACE_MS)
      /** @type {string[]} */
      const reasons = []
      let prepared = true
      try {
        await s.before?.(world)
      } catch (error) {
        prepared = false
        reasons.push(`set-up failed: ${/** @type {Error} */ (error).message}`)
      }
      rmSync(rssFile, { force: true })
      const nodeArgs = ['--import', RSS_HOOK]
      /** @type {Record<string, string>} */
      const env = { ...caEnv, SOAK_RSS_FILE: rssFile }
      const r = await runAction({
        node: node24,
        nodeArgs,
        entry: entry.path,
        inputs: {
          domain: s.domain ?? /** @type {NonNullable<typeof standin>} */ (standin).url,
          'timeout-seconds': String(timeoutS),
          ...s.inputs
        },
        env,
        // runAction loads the lookup hook into every run; its table comes from here, not from env.
        lookups: s.lookup ?? {},
        timeoutMs: limitMs + GUARD_EXTRA_MS
      })
      /** @type {number | undefined} */
      let rssKiB
      try {
        rssKiB = Number(readFileSync(rssFile, 'utf8'))
      } catch {
        rssKiB = undefined
      }
      const errorCode = r.outputs['error-code'] ?? ''
      const status = r.outputs.status ?? ''
      const checks = {
        prepared,
        exitCode: r.exitCode === s.expect.exitCode,
        status: status === s.expect.status,
        errorCode: errorCode === (s.expect.errorCode ?? ''),
        knownCode: errorCode === '' || knownCodes.has(errorCode),
        inTime: r.durationMs <= limitMs,
        ownExit: r.signal === null
      }
      if (!checks.ownExit) reasons.push(`killed by ${r.signal}`)
      if (!checks.exitCode) reasons.push(`exit ${r.exitCode}, expected ${s.expect.exitCode}`)
      if (!checks.status)
        reasons.push(
          `status ${JSON.stringify(status)}, expected ${JSON.stringify(s.expect.status)}`
        )
      if (!checks.knownCode) reasons.push(`unknown error-code ${JSON.stringify(errorCode)}`)
      if (!checks.errorCode)
        reasons.push(
          `error-code ${JSON.stringify(errorCode)}, expected ${JSON.stringify(s.expect.errorCode ?? '')}`
        )
      if (!checks.inTime) reasons.push(`${Math.round(r.durationMs)} ms > ${limitMs} ms`)
      records.push({
        i,
        scenario: s.name,
        exitCode: r.exitCode,
        signal: r.signal,
        status,
        errorCode,
        ms: Math.round(r.durationMs * 10) / 10,
        limitMs,
        rssKiB,
        checks,
        reasons
      })
      if (reasons.length > 0) log(`run ${i} (${s.name}): ${reasons.join('; ')}`)
      if ((i + 1) % 50 === 0)
        log(`  ${i + 1}/${runs} runs, ${Math.round((performance.now() - started) / 1000)} s`)
    }
  } finally {
    await dc.close()
    await cloud.close()
    rmSync(scratch, { recursive: true, force: true })
  }
  await new Promise((resolveWait) => setTimeout(resolveWait, 200))
  gc()
  const heapAfter = process.memoryUsage()

  return {
    tool: 'npm run soak',
    schema: 1,
    startedAt,
    durationS: (performance.now() - started) / 1000,
    seed,
    runs,
    machine: info,
    harnessNode: process.version,
    entry: rel(entry.path),
    limits: {
      graceMs: GRACE_MS,
      guardExtraMs: GUARD_EXTRA_MS,
      rssGrowth: RSS_GROWTH_LIMIT,
      heapGrowthMiB: HEAP_GROWTH_LIMIT_MIB
    },
    scenarios: scenarios.map((s) => ({
      name: s.name,
      weight: s.weight,
      expect: s.expect,
      timeoutS: s.timeoutS ?? 3,
      limitMs: (s.timeoutS ?? 3) * 1000 + (s.graceMs ?? GRACE_MS),
      ...(s.why ? { why: s.why } : {}),
      lookupHook: Boolean(s.lookup)
    })),
    records,
    heap: {
      beforeMiB: (heapBefore?.heapUsed ?? NaN) / MiB,
      afterMiB: heapAfter.heapUsed / MiB,
      rssBeforeMiB: (heapBefore?.rss ?? NaN) / MiB,
      rssAfterMiB: heapAfter.rss / MiB
    },
    requirements: judge(records, runs, heapBefore, heapAfter)
  }
}

/**
 * The requirements, each from the structured checks of every run.
 * @param {RunRecord[]} records
 * @param {number} requested
 * @param {NodeJS.MemoryUsage | undefined} heapBefore
 * @param {NodeJS.MemoryUsage} heapAfter
 */
function judge(records, requested, heapBefore, heapAfter) {
  const count = (/** @type {(r: RunRecord) => boolean} */ test) => records.filter(test).length
  const n = records.length
  const classified = count(
    (r) =>
      r.checks.prepared &&
      r.checks.exitCode &&
      r.checks.status &&
      r.checks.errorCode &&
      r.checks.knownCode
  )
  const inTime = count((r) => r.checks.inTime)
  const kills = count((r) => !r.checks.ownExit)
  const window = Math.min(50, Math.floor(n / 2))
  const rssOf = (/** @type {RunRecord[]} */ list) =>
    finite(list.map((r) => /** @type {number} */ (r.rssKiB)))
  const firstRss = median(rssOf(records.slice(0, window)))
  const lastRss = median(rssOf(records.slice(n - window)))
  const recorded = rssOf(records).length
  const maxRss = recorded ? Math.max(...rssOf(records)) : NaN
  const worstPast = Math.max(...records.map((r) => r.ms - r.limitMs))
  const heapGrowthMiB = heapBefore ? (heapAfter.heapUsed - heapBefore.heapUsed) / MiB : NaN
  /** @param {boolean} pass */
  const status = (pass) => (pass ? 'pass' : 'fail')
  return [
    {
      id: 'runs',
      label: `at least ${MIN_RUNS} runs`,
      status: requested < MIN_RUNS ? 'skipped' : status(n >= MIN_RUNS),
      figure: requested < MIN_RUNS ? `${n} (--runs ${requested})` : `${n}`
    },
    {
      id: 'classified',
      label: 'every run classified as expected (exit code, `status`, known `error-code`)',
      status: status(n > 0 && classified === n),
      figure: `${classified}/${n}`
    },
    {
      id: 'in-time',
      label: 'no run ends later than its limit (timeout-seconds + 2 s, start-up included)',
      status: status(n > 0 && inTime === n),
      figure: `${inTime}/${n}; closest to its limit: ${Math.abs(Math.round(worstPast))} ms ${worstPast <= 0 ? 'before' : 'past'} it`
    },
    {
      id: 'own-exit',
      label: 'every process exits on its own (the SIGKILL guard never fires)',
      status: status(kills === 0),
      figure: `${kills} kills`
    },
    {
      id: 'rss-flat',
      label: `child peak RSS flat (last-${window} median ≤ ${RSS_GROWTH_LIMIT}× first-${window} median)`,
      status: status(recorded === n && n > 0 && lastRss <= firstRss * RSS_GROWTH_LIMIT),
      figure: `first ${window} ${(firstRss / 1024).toFixed(1)} MiB, last ${window} ${(lastRss / 1024).toFixed(1)} MiB, max ${(maxRss / 1024).toFixed(1)} MiB (${recorded}/${n} recorded)`
    },
    {
      id: 'heap',
      label: `the soak process's heap (the stand-ins) after GC grows ≤ ${HEAP_GROWTH_LIMIT_MIB} MiB`,
      status: status(heapGrowthMiB <= HEAP_GROWTH_LIMIT_MIB),
      figure: `${heapGrowthMiB >= 0 ? '+' : ''}${heapGrowthMiB.toFixed(1)} MiB`
    }
  ]
}
