#!/usr/bin/env node
// `npm run soak`: ≥300 consecutive runs of dist/index.js (Node 24, runner rules) against the Jira
// stand-ins, each with a fault drawn from a seeded PRNG (mulberry32), each checked for its expected
// outcome. Requirements: every run ends classified as expected, within its deadline + 2 s, exits on
// its own (the SIGKILL guard never fires), child peak RSS stays flat and the stand-in's heap does not
// grow. Writes docs/soak.md (generated: do not edit by hand); exits 1 if a requirement fails.
// Options: --seed N (default 20261129), --runs N (default 300), --out PATH.
import https from 'node:https'
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import { runInNewContext } from 'node:vm'
import { runAction } from '../test-support/run-action.mjs'
import { closedPort } from '../test-support/net.mjs'
import { startStandin } from '../test-support/standin/index.mjs'
import {
  NODE24,
  argValue,
  fmt,
  machine,
  median,
  mulberry32,
  repoRoot,
  scratchDir
} from './bench/lib.mjs'

const seed = Number(argValue('seed', 20261129)) >>> 0
const runs = Number(argValue('runs', 300))
const outPath = argValue('out', join(repoRoot, 'docs', 'soak.md'))
const GRACE_MS = 2000 // a run may take at most timeout-seconds + 2 s, start-up included
const GUARD_EXTRA_MS = 5000 // runAction's SIGKILL guard: deadline + 2 s + this; a kill is a failure
const RSS_GROWTH_LIMIT = 1.1 // last-50 median peak RSS ≤ 1.1 × first-50 median
const HEAP_GROWTH_LIMIT_MIB = 10 // stand-in process heap, after GC, end vs start
// The error codes, read from their one definition (src/findings.ts) rather than copied here.
const KNOWN_CODES = new Set(
  [
    ...readFileSync(join(repoRoot, 'src', 'findings.ts'), 'utf8').matchAll(/^ {2}'([a-z-]+)',?$/gm)
  ].map((m) => m[1])
)
if (KNOWN_CODES.size < 20) throw new Error('could not read ERROR_CODES from src/findings.ts')

v8.setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')
const log = (line) => process.stdout.write(`${line}\n`)
const started = performance.now()
const info = machine()

// Each child writes its own peak RSS (getrusage maxRSS, KiB) at exit: no wrapper process, so a
// SIGKILL from the guard still hits the action itself.
const hook = join(scratchDir(), 'rss-hook.mjs')
writeFileSync(
  hook,
  "import { writeFileSync } from 'node:fs'\n" +
    'const file = process.env.SOAK_RSS_FILE\n' +
    "if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))\n"
)

const dc = await startStandin()
const cloud = await startStandin({ platform: 'cloud' })
const pat = dc.mintPat({ name: 'soak-token', expiresInDays: 90 })
const expiredPat = dc.mintPat({ name: 'soak-expired', expiresInDays: -1 })
const revokedPat = dc.mintPat({ name: 'soak-revoked', revoked: true })
const soonPat = dc.mintPat({ name: 'soak-soon', expiresInDays: 2 })
const apiToken = cloud.mintApiToken({ email: 'ci-bot@example.com' })
const refusedPort = await closedPort()
const basicDc = { username: 'ci-bot', token: 'correct-horse-battery' }
const basicCloud = { username: 'ci-bot@example.com', token: apiToken }
const everyProbe = {
  'token-name': 'soak-token',
  'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES',
  project: 'OPS',
  'expected-user': 'ci-bot'
}

/**
 * @typedef {{ name: string, weight: number, standin?: any, fault?: any, set?: any, domain?: string,
 *   inputs: Record<string, string>, timeoutS?: number, code: string, before?: () => Promise<void> }} Scenario
 */
