// The measurements of `npm run bench`, as plain data: each section runs its variants interleaved
// (scripts/bench/harness.mjs) against the Jira stand-ins on loopback and returns, per variant, the
// raw samples and their summary, plus the comparisons its goals and the report use. Nothing here
// formats text or writes files: scripts/bench/render.mjs does that, scripts/bench/goals.mjs judges.
//
// Sections (ids for --only): startup, floor, rss, latency, rtt, failure. The bundle sizes are always
// read.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { closedPort } from '../../test-support/net.mjs'
import { hasGnuTime, TIME_BIN } from '../../test-support/spawn.mjs'
import { startStandin } from '../../test-support/standin/index.mjs'
import { compare, median, pairedDifferences, summary } from '../lib/stats.mjs'
import { fileBytes, machine, rel, repoRoot } from '../lib/project.mjs'
import { startForwarder } from './forwarder.mjs'
import {
  Problems,
  actionCommand,
  exits0,
  exitsNonZero,
  exitsOk,
  failsWith,
  interleave,
  plainCommand,
  printsAndExits0,
  printsJsonAndExits0
} from './harness.mjs'
import { evaluateGoals } from './goals.mjs'

export const SECTIONS = ['startup', 'floor', 'rss', 'latency', 'rtt', 'failure']

const MINIMAL_GET = join(repoRoot, 'scripts', 'bench', 'minimal-get.mjs')
export const LOOKUP_HOOK = join(repoRoot, 'test-support', 'lookup-hook.cjs')
const UNRESOLVABLE = 'jira.does-not-exist.invalid'
const RESPONSE_LATENCY_MS = 300
const ONE_WAY_MS = 25
/** How long the lookup hook takes to say ENOTFOUND: a resolver on the local network answers NXDOMAIN in a few ms. */
const LOOKUP_DELAY_MS = 5

/**
 * @typedef {object} BenchConfig
 * @property {number} iterations rounds per table
 * @property {number} warmups warm-up rounds before the loopback tables (1 before the slow ones)
 * @property {Set<string>} sections which sections to run
 * @property {string} node24
 * @property {{ path: string }} entry the action's bundle
 * @property {{ name: string, path: string } | undefined} cli
 * @property {boolean} quick
 * @property {(line: string) => void} log progress, one line at a time
 */

/**
 * @typedef {{ id: string, label: string, command: string, summary: ReturnType<typeof summary>,
 *   samples: number[], extra?: Record<string, unknown> }} VariantResult
 * @typedef {{ id: string, label: string, a: string, b: string } & ReturnType<typeof compare>} Comparison
 */

/** @param {number[]} values */
const rounded = (values) => values.map((v) => Math.round(v * 10) / 10)

/**
 * @param {BenchConfig} config
 */
