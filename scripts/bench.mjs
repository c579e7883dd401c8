#!/usr/bin/env node
// `npm run bench`: start-up, memory, latency and time-to-failure of dist/index.js against the Jira
// stand-in, every figure a ratio or difference against a baseline measured in the same run,
// interleaved (round-robin per iteration), medians. Writes docs/benchmarks.md (generated: do not
// edit by hand). Options: --iterations N (default 20 for start-up, 15 elsewhere; minimum 15 unless
// --quick), --quick (3 iterations, for trying the script), --out PATH.
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import * as prettier from 'prettier'
import { closedPort } from '../test-support/net.mjs'
import { startStandin } from '../test-support/standin/index.mjs'
import {
  NODE24,
  TIME_BIN,
  argValue,
  fmt,
  hasGnuTime,
  machine,
  median,
  repoRoot,
  runnerEnv,
  stats,
  timedSpawn
} from './bench/lib.mjs'

const quick = process.argv.includes('--quick')
const coldIterations = Number(argValue('iterations', quick ? 3 : 20))
const iterations = quick ? 3 : Math.max(15, Math.min(coldIterations, 15))
const rssRounds = quick ? 1 : 5
const outPath = argValue('out', join(repoRoot, 'docs', 'benchmarks.md'))
const NODE20 = process.execPath
const entry = join(repoRoot, 'dist', 'index.js')
const minimalScript = join(repoRoot, 'scripts', 'bench', 'minimal-get.mjs')
const benchStarted = performance.now()

/** Assertions that failed (wrong exit code, wrong error-code, killed): any one fails the bench. */
const problems = []
const log = (line) => process.stdout.write(`${line}\n`)

const info = machine()
log(
  `bench: ${info.cpu}, ${info.cores} cores, ${fmt(info.memoryGiB, 1)} GiB; node ${info.node20} / ${info.node24}`
)

const dc = await startStandin()
const cloud = await startStandin({ platform: 'cloud' })
const pat = dc.mintPat({ name: 'bench-token', expiresInDays: 90 })
const apiToken = cloud.mintApiToken({ email: 'ci-bot@example.com' })
const ca = dc.caPath
const caEnv = { NODE_EXTRA_CA_CERTS: ca }