/** @type {Scenario[]} code '' = success (exit 0, status ok). */
const scenarios = [
  { name: 'success (Bearer)', weight: 3, standin: dc, inputs: { token: pat }, code: '' },
  {
    name: 'success, every probe',
    weight: 2,
    standin: dc,
    inputs: { token: pat, ...everyProbe },
    code: ''
  },
  {
    name: 'expired PAT (401)',
    weight: 1,
    standin: dc,
    inputs: { token: expiredPat },
    code: 'unauthorized'
  },
  {
    name: 'revoked PAT (401)',
    weight: 1,
    standin: dc,
    inputs: { token: revokedPat },
    code: 'unauthorized'
  },
  {
    name: 'proxy strips Authorization',
    weight: 1,
    standin: dc,
    fault: { type: 'strip-authorization' },
    inputs: { token: pat },
    code: 'unauthorized'
  },
  {
    name: '429 then OK (Retry-After 1)',
    weight: 1,
    standin: dc,
    fault: { type: 'status', status: 429, retryAfter: 1, times: 1 },
    inputs: { token: pat },
    code: ''
  },
  {
    name: '503 twice then OK',
    weight: 1,
    standin: dc,
    fault: { type: 'status', status: 503, times: 2 },
    inputs: { token: pat },
    code: ''
  },
  {
    name: 'persistent 500',
    weight: 1,
    standin: dc,
    fault: { type: 'status', status: 500 },
    inputs: { token: pat },
    code: 'server-error'
  },
  {
    name: 'persistent 502',
    weight: 1,
    standin: dc,
    fault: { type: 'status', status: 502 },
    inputs: { token: pat },
    code: 'server-error'
  },
  {
    name: 'slow headers past the deadline',
    weight: 1,
    standin: dc,
    fault: { type: 'slow-headers', ms: 5000 },
    inputs: { token: pat },
    timeoutS: 2,
    code: 'timeout'
  },
  {
    name: 'stall-body',
    weight: 1,
    standin: dc,
    fault: { type: 'stall-body' },
    inputs: { token: pat },
    timeoutS: 2,
    code: 'timeout'
  },
  {
    name: 'reset mid-body',
    weight: 1,
    standin: dc,
    fault: { type: 'reset-mid-body' },
    inputs: { token: pat },
    code: 'connection-error'
  },
  {
    name: 'malformed JSON',
    weight: 1,
    standin: dc,
    fault: { type: 'malformed-json' },
    inputs: { token: pat },
    code: 'unexpected-response'
  },
  {
    name: 'empty 200',
    weight: 1,
    standin: dc,
    fault: { type: 'empty-200' },
    inputs: { token: pat },
    code: 'unexpected-response'
  },
  {
    name: 'huge body (8 MiB)',
    weight: 1,
    standin: dc,
    fault: { type: 'huge-body', bytes: 8 * 2 ** 20 },
    inputs: { token: pat },
    code: 'unexpected-response'
  },
  {
    name: 'huge body, chunked',
    weight: 1,
    standin: dc,
    fault: { type: 'huge-body', bytes: 8 * 2 ** 20, chunked: true },
    inputs: { token: pat },
    code: 'unexpected-response'
  },
  {
    name: 'redirect (302)',
    weight: 1,
    standin: dc,
    fault: { type: 'redirect', location: 'https://127.0.0.1:1/elsewhere' },
    inputs: { token: pat },
    code: 'login-redirect'
  },
  {
    name: 'SSO redirect',
    weight: 1,
    standin: dc,
    fault: { type: 'sso-redirect' },
    inputs: { token: pat },
    code: 'login-redirect'
  },
  {
    name: 'HTML login page',
    weight: 1,
    standin: dc,
    fault: { type: 'html-login' },
    inputs: { token: pat },
    code: 'login-redirect'
  },
  {
    name: 'missing context path (404)',
    weight: 1,
    standin: dc,
    domain: `${dc.url}/jira`,
    inputs: { token: pat },
    code: 'not-found'
  },
  {
    name: 'expired TLS certificate',
    weight: 1,
    standin: dc,
    set: { tls: 'expired' },
    inputs: { token: pat },
    code: 'tls-error'
  },
  {
    name: 'refused port',
    weight: 1,
    domain: `https://127.0.0.1:${refusedPort}`,
    inputs: { token: pat },
    code: 'connection-error'
  },
  {
    name: 'identity mismatch',
    weight: 1,
    standin: dc,
    inputs: { token: pat, 'expected-user': 'someone-else' },
    code: 'identity-mismatch'
  },
  {
    name: 'missing permission',
    weight: 1,
    standin: dc,
    inputs: { token: pat, 'required-permissions': 'ADMINISTER_PROJECTS', project: 'OPS' },
    code: 'missing-permissions'
  },
  {
    name: 'token expiring',
    weight: 1,
    standin: dc,
    inputs: { token: soonPat, 'token-name': 'soak-soon', 'expiry-error-days': '7' },
    code: 'token-expiring'
  },
  {
    name: 'Basic DC, wrong password',
    weight: 1,
    standin: dc,
    inputs: { ...basicDc, token: 'wrong-password' },
    code: 'unauthorized'
  },
  {
    name: 'Basic DC, CAPTCHA',
    weight: 1,
    standin: dc,
    inputs: basicDc,
    code: 'captcha-required',
    before: () => failLogins(dc, 3)
  },
  {
    name: 'Basic DC, Basic auth disabled',
    weight: 1,
    standin: dc,
    set: { basicAuthDisabled: true },
    inputs: basicDc,
    code: 'basic-auth-disabled'
  },
  {
    name: 'Basic Cloud, success',
    weight: 2,
    standin: cloud,
    inputs: { ...basicCloud, 'required-permissions': 'BROWSE_PROJECTS', project: 'OPS' },
    code: ''
  },
  {
    name: 'Cloud API token sent as Bearer',
    weight: 1,
    standin: cloud,
    inputs: { token: apiToken },
    code: 'unauthorized'
  },
  {
    name: 'Basic Cloud, 429 then OK',
    weight: 1,
    standin: cloud,
    fault: { type: 'status', status: 429, retryAfter: 1, times: 1 },
    inputs: basicCloud,
    code: ''
  }
]

