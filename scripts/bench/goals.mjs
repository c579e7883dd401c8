// The goals `npm run bench` judges, each a ratio or a difference against a baseline measured in the
// same run (interleaved, medians of per-round figures), so a slower or busier machine moves both
// sides alike. A goal is 'pass', 'fail' (the figure is above its limit: reported, never a crash) or
// 'skipped' (its section did not run). The targets come from the start-up audit
// (research deps-perf-2026-12 §1 and its recommendation).

/**
 * @typedef {{ id: string, label: string, limit: number, unit: string, target?: string,
 *   figure: (results: Record<string, any>) => number | undefined,
 *   detail?: (results: Record<string, any>) => string }} Goal
 * @typedef {{ id: string, label: string, limit: number, unit: string, target?: string,
 *   figure: number | null, status: 'pass' | 'fail' | 'skipped', detail?: string }} GoalResult
 */

/** @param {any} section @param {string} id */
const comparison = (section, id) =>
  section?.comparisons?.find((/** @type {any} */ c) => c.id === id)

/** @type {Goal[]} */
export const GOALS = [
  {
    id: 'success-path',
    label:
      'loopback success path (Bearer: myself + serverInfo + PAT list + mypermissions) / a minimal `node:https` GET of `/myself`, Node 24',
    limit: 1.3,
    unit: '×',
    figure: (r) => comparison(r.startup, 'action24/minimal24')?.paired
  },
  {
    id: 'missing-input',
    label: 'immediate `missing-input` failure (`INPUT_DOMAIN=`) / `node -e 0`, Node 24',
    limit: 1.7,
    unit: '×',
    figure: (r) => comparison(r.floor, 'missing24/noop24')?.paired
  },
  {
    id: 'bearer-rtt',
    label: 'Bearer check through a 50 ms RTT link: start-up + N RTT',
    limit: 3.5,
    unit: 'RTT',
    target:
      '3 (TCP + TLS 1.3 + HTTP, the probes in parallel); the limit allows half an RTT of noise',
    figure: (r) => r.rtt?.bearer?.rtts
  },
  {
    id: 'basic-rtt',
    label: 'Basic check (Cloud, `required-permissions`) through a 50 ms RTT link: start-up + N RTT',
    limit: 4.5,
    unit: 'RTT',
    target:
      '4 (serverInfo alongside /myself, mypermissions on the kept-alive socket); the limit allows half an RTT of noise',
    figure: (r) => r.rtt?.basic?.rtts
  },
  {
    id: 'bearer-300',
    label: 'Bearer, every probe, 300 ms added to every response: start-up + N × 300 ms',
    limit: 2,
    unit: '× 300 ms',
    figure: (r) => r.latency?.bearer?.responses
  },
  {
    id: 'dns-failure',
    label: 'time to failure for a name that does not resolve',
    limit: 1000,
    unit: 'ms',
    figure: (r) =>
      r.failure?.variants?.find((/** @type {any} */ v) => v.id === 'dns')?.summary.median
  }
]

/**
 * @param {Record<string, any>} results
 * @returns {GoalResult[]}
 */
export function evaluateGoals(results) {
  return GOALS.map((goal) => {
    const value = goal.figure(results)
    const known = typeof value === 'number' && Number.isFinite(value)
    return {
      id: goal.id,
      label: goal.label,
      limit: goal.limit,
      unit: goal.unit,
      ...(goal.target ? { target: goal.target } : {}),
      figure: known ? value : null,
      status: !known ? 'skipped' : value <= goal.limit ? 'pass' : 'fail'
    }
  })
}