export async function measureBench(config) {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const info = machine()
  const { iterations, sections, node24, entry, cli, log } = config
  const problems = new Problems()
  /** @type {string[]} */
  const notes = []
  const otherMajor = Number(process.versions.node.split('.')[0])
  const otherNode = otherMajor === 24 ? undefined : process.execPath
  const other = `Node ${otherMajor}`
  if (!otherNode)
    notes.push('The harness runs on Node 24 itself, so there is no second Node version to compare.')
  if (!cli) notes.push('CLI: package.json has no `bin` yet, so the CLI was not measured.')
  const hasCurl = info.curl !== undefined
  if (!hasCurl) notes.push('curl is not installed, so there is no curl comparison.')

  const dc = await startStandin()
  const cloud = await startStandin({ platform: 'cloud' })
  const pat = dc.mintPat({ name: 'bench-token', expiresInDays: 90 })
  const apiToken = cloud.mintApiToken({ email: 'ci-bot@example.com' })
  const caEnv = { NODE_EXTRA_CA_CERTS: dc.caPath }
  /** @type {Awaited<ReturnType<typeof startForwarder>>[]} */
  const forwarders = []

  /**
   * A variant: a command, the check every run must pass, optional set-up before and a look at the
   * stand-in after each run.
   * @param {string} id
   * @param {string} label
   * @param {string} command how the report shows it
   * @param {(options?: { rss?: boolean }) => Promise<import('./harness.mjs').RunResult>} run
   * @param {import('./harness.mjs').Check} check
   * @param {{ before?: () => void, after?: () => void }} [hooks]
   */
  const variant = (id, label, command, run, check, hooks = {}) => ({
    id,
    label,
    command,
    /** @param {{ rss?: boolean }} [options] */
    run: async (options) => {
      hooks.before?.()
      const result = await run(options)
      hooks.after?.()
      problems.record(id, result, check)
      return result
    }
  })

  const action = (
    /** @type {string} */ node,
    /** @type {Record<string, string>} */ inputs,
    extra = {}
  ) => actionCommand({ node, entry: entry.path, inputs, env: caEnv, ...extra })
  const minimalEnv = { JIRA_DOMAIN: dc.url, JIRA_PAT: pat, ...caEnv }
  const entryRel = rel(entry.path)
  const nodeName = (/** @type {string} */ node) => (node === node24 ? rel(node24) : 'node')

  /** The success-path variants, shared by the start-up and RSS tables. */
  const successVariants = () => {
    /** @type {import('./harness.mjs').Variant[]} */
    const list = []
    /** @param {string} node @param {string} suffix @param {string} version */
    const forNode = (node, suffix, version) => {
      list.push(
        variant(
          `action${suffix}`,
          `action, ${version}`,
          `${nodeName(node)} ${entryRel}`,
          action(node, { domain: dc.url, token: pat }),
          exitsOk
        ),
        variant(
          `minimal${suffix}`,
          `minimal node:https GET, ${version}`,
          `${nodeName(node)} scripts/bench/minimal-get.mjs`,
          plainCommand(node, [MINIMAL_GET], { env: minimalEnv }),
          printsAndExits0('"name":"ci-bot"')
        )
      )
      if (cli) {
        list.push(
          variant(
            `cli${suffix}`,
            `CLI --json, ${version}`,
            `${nodeName(node)} ${rel(cli.path)} --json`,
            plainCommand(node, [cli.path, '--json'], { env: minimalEnv }),
            printsJsonAndExits0
          )
        )
      }
    }
    forNode(node24, '24', 'Node 24')
    if (hasCurl) {
      list.push(
        variant(
          'curl',
          'curl, one GET',
          'curl -s --cacert "$CA" -H "Authorization: Bearer $JIRA_PAT" "$JIRA_DOMAIN/rest/api/2/myself"',
          plainCommand(
            'curl',
            [
              '-s',
              '--cacert',
              dc.caPath,
              '-H',
              `Authorization: Bearer ${pat}`,
              `${dc.url}/rest/api/2/myself`
            ],
            { env: minimalEnv }
          ),
          printsAndExits0('"name":"ci-bot"')
        )
      )
    }
    if (otherNode) forNode(otherNode, String(otherMajor), other)
    return list
  }

  /**
   * @param {import('./harness.mjs').Variant[]} variants
   * @param {Record<string, number[]>} samples
   * @param {(id: string) => Record<string, unknown> | undefined} [extra]
   * @returns {VariantResult[]}
   */
  const results = (variants, samples, extra) =>
    variants.map((v) => ({
      id: v.id,
      label: v.label,
      command: v.command ?? '',
      summary: summary(samples[v.id]),
      samples: rounded(samples[v.id]),
      ...(extra?.(v.id) ? { extra: extra(v.id) } : {})
    }))

  /**
   * Comparisons a/b for the pairs whose variants both ran.
   * @param {Record<string, number[]>} samples
   * @param {Array<[string, string, string]>} pairs [a, b, label]
   * @returns {Comparison[]}
   */
  const comparisons = (samples, pairs) =>
    pairs
      .filter(([a, b]) => samples[a] && samples[b])
      .map(([a, b, label]) => ({
        id: `${a}/${b}`,
        label,
        a,
        b,
        ...compare(samples[a], samples[b])
      }))

  const tableLog = (
    /** @type {string} */ what,
    /** @type {number} */ count,
    /** @type {number} */ warmups
  ) => log(`${what}: ${iterations} interleaved rounds of ${count} variants (+${warmups} warm-up)`)
  const heavyWarmups = Math.min(1, config.warmups)

  /** @type {Record<string, any>} */
  const out = {}
  try {
    // ---------------------------------------------------------------- start-up, success path
    if (sections.has('startup')) {
      const variants = successVariants()
      tableLog('start-up, success path', variants.length, config.warmups)
      const samples = await interleave(variants, { rounds: iterations, warmups: config.warmups })
      /** @type {Array<[string, string, string]>} */
      const pairs = [
        ['action24', 'minimal24', 'action / minimal node:https GET, Node 24'],
        [
          `action${otherMajor}`,
          `minimal${otherMajor}`,
          `action / minimal node:https GET, ${other}`
        ],
        ['cli24', 'minimal24', 'CLI / minimal node:https GET, Node 24'],
        [`cli${otherMajor}`, `minimal${otherMajor}`, `CLI / minimal node:https GET, ${other}`],
        ['cli24', 'action24', 'CLI / action, Node 24'],
        ['action24', 'curl', 'action (Node 24) / curl'],
        [`action${otherMajor}`, 'curl', `action (${other}) / curl`],
        ['minimal24', 'curl', 'minimal GET (Node 24) / curl'],
        ['action24', `action${otherMajor}`, `action Node 24 / action ${other}`]
      ]
      out.startup = {
        rounds: iterations,
        warmups: config.warmups,
        variants: results(variants, samples),
        comparisons: comparisons(samples, pairs)
      }
    }

    // ---------------------------------------------------------------- floor: missing input
    if (sections.has('floor')) {
      /** @type {import('./harness.mjs').Variant[]} */
      const variants = []
      /** @param {string} node @param {string} suffix @param {string} version */
      const forNode = (node, suffix, version) => {
        variants.push(
          variant(
            `missing${suffix}`,
            `action, missing-input (INPUT_DOMAIN=, INPUT_TOKEN=), ${version}`,
            `INPUT_DOMAIN= INPUT_TOKEN= ${nodeName(node)} ${entryRel}`,
            action(node, { domain: '', token: '' }),
            failsWith('missing-input')
          ),
          variant(
            `noop${suffix}`,
            `node -e 0, ${version}`,
            `${nodeName(node)} -e 0`,
            plainCommand(node, ['-e', '0']),
            exits0
          )
        )
        if (cli) {
          variants.push(
            variant(
              `cliMissing${suffix}`,
              `CLI --json, JIRA_DOMAIN and JIRA_PAT empty, ${version}`,
              `JIRA_DOMAIN= JIRA_PAT= ${nodeName(node)} ${rel(cli.path)} --json`,
              plainCommand(node, [cli.path, '--json'], { env: { JIRA_DOMAIN: '', JIRA_PAT: '' } }),
              exitsNonZero
            )
          )
        }
      }
      forNode(node24, '24', 'Node 24')
      if (otherNode) forNode(otherNode, String(otherMajor), other)
      tableLog('start-up, missing input', variants.length, config.warmups)
      const samples = await interleave(variants, { rounds: iterations, warmups: config.warmups })
      out.floor = {
        rounds: iterations,
        warmups: config.warmups,
        variants: results(variants, samples),
        comparisons: comparisons(samples, [
          ['missing24', 'noop24', 'missing-input / node -e 0, Node 24'],
          [`missing${otherMajor}`, `noop${otherMajor}`, `missing-input / node -e 0, ${other}`],
          ['cliMissing24', 'noop24', 'CLI missing input / node -e 0, Node 24'],
          [
            `cliMissing${otherMajor}`,
            `noop${otherMajor}`,
            `CLI missing input / node -e 0, ${other}`
          ]
        ])
      }
    }

    // ---------------------------------------------------------------- peak RSS
    if (sections.has('rss')) {
      if (!hasGnuTime()) {
        notes.push(
          `GNU time (${TIME_BIN}) is not installed, so peak RSS was not measured (apt-get install time).`
        )
        out.rss = { skipped: `GNU time (${TIME_BIN}) is not installed` }
      } else {
        const variants = successVariants()
        log(
          `peak RSS: ${iterations} interleaved rounds of ${variants.length} variants under ${TIME_BIN} -f %M`
        )
        const samples = await interleave(variants, {
          rounds: iterations,
          warmups: 0,
          rss: true,
          pick: (r) => r.maxRssKiB
        })
        out.rss = {
          rounds: iterations,
          unit: 'KiB',
          variants: results(variants, samples)
        }
      }
    }

    // ---------------------------------------------------------------- 300 ms per response
    if (sections.has('latency')) {
      const bearerInputs = {
        domain: dc.url,
        token: pat,
        'token-name': 'bench-token',
        'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES, TRANSITION_ISSUES',
        project: 'OPS',
        'expected-user': 'ci-bot'
      }
      const basicInputs = {
        domain: cloud.url,
        username: 'ci-bot@example.com',
        token: apiToken,
        'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES',
        project: 'OPS',
        'token-expires-on': '2099-01-01'
      }
      /** @type {Record<string, { requests: number[], maxConcurrent: number[] }>} */
      const observed = {}
      /** @param {string} id @param {string} label @param {any} standin @param {Record<string, string>} inputs @param {number} latencyMs */
      const latencyVariant = (id, label, standin, inputs, latencyMs) => {
        observed[id] = { requests: [], maxConcurrent: [] }
        return variant(id, label, `${rel(node24)} ${entryRel}`, action(node24, inputs), exitsOk, {
          before: () => {
            standin.reset()
            standin.set({ latencyMs })
          },
          after: () => {
            observed[id].requests.push(standin.requests.length)
            observed[id].maxConcurrent.push(standin.maxConcurrent)
          }
        })
      }
      const variants = [
        latencyVariant('bearer0', 'Bearer, every probe, 0 ms', dc, bearerInputs, 0),
        latencyVariant(
          'bearer300',
          `Bearer, every probe, ${RESPONSE_LATENCY_MS} ms/response`,
          dc,
          bearerInputs,
          RESPONSE_LATENCY_MS
        ),
        latencyVariant('basic0', 'Basic (Cloud), 0 ms', cloud, basicInputs, 0),
        latencyVariant(
          'basic300',
          `Basic (Cloud), ${RESPONSE_LATENCY_MS} ms/response`,
          cloud,
          basicInputs,
          RESPONSE_LATENCY_MS
        )
      ]
      tableLog(`${RESPONSE_LATENCY_MS} ms per response (Node 24)`, variants.length, heavyWarmups)
      const samples = await interleave(variants, { rounds: iterations, warmups: heavyWarmups })
      dc.reset()
      cloud.reset()
      const perResponse = (/** @type {string} */ slow, /** @type {string} */ fast) => {
        const delta = median(pairedDifferences(samples[slow], samples[fast]))
        return {
          startupMs: median(samples[fast]),
          deltaMs: delta,
          responses: delta / RESPONSE_LATENCY_MS
        }
      }
      out.latency = {
        rounds: iterations,
        warmups: heavyWarmups,
        latencyMs: RESPONSE_LATENCY_MS,
        variants: results(variants, samples, (id) => ({
          requests: median(observed[id].requests.slice(-iterations)),
          maxConcurrent: Math.max(...observed[id].maxConcurrent.slice(-iterations))
        })),
        bearer: perResponse('bearer300', 'bearer0'),
        basic: perResponse('basic300', 'basic0')
      }
    }

    // ---------------------------------------------------------------- connection latency (RTT)
    if (sections.has('rtt')) {
      const dcLink = await startForwarder({ targetPort: dc.port, oneWayMs: ONE_WAY_MS })
      const cloudLink = await startForwarder({ targetPort: cloud.port, oneWayMs: ONE_WAY_MS })
      forwarders.push(dcLink, cloudLink)
      const rttMs = dcLink.rttMs
      /** @type {Record<string, { connections: number[], requests: number[], waves: number[] }>} */
      const seen = {}
      /** @param {string} id @param {string} label @param {any} standin @param {any} link @param {Record<string, string>} inputs */
      const rttVariant = (id, label, standin, link, inputs) => {
        seen[id] = { connections: [], requests: [], waves: [] }
        const domain = link ? `https://127.0.0.1:${link.port}` : standin.url
        return variant(
          id,
          label,
          `${rel(node24)} ${entryRel}`,
          action(node24, { ...inputs, domain }),
          exitsOk,
          {
            before: () => {
              standin.reset()
              link?.reset()
            },
            after: () => {
              seen[id].requests.push(standin.requests.length)
              if (link) {
                seen[id].connections.push(link.connections)
                seen[id].waves.push(link.waves)
              }
            }
          }
        )
      }
      const bearer = { token: pat }
      const basic = {
        username: 'ci-bot@example.com',
        token: apiToken,
        'required-permissions': 'BROWSE_PROJECTS'
      }
      const variants = [
        rttVariant('bearerLoopback', 'Bearer (DC), plain loopback', dc, undefined, bearer),
        rttVariant('bearerRtt', `Bearer (DC), ${rttMs} ms RTT`, dc, dcLink, bearer),
        rttVariant(
          'basicLoopback',
          'Basic (Cloud) + required-permissions, plain loopback',
          cloud,
          undefined,
          basic
        ),
        rttVariant(
          'basicRtt',
          `Basic (Cloud) + required-permissions, ${rttMs} ms RTT`,
          cloud,
          cloudLink,
          basic
        )
      ]
      tableLog(`connection latency, ${rttMs} ms RTT (Node 24)`, variants.length, heavyWarmups)
      const samples = await interleave(variants, { rounds: iterations, warmups: heavyWarmups })
      dc.reset()
      cloud.reset()
      const through = (/** @type {string} */ slow, /** @type {string} */ fast) => {
        const deltaMs = median(pairedDifferences(samples[slow], samples[fast]))
        return { startupMs: median(samples[fast]), deltaMs, rtts: deltaMs / rttMs }
      }
      const last = (/** @type {number[]} */ values) => values.slice(-iterations)
      out.rtt = {
        rounds: iterations,
        warmups: heavyWarmups,
        oneWayMs: ONE_WAY_MS,
        rttMs,
        handshakeRtts: 1,
        variants: results(variants, samples, (id) => ({
          requests: median(last(seen[id].requests)),
          ...(seen[id].connections.length
            ? {
                connections: median(last(seen[id].connections)),
                waves: median(last(seen[id].waves))
              }
            : {})
        })),
        bearer: through('bearerRtt', 'bearerLoopback'),
        basic: through('basicRtt', 'basicLoopback')
      }
    }

    // ---------------------------------------------------------------- time to failure
    if (sections.has('failure')) {
      const refusedPort = await closedPort()
      const variants = [
        variant(
          'refused',
          'refused port (retries=2 default, timeout-seconds=30)',
          `INPUT_DOMAIN=https://127.0.0.1:<closed port> ${rel(node24)} ${entryRel}`,
          action(node24, { domain: `https://127.0.0.1:${refusedPort}`, token: pat }),
          failsWith('connection-error')
        ),
        variant(
          'dns',
          `name that does not resolve (${UNRESOLVABLE}, lookup hook)`,
          `JAC_LOOKUP_HOOK='{"${UNRESOLVABLE}":"ENOTFOUND"}' INPUT_DOMAIN=https://${UNRESOLVABLE} ${rel(node24)} --require ./test-support/lookup-hook.cjs ${entryRel}`,
          action(
            node24,
            { domain: `https://${UNRESOLVABLE}`, token: pat },
            {
              nodeArgs: ['--require', LOOKUP_HOOK],
              env: {
                ...caEnv,
                JAC_LOOKUP_HOOK: JSON.stringify({ [UNRESOLVABLE]: 'ENOTFOUND' }),
                JAC_LOOKUP_HOOK_DELAY_MS: String(LOOKUP_DELAY_MS)
              }
            }
          ),
          failsWith('dns-error')
        ),
        variant(
          'stall',
          'body stalls (stand-in fault stall-body), timeout-seconds=3',
          `INPUT_TIMEOUT-SECONDS=3 ${rel(node24)} ${entryRel}`,
          action(node24, { domain: dc.url, token: pat, 'timeout-seconds': '3' }),
          failsWith('timeout'),
          {
            before: () => {
              dc.reset()
              dc.set({ fault: { type: 'stall-body' } })
            },
            after: () => dc.reset()
          }
        )
      ]
      tableLog('time to failure (Node 24)', variants.length, 0)
      const samples = await interleave(variants, { rounds: iterations, warmups: 0 })
      out.failure = {
        rounds: iterations,
        warmups: 0,
        variants: results(variants, samples, (id) => ({
          errorCode: { refused: 'connection-error', dns: 'dns-error', stall: 'timeout' }[id]
        })),
        timeoutSeconds: 3,
        lookupDelayMs: LOOKUP_DELAY_MS
      }
    }
  } finally {
    for (const link of forwarders) await link.close()
    await dc.close()
    await cloud.close()
  }

  const entryBytes = fileBytes(entry.path)
  out.bundle = {
    entry: entryRel,
    bytes: entryBytes,
    map: existsSync(`${entry.path}.map`)
      ? { path: `${entryRel}.map`, bytes: fileBytes(`${entry.path}.map`) }
      : undefined,
    cli: cli ? { path: rel(cli.path), bytes: fileBytes(cli.path) } : undefined
  }

  const goals = evaluateGoals(out)
  return {
    tool: 'npm run bench',
    schema: 1,
    startedAt,
    durationS: (performance.now() - started) / 1000,
    iterations,
    warmups: config.warmups,
    quick: config.quick,
    sections: [...sections],
    machine: info,
    node24: rel(node24),
    otherNode: otherNode ? { path: otherNode, label: other } : undefined,
    entry: entryRel,
    cli: cli ? rel(cli.path) : undefined,
    results: out,
    goals,
    problems: problems.list,
    notes
  }
}