const rand = mulberry32(seed)
const totalWeight = scenarios.reduce((sum, s) => sum + s.weight, 0)
const pick = () => {
  let x = rand() * totalWeight
  for (const s of scenarios) if ((x -= s.weight) < 0) return s
  return scenarios[scenarios.length - 1]
}

gc()
const heapBefore = process.memoryUsage()
log(`soak: ${runs} runs, seed ${seed}, ${scenarios.length} scenarios; Node 24 ${info.node24}`)

/** @type {Array<{ i: number, scenario: string, exitCode: number | null, signal: string | null, code: string, status: string, ms: number, limitMs: number, rssKiB: number | undefined, ok: boolean, why: string }>} */
const results = []
const rssFile = join(scratchDir(), 'child-rss')
try {
  for (let i = 0; i < runs; i++) {
    const s = pick()
    for (const st of [dc, cloud]) st.reset()
    if (s.standin && (s.fault || s.set))
      s.standin.set({ ...(s.set ?? {}), ...(s.fault ? { fault: s.fault } : {}) })
    await s.before?.()
    const timeoutS = s.timeoutS ?? 3
    const limitMs = timeoutS * 1000 + GRACE_MS
    rmSync(rssFile, { force: true })
    const r = await runAction({
      node: NODE24,
      nodeArgs: ['--import', hook],
      inputs: {
        domain: s.domain ?? s.standin.url,
        'timeout-seconds': String(timeoutS),
        ...s.inputs
      },
      env: { NODE_EXTRA_CA_CERTS: dc.caPath, SOAK_RSS_FILE: rssFile },
      timeoutMs: limitMs + GUARD_EXTRA_MS
    })
    let rssKiB
    try {
      rssKiB = Number(readFileSync(rssFile, 'utf8'))
    } catch {
      rssKiB = undefined
    }
    const code = r.outputs['error-code'] ?? ''
    const status = r.outputs.status ?? ''
    const reasons = []
    if (r.signal) reasons.push(`killed by ${r.signal}`)
    if (s.code === '') {
      if (r.exitCode !== 0) reasons.push(`exit ${r.exitCode}, expected 0`)
      if (status !== 'ok') reasons.push(`status ${JSON.stringify(status)}, expected "ok"`)
    } else {
      if (r.exitCode !== 1) reasons.push(`exit ${r.exitCode}, expected 1`)
      if (status !== 'failed') reasons.push(`status ${JSON.stringify(status)}, expected "failed"`)
      if (!KNOWN_CODES.has(code)) reasons.push(`unknown error-code ${JSON.stringify(code)}`)
      if (code !== s.code) reasons.push(`error-code ${JSON.stringify(code)}, expected ${s.code}`)
    }
    if (r.durationMs > limitMs) reasons.push(`${fmt(r.durationMs)} ms > ${limitMs} ms`)
    results.push({
      i,
      scenario: s.name,
      exitCode: r.exitCode,
      signal: r.signal,
      code,
      status,
      ms: r.durationMs,
      limitMs,
      rssKiB,
      ok: reasons.length === 0,
      why: reasons.join('; ')
    })
    if (reasons.length > 0) log(`run ${i} (${s.name}): ${reasons.join('; ')}`)
    if ((i + 1) % 50 === 0)
      log(`  ${i + 1}/${runs} runs, ${fmt((performance.now() - started) / 1000)} s`)
  }
} finally {
  await dc.close()
  await cloud.close()
}
await new Promise((resolveWait) => setTimeout(resolveWait, 200))
gc()
const heapAfter = process.memoryUsage()