try {
  // ------------------------------------------------------------------ 1. cold start, success path
  const actionRun = runnerEnv({ domain: dc.url, token: pat }, caEnv)
  const minimalEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    JIRA_DOMAIN: dc.url,
    JIRA_PAT: pat,
    ...caEnv
  }
  const curlArgs = [
    '-s',
    '--cacert',
    ca,
    '-H',
    `Authorization: Bearer ${pat}`,
    `${dc.url}/rest/api/2/myself`
  ]
  const expectUser = (r) => r.code === 0 && r.stdout.includes('"name":"ci-bot"')
  const expectOk = (r) => r.code === 0 && actionRun.outputs().status === 'ok'

  /** @type {Array<{ id: string, label: string, run: (rss: boolean) => Promise<any> }>} */
  const coldVariants = [
    {
      id: 'action24',
      label: 'action, Node 24',
      run: (rss) => checked('action24', expectOk, () => spawnAction(NODE24, actionRun, rss))
    },
    {
      id: 'minimal24',
      label: 'minimal node:https GET, Node 24',
      run: (rss) =>
        checked('minimal24', expectUser, () =>
          timedSpawn(NODE24, [minimalScript], { env: minimalEnv, rss })
        )
    },
    {
      id: 'curl',
      label: 'curl (the seed)',
      run: (rss) =>
        checked('curl', expectUser, () => timedSpawn('curl', curlArgs, { env: minimalEnv, rss }))
    },
    {
      id: 'action20',
      label: 'action, Node 20',
      run: (rss) => checked('action20', expectOk, () => spawnAction(NODE20, actionRun, rss))
    },
    {
      id: 'minimal20',
      label: 'minimal node:https GET, Node 20',
      run: (rss) =>
        checked('minimal20', expectUser, () =>
          timedSpawn(NODE20, [minimalScript], { env: minimalEnv, rss })
        )
    }
  ]
  log(
    `cold start: ${coldIterations} interleaved rounds of ${coldVariants.length} variants (+2 warm-up)`
  )
  for (let i = 0; i < 2; i++) for (const v of coldVariants) await v.run(false)
  const cold = Object.fromEntries(coldVariants.map((v) => [v.id, []]))
  for (let i = 0; i < coldIterations; i++) {
    for (const v of rotate(coldVariants, i)) cold[v.id].push((await v.run(false)).ms)
  }

  // ------------------------------------------------------------------ 2. peak RSS
  const rss = Object.fromEntries(coldVariants.map((v) => [v.id, []]))
  if (hasGnuTime) {
    log(`peak RSS: ${rssRounds} interleaved rounds under ${TIME_BIN} -f %M`)
    for (let i = 0; i < rssRounds; i++) {
      for (const v of rotate(coldVariants, i)) rss[v.id].push((await v.run(true)).maxRssKiB)
    }
  }
  const distBytes = statSync(entry).size
  const mapBytes = statSync(`${entry}.map`).size

  // ------------------------------------------------------------------ 3. latency 300 ms per response
  const fullInputs = {
    domain: dc.url,
    token: pat,
    'token-name': 'bench-token',
    'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES, TRANSITION_ISSUES',
    project: 'OPS',
    'expected-user': 'ci-bot'
  }
  const bearerFull = runnerEnv(fullInputs, caEnv)
  const basicFull = runnerEnv(
    {
      domain: cloud.url,
      username: 'ci-bot@example.com',
      token: apiToken,
      'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES',
      project: 'OPS',
      'token-expires-on': '2099-01-01'
    },
    caEnv
  )
  const waveInfo = {}
  const latencyVariant = (id, label, standin, run, latencyMs) => ({
    id,
    label,
    latencyMs,
    run: async () => {
      standin.reset()
      standin.set({ latencyMs })
      const r = await checked(
        id,
        (x) => x.code === 0 && run.outputs().status === 'ok',
        () => spawnAction(NODE24, run, false)
      )
      waveInfo[id] = { requests: standin.requests.length, maxConcurrent: standin.maxConcurrent }
      return r
    }
  })
  const latencyVariants = [
    latencyVariant('bearer0', 'Bearer, every probe, 0 ms', dc, bearerFull, 0),
    latencyVariant('bearer300', 'Bearer, every probe, 300 ms/response', dc, bearerFull, 300),
    latencyVariant('basic0', 'Basic (Cloud), 0 ms', cloud, basicFull, 0),
    latencyVariant('basic300', 'Basic (Cloud), 300 ms/response', cloud, basicFull, 300)
  ]
  log(`latency: ${iterations} interleaved rounds of ${latencyVariants.length} variants (Node 24)`)
  for (const v of latencyVariants) await v.run()
  const latency = Object.fromEntries(latencyVariants.map((v) => [v.id, []]))
  for (let i = 0; i < iterations; i++) {
    for (const v of rotate(latencyVariants, i)) latency[v.id].push((await v.run()).ms)
  }
  dc.reset()
  cloud.reset()

  // ------------------------------------------------------------------ 4. time to failure
  const refusedPort = await closedPort()
  const refusedRun = runnerEnv({ domain: `https://127.0.0.1:${refusedPort}`, token: pat }, caEnv)
  const dnsRun = runnerEnv({ domain: 'https://jira.does-not-exist.invalid', token: pat }, caEnv)
  const stallRun = runnerEnv({ domain: dc.url, token: pat, 'timeout-seconds': '3' }, caEnv)
  const failVariant = (id, label, run, code, before) => ({
    id,
    label,
    code,
    command: run,
    run: async () => {
      before?.()
      return checked(
        id,
        (x) => x.code === 1 && run.outputs()['error-code'] === code,
        () => spawnAction(NODE24, run, false),
        () => `exit ${run.lastCode}, error-code ${JSON.stringify(run.outputs()['error-code'])}`
      )
    }
  })
  const failVariants = [
    failVariant(
      'refused',
      `refused port (retries=2 default, timeout-seconds=30)`,
      refusedRun,
      'connection-error'
    ),
    failVariant('dns', 'DNS failure (jira.does-not-exist.invalid)', dnsRun, 'dns-error'),
    failVariant('stall', 'stall-body, timeout-seconds=3', stallRun, 'timeout', () => {
      dc.reset()
      dc.set({ fault: { type: 'stall-body' } })
    })
  ]
  log(
    `time to failure: ${iterations} interleaved rounds of ${failVariants.length} variants (Node 24)`
  )
  const failures = Object.fromEntries(failVariants.map((v) => [v.id, []]))
  for (let i = 0; i < iterations; i++) {
    for (const v of rotate(failVariants, i)) failures[v.id].push((await v.run()).ms)
  }
  dc.reset()

  // ------------------------------------------------------------------ targets and report
  const m = (arr) => median(arr)
  const paired = (a, b) => median(a.map((x, i) => x / b[i]))
  const ratio24 = m(cold.action24) / m(cold.minimal24)
  const ratio20 = m(cold.action20) / m(cold.minimal20)
  const startup = m(latency.bearer0)
  const bearerDelta = m(latency.bearer300) - startup
  const basicDelta = m(latency.basic300) - m(latency.basic0)
  const targets = [
    {
      name: 'action / minimal-node ≤ 1.4× on Node 24',
      pass: ratio24 <= 1.4,
      figure: `${fmt(ratio24, 2)}× (paired median ${fmt(paired(cold.action24, cold.minimal24), 2)}×)`
    },
    {
      name: 'full check with 300 ms/response ≤ start-up + 2×300 ms (Bearer, every probe)',
      pass: m(latency.bearer300) <= startup + 600,
      figure: `${fmt(m(latency.bearer300))} ms vs limit ${fmt(startup + 600)} ms (start-up ${fmt(startup)} ms + ${fmt(bearerDelta)} ms = ${fmt(bearerDelta / 300, 2)}×300 ms)`
    },
    {
      name: 'DNS failure < 1 s',
      pass: m(failures.dns) < 1000,
      figure: `median ${fmt(m(failures.dns))} ms, max ${fmt(Math.max(...failures.dns))} ms`
    }
  ]
  const totalSeconds = (performance.now() - benchStarted) / 1000

  const row = (label, values, extra = '') =>
    `| ${label} | ${fmt(stats(values).median)} | ${fmt(stats(values).p90)} | ${fmt(stats(values).min)} | ${values.length}${extra} |`
  const rel = (p) => relative(repoRoot, p)
  const lines = []
  lines.push('# Benchmarks')
  lines.push('')
  lines.push(
    '<!-- Generated by `npm run bench` (scripts/bench.mjs). Do not edit by hand: rerun it. -->'
  )
  lines.push('')
  lines.push(
    `Run ${new Date().toISOString()} in ${fmt(totalSeconds)} s${quick ? ' (**--quick: too few iterations to trust**)' : ''}.`
  )
  lines.push('')
  lines.push('## Machine')
  lines.push('')
  lines.push(
    `- CPU: ${info.cpu}, ${info.cores} cores; memory ${fmt(info.memoryGiB, 1)} GiB; ${info.kernel}`
  )
  lines.push(`- Load average at start: ${info.loadavg.map((x) => fmt(x, 2)).join(' / ')}`)
  lines.push(`- Node 24: ${info.node24} (\`${rel(NODE24)}\`, the action's \`runs.using: node24\`)`)
  lines.push(`- Node 20: ${info.node20} (\`${NODE20}\`)`)
  lines.push(`- ${info.curl}`)
  lines.push('')
  lines.push('## Method')
  lines.push('')
  lines.push(
    "Every figure is wall time from just before `spawn()` to the child's `close` (exited, stdio drained), taken the same way for every variant by `scripts/bench/lib.mjs`. " +
      'Variants of a table run **interleaved** (round-robin, the starting variant rotating each round) against the Jira stand-in (`test-support/standin`, loopback HTTPS, in the bench process), so machine noise hits all of them alike. ' +
      'Medians, p90 and min; ratios are ratios of medians, with the median of per-round ratios alongside. The machine is shared and noisy: compare ratios, not absolute milliseconds, across runs.'
  )
  lines.push('')
  lines.push('## 1. Cold start to exit, success path')
  lines.push('')
  lines.push(
    `${coldIterations} rounds after 2 warm-up rounds. The action runs under runner rules (INPUT_* from action.yml defaults, GITHUB_OUTPUT/GITHUB_STEP_SUMMARY/… files, minimal env) and, with default inputs, sends its Bearer wave (\`/myself\`, \`/serverInfo\`, PAT list) and writes outputs and the job summary; the other two send the single \`/myself\` GET.`
  )
  lines.push('')
  lines.push('| variant | median ms | p90 ms | min ms | runs |')
  lines.push('|---|---:|---:|---:|---:|')
  for (const v of coldVariants) lines.push(row(v.label, cold[v.id]))
  lines.push('')
  lines.push('| ratio | of medians | median of per-round ratios |')
  lines.push('|---|---:|---:|')
  lines.push(
    `| action / minimal-node, Node 24 | **${fmt(ratio24, 2)}×** | ${fmt(paired(cold.action24, cold.minimal24), 2)}× |`
  )
  lines.push(
    `| action / minimal-node, Node 20 | ${fmt(ratio20, 2)}× | ${fmt(paired(cold.action20, cold.minimal20), 2)}× |`
  )
  lines.push(
    `| action (Node 24) / curl | ${fmt(m(cold.action24) / m(cold.curl), 2)}× | ${fmt(paired(cold.action24, cold.curl), 2)}× |`
  )
  lines.push(
    `| action (Node 20) / curl | ${fmt(m(cold.action20) / m(cold.curl), 2)}× | ${fmt(paired(cold.action20, cold.curl), 2)}× |`
  )
  lines.push(
    `| minimal-node (Node 24) / curl | ${fmt(m(cold.minimal24) / m(cold.curl), 2)}× | ${fmt(paired(cold.minimal24, cold.curl), 2)}× |`
  )
  lines.push(
    `| action Node 24 / action Node 20 | ${fmt(m(cold.action24) / m(cold.action20), 2)}× | ${fmt(paired(cold.action24, cold.action20), 2)}× |`
  )
  lines.push('')
  lines.push('## 2. Peak memory and size')
  lines.push('')
  if (hasGnuTime) {
    lines.push(
      `Peak RSS (max resident set) from GNU \`${TIME_BIN} -f %M\` wrapping each command, ${rssRounds} interleaved rounds, in separate runs from the timings above (the wrapper adds a fork/exec).`
    )
    lines.push('')
    lines.push('| variant | median MiB | max MiB |')
    lines.push('|---|---:|---:|')
    for (const v of coldVariants) {
      lines.push(
        `| ${v.label} | ${fmt(median(rss[v.id]) / 1024, 1)} | ${fmt(Math.max(...rss[v.id]) / 1024, 1)} |`
      )
    }
  } else {
    lines.push(`\`${TIME_BIN}\` is not installed here, so peak RSS was not measured.`)
  }
  lines.push('')
  lines.push(
    `\`dist/index.js\`: ${fmt(distBytes / 1024, 1)} KiB (${distBytes} bytes); \`dist/index.js.map\`: ${fmt(mapBytes / 1024, 1)} KiB.`
  )
  lines.push('')
  lines.push('## 3. Full check with 300 ms injected per response')
  lines.push('')
  lines.push(
    `Stand-in \`latencyMs: 300\` delays every response's headers. Node 24, ${iterations} interleaved rounds (+1 warm-up). Bearer: \`token-name\`, \`required-permissions\`, \`project\` and \`expected-user\` set, so all four probes run. Basic (Cloud stand-in, \`username\` + API token, \`required-permissions\` + \`project\`): \`/myself\` goes alone first, then \`serverInfo\` + \`mypermissions\`.`
  )
  lines.push('')
  lines.push('| variant | median ms | p90 ms | min ms | runs | requests | max in flight |')
  lines.push('|---|---:|---:|---:|---:|---:|---:|')
  for (const v of latencyVariants) {
    const w = waveInfo[v.id] ?? {}
    const s = stats(latency[v.id])
    lines.push(
      `| ${v.label} | ${fmt(s.median)} | ${fmt(s.p90)} | ${fmt(s.min)} | ${s.n} | ${w.requests ?? '?'} | ${w.maxConcurrent ?? '?'} |`
    )
  }
  lines.push('')
  lines.push(
    `- Bearer: +300 ms per response costs **${fmt(bearerDelta)} ms = ${fmt(bearerDelta / 300, 2)} × 300 ms** over its own start-up (${fmt(startup)} ms): the probes overlap, one round trip.`
  )
  lines.push(
    `- Basic: +300 ms per response costs ${fmt(basicDelta)} ms = ${fmt(basicDelta / 300, 2)} × 300 ms: two waves, by design (no concurrent Basic request before \`/myself\` succeeds).`
  )
  lines.push('')
  lines.push('## 4. Time to failure')
  lines.push('')
  lines.push(
    `Node 24, ${iterations} interleaved rounds; every run asserted to exit 1 with the \`error-code\` shown.`
  )
  lines.push('')
  lines.push('| case | error-code | median ms | p90 ms | min ms | runs |')
  lines.push('|---|---|---:|---:|---:|---:|')
  for (const v of failVariants) {
    const s = stats(failures[v.id])
    lines.push(
      `| ${v.label} | \`${v.code}\` | ${fmt(s.median)} | ${fmt(s.p90)} | ${fmt(s.min)} | ${s.n} |`
    )
  }
  lines.push('')
  lines.push(
    `- Refused port: ${fmt(m(failures.refused))} ms is start-up (${fmt(m(cold.action24))} ms) plus the two retries' jittered backoff (up to 0.5 s, then up to 1 s).`
  )
  lines.push(
    `- Stall: ${fmt(m(failures.stall) - 3000)} ms past the 3 s deadline (start-up included).`
  )
  lines.push('')
  lines.push('## Targets')
  lines.push('')
  for (const t of targets) lines.push(`- **${t.pass ? 'PASS' : 'FAIL'}** ${t.name}: ${t.figure}`)
  lines.push(
    `- Assertions (exit codes, \`status\`/\`error-code\`, bodies): ${problems.length === 0 ? 'all held' : `**${problems.length} failed**: ${problems.slice(0, 5).join('; ')}`}`
  )
  lines.push('')
  lines.push('## Commands')
  lines.push('')
  lines.push('```sh')
  lines.push(
    'npm run bench            # node scripts/bench.mjs [--iterations N] [--quick] [--out PATH]'
  )
  lines.push('')
  lines.push(
    '# (a) the action, as the runner starts it; env: INPUT_DOMAIN, INPUT_TOKEN, other INPUT_* at'
  )
  lines.push(
    '#     action.yml defaults, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH, GITHUB_STATE,'
  )
  lines.push('#     RUNNER_TEMP, GITHUB_WORKSPACE (cwd), NODE_EXTRA_CA_CERTS=<stand-in CA>')
  lines.push(`${rel(NODE24)} dist/index.js`)
  lines.push('node dist/index.js')
  lines.push('# (b) the floor for a Node action; env: JIRA_DOMAIN, JIRA_PAT, NODE_EXTRA_CA_CERTS')
  lines.push(`${rel(NODE24)} scripts/bench/minimal-get.mjs`)
  lines.push('node scripts/bench/minimal-get.mjs')
  lines.push("# (c) the seed's curl")
  lines.push(
    'curl -s --cacert "$CA" -H "Authorization: Bearer $JIRA_PAT" "$JIRA_DOMAIN/rest/api/2/myself"'
  )
  lines.push('# peak RSS: the same commands under')
  lines.push(`${TIME_BIN} -f %M -o <file> <command>`)
  lines.push('# time to failure: (a) with INPUT_DOMAIN=https://127.0.0.1:<closed port> |')
  lines.push(
    '#   https://jira.does-not-exist.invalid | the stand-in with fault stall-body and INPUT_TIMEOUT-SECONDS=3'
  )
  lines.push('```')
  lines.push('')
  mkdirSync(dirname(outPath), { recursive: true })
  writeFileSync(outPath, lines.join('\n'))

  // The README quotes these figures: rewrite its generated block so it never drifts from the report.
  if (!quick && outPath === join(repoRoot, 'docs', 'benchmarks.md')) {
    const seconds = (ms) => (ms >= 1000 ? `${fmt(ms / 1000, 1)} s` : `${fmt(ms)} ms`)
    const mib = (id) => (hasGnuTime ? `${fmt(median(rss[id]) / 1024, 0)} MiB` : 'not measured')
    const block = [
      '| measure | result |',
      '|---|---|',
      `| cold start to exit, success path: action / a minimal \`node:https\` GET (Node 24) | **${fmt(ratio24, 2)}×** (target ≤ 1.4×) |`,
      `| the same against the seed's \`curl\` | ${fmt(m(cold.action24) / m(cold.curl), 1)}× (curl ${fmt(m(cold.curl))} ms, the action ${fmt(m(cold.action24))} ms) |`,
      `| full check, every probe, 300 ms added to every response (Bearer) | start-up + ${fmt(bearerDelta / 300, 2)} × 300 ms: the probes overlap (target ≤ start-up + 2 × 300 ms) |`,
      `| the same with Basic (Cloud) | start-up + ${fmt(basicDelta / 300, 2)} × 300 ms: two waves, by design |`,
      `| time to failure: DNS failure / refused port (2 retries) / \`timeout-seconds: 3\` stall | ${seconds(m(failures.dns))} / ${seconds(m(failures.refused))} / ${seconds(m(failures.stall))} |`,
      `| peak RSS / \`dist/index.js\` | ${mib('action24')} (the minimal script: ${mib('minimal24')}) / ${fmt(distBytes / 1024)} KiB |`
    ].join('\n')
    const readmePath = join(repoRoot, 'README.md')
    const readme = readFileSync(readmePath, 'utf8')
    const marked = /(<!-- bench:start[^>]*-->\n)[\s\S]*?(\n<!-- bench:end -->)/
    if (!marked.test(readme)) log('README.md has no bench block to update')
    const updated = readme.replace(marked, `$1\n${block}\n$2`)
    // Formatted as `npm run format:check` expects, so a fresh bench leaves the tree clean.
    const options = { ...(await prettier.resolveConfig(readmePath)), filepath: readmePath }
    writeFileSync(readmePath, await prettier.format(updated, options))
  }

  log('')
  log(
    `action/minimal-node: Node 24 ${fmt(ratio24, 2)}×, Node 20 ${fmt(ratio20, 2)}×; action(24)/curl ${fmt(m(cold.action24) / m(cold.curl), 2)}×`
  )
  for (const t of targets) log(`${t.pass ? 'PASS' : 'FAIL'} ${t.name}: ${t.figure}`)
  if (problems.length > 0)
    log(`${problems.length} assertion(s) failed: ${problems.slice(0, 5).join('; ')}`)
  log(`wrote ${rel(outPath)} in ${fmt(totalSeconds)} s`)
  if (problems.length > 0 || targets.some((t) => !t.pass)) process.exitCode = 1
} finally {
  await dc.close()
  await cloud.close()
}

// ------------------------------------------------------------------ helpers

function spawnAction(node, run, rss) {
  run.prepare()
  return timedSpawn(node, [entry], { env: run.env, cwd: run.cwd, rss, timeoutMs: 60_000 }).then(
    (r) => {
      run.lastCode = r.code
      return r
    }
  )
}

async function checked(id, ok, fn, describe) {
  const r = await fn()
  if (r.killed || !ok(r)) {
    const why = describe ? describe() : `exit ${r.code}${r.killed ? ' (killed)' : ''}`
    problems.push(`${id}: ${why} ${r.stderr.slice(0, 120).trim()}`.trim())
  }
  return r
}

function rotate(list, i) {
  const k = i % list.length
  return [...list.slice(k), ...list.slice(0, k)]
}