// ------------------------------------------------------------------ requirements and report
const MiB = 2 ** 20
const failedRuns = results.filter((r) => !r.ok)
const kills = results.filter((r) => r.signal !== null).length
const rssValues = results.map((r) => r.rssKiB).filter((x) => Number.isFinite(x))
const firstRss = median(
  results
    .slice(0, 50)
    .map((r) => r.rssKiB)
    .filter(Number.isFinite)
)
const lastRss = median(
  results
    .slice(-50)
    .map((r) => r.rssKiB)
    .filter(Number.isFinite)
)
const maxRss = Math.max(...rssValues)
const heapGrowthMiB = (heapAfter.heapUsed - heapBefore.heapUsed) / MiB
const worstOverDeadline = Math.max(...results.map((r) => r.ms - (r.limitMs - GRACE_MS)))
const requirements = [
  { name: `at least 300 runs`, pass: results.length >= 300, figure: `${results.length}` },
  {
    name: 'every run classified as expected (exit code, status, known error-code)',
    pass: results.every(
      (r) => !r.why.includes('exit') && !r.why.includes('status') && !r.why.includes('error-code')
    ),
    figure: `${results.filter((r) => !/exit|status|error-code/.test(r.why)).length}/${results.length}`
  },
  {
    name: 'no run exceeds timeout-seconds + 2 s',
    pass: results.every((r) => r.ms <= r.limitMs),
    figure: `worst: ${fmt(worstOverDeadline)} ms past its timeout-seconds`
  },
  {
    name: 'every process exits on its own (SIGKILL guard never fires)',
    pass: kills === 0,
    figure: `${kills} kills`
  },
  {
    name: `child peak RSS flat (last-50 median ≤ ${RSS_GROWTH_LIMIT}× first-50 median)`,
    pass: rssValues.length === results.length && lastRss <= firstRss * RSS_GROWTH_LIMIT,
    figure: `first 50 ${fmt(firstRss / 1024, 1)} MiB, last 50 ${fmt(lastRss / 1024, 1)} MiB, max ${fmt(maxRss / 1024, 1)} MiB (${rssValues.length}/${results.length} recorded)`
  },
  {
    name: `stand-in process heap after GC grows ≤ ${HEAP_GROWTH_LIMIT_MIB} MiB`,
    pass: heapGrowthMiB <= HEAP_GROWTH_LIMIT_MIB,
    figure: `${fmt(heapBefore.heapUsed / MiB, 1)} → ${fmt(heapAfter.heapUsed / MiB, 1)} MiB (${heapGrowthMiB >= 0 ? '+' : ''}${fmt(heapGrowthMiB, 1)}); RSS ${fmt(heapBefore.rss / MiB, 1)} → ${fmt(heapAfter.rss / MiB, 1)} MiB`
  }
]
const totalSeconds = (performance.now() - started) / 1000

const lines = []
lines.push('# Soak test')
lines.push('')
lines.push(
  '<!-- Generated by `npm run soak` (scripts/soak.mjs). Do not edit by hand: rerun it. -->'
)
lines.push('')
lines.push(
  `Run ${new Date().toISOString()}: ${results.length} consecutive runs of \`dist/index.js\` in ${fmt(totalSeconds)} s, seed **${seed}** (\`npm run soak -- --seed ${seed}\` replays the same sequence).`
)
lines.push('')
lines.push(
  `Machine: ${info.cpu}, ${info.cores} cores, ${fmt(info.memoryGiB, 1)} GiB, ${info.kernel}; Node 24 ${info.node24} (the action's runtime); the harness on Node ${process.version}.`
)
lines.push('')
lines.push('## Method')
lines.push('')
lines.push(
  'Each run starts `dist/index.js` under runner rules (`test-support/run-action.mjs`: INPUT_* with action.yml defaults, GITHUB_* command files, minimal env) against the Data Center or Cloud stand-in on loopback. ' +
    'The scenario is drawn from a mulberry32 PRNG seeded as above (weights in the table), the stand-ins are reset before each run, and the fault is set on them. ' +
    `\`timeout-seconds\` is 3 (2 for the two stalls). A run must finish within timeout-seconds + ${GRACE_MS / 1000} s wall time, start-up included; runAction's SIGKILL guard sits ${GUARD_EXTRA_MS / 1000} s beyond that, and every kill counts as a failure. ` +
    "Child peak RSS is the child's own `process.resourceUsage().maxRSS` written at exit by a `--import` hook (no wrapper process). " +
    'The stand-ins run inside the soak process: its heap is measured after a forced GC before the first and after the last run.'
)
lines.push('')
lines.push('## Requirements')
lines.push('')
for (const r of requirements) lines.push(`- **${r.pass ? 'PASS' : 'FAIL'}** ${r.name}: ${r.figure}`)
lines.push('')
lines.push('## By scenario')
lines.push('')
lines.push(
  '| scenario | weight | expected | runs | as expected | median ms | max ms | limit ms | median RSS MiB |'
)
lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|')
for (const s of scenarios) {
  const rs = results.filter((r) => r.scenario === s.name)
  const limit = (s.timeoutS ?? 3) * 1000 + GRACE_MS
  lines.push(
    `| ${s.name} | ${s.weight} | ${s.code ? `\`${s.code}\`` : 'ok'} | ${rs.length} | ${rs.filter((r) => r.ok).length} | ${rs.length ? fmt(median(rs.map((r) => r.ms))) : '–'} | ${rs.length ? fmt(Math.max(...rs.map((r) => r.ms))) : '–'} | ${limit} | ${rs.length ? fmt(median(rs.map((r) => r.rssKiB).filter(Number.isFinite)) / 1024, 1) : '–'} |`
  )
}
lines.push('')
lines.push('## Peak RSS over the run')
lines.push('')
lines.push('| runs | median MiB | max MiB |')
lines.push('|---|---:|---:|')
for (let from = 0; from < results.length; from += 50) {
  const slice = results
    .slice(from, from + 50)
    .map((r) => r.rssKiB)
    .filter(Number.isFinite)
  lines.push(
    `| ${from + 1}–${Math.min(from + 50, results.length)} | ${fmt(median(slice) / 1024, 1)} | ${fmt(Math.max(...slice) / 1024, 1)} |`
  )
}
lines.push('')
if (failedRuns.length > 0) {
  lines.push('## Failed runs')
  lines.push('')
  for (const r of failedRuns.slice(0, 30)) lines.push(`- run ${r.i} (${r.scenario}): ${r.why}`)
  if (failedRuns.length > 30) lines.push(`- … and ${failedRuns.length - 30} more`)
  lines.push('')
}
lines.push('## Command')
lines.push('')
lines.push('```sh')
lines.push(
  `npm run soak             # node scripts/soak.mjs [--seed ${seed}] [--runs 300] [--out PATH]`
)
lines.push('```')
lines.push('')
mkdirSync(dirname(outPath), { recursive: true })
writeFileSync(outPath, lines.join('\n'))

log('')
for (const r of requirements) log(`${r.pass ? 'PASS' : 'FAIL'} ${r.name}: ${r.figure}`)
log(`wrote ${relative(repoRoot, outPath)} in ${fmt(totalSeconds)} s`)
if (requirements.some((r) => !r.pass)) process.exitCode = 1

// ------------------------------------------------------------------ helpers

/** Failed Basic logins straight at the stand-in, to reach its CAPTCHA threshold. */
async function failLogins(standin, count) {
  for (let i = 0; i < count; i++) {
    await new Promise((resolveLogin) => {
      const request = https.get(
        `${standin.url}/rest/api/2/myself`,
        {
          ca: standin.caCertPem,
          agent: false,
          timeout: 5000,
          headers: {
            Accept: 'application/json',
            Authorization: `Basic ${Buffer.from('ci-bot:not-the-password').toString('base64')}`
          }
        },
        (response) => {
          response.resume()
          response.on('end', resolveLogin)
          response.on('error', resolveLogin)
        }
      )
      request.on('timeout', () => request.destroy())
      request.on('error', resolveLogin)
    })
  }
}
