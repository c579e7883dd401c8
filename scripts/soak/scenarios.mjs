// The soak's scenarios: what the stand-ins are set to, which inputs the action gets, and what it
// must end with. Weights set how often the seeded draw picks each one. Names that must resolve (or
// fail to) go through the lookup hook (test-support/lookup-hook.cjs), so no run ever asks the
// machine's resolver.

/**
 * @typedef {import('../../test-support/standin/index.d.mts').Standin} Standin
 * @typedef {import('../../test-support/standin/index.d.mts').Fault} Fault
 * @typedef {import('../../test-support/standin/index.d.mts').StandinSettings} StandinSettings
 *
 * @typedef {object} Expectation
 * @property {0 | 1} exitCode
 * @property {'ok' | 'failed'} status
 * @property {string} [errorCode] the `error-code` output on failure
 *
 * @typedef {object} SoakWorld
 * @property {Standin} dc
 * @property {Standin} cloud
 * @property {{ pat: string, expiredPat: string, revokedPat: string, soonPat: string, apiToken: string }} tokens
 * @property {number} refusedPort a loopback port nothing listens on
 * @property {(inputs: Record<string, string>) => Promise<{ errorCode: string }>} runOnce runs the
 *   action once outside the measured runs (to trip a lockout, say)
 *
 * @typedef {object} Scenario
 * @property {string} name
 * @property {number} weight
 * @property {'dc' | 'cloud'} [on] the stand-in the domain points at (default: none, give `domain`)
 * @property {string} [domain] instead of the stand-in's URL
 * @property {Partial<StandinSettings>} [set] stand-in settings for this run
 * @property {Fault} [fault]
 * @property {Record<string, string>} inputs
 * @property {number} [timeoutS] `timeout-seconds` (default 3)
 * @property {Record<string, string>} [lookup] the lookup hook's table (JAC_LOOKUP_HOOK); the hook
 *   is loaded only when this is set
 * @property {number} [graceMs] how far past timeout-seconds the run may end (default 2000)
 * @property {string} [why] why the grace differs
 * @property {Expectation} expect
 * @property {(world: SoakWorld) => Promise<void>} [before]
 */

/** @returns {Expectation} */
const ok = () => ({ exitCode: 0, status: 'ok' })
/** @param {string} errorCode @returns {Expectation} */
const fails = (errorCode) => ({ exitCode: 1, status: 'failed', errorCode })

const UNRESOLVABLE = 'jira.soak.invalid'
const NAMED = 'jira.standin.test' // in the stand-in certificate's SANs

/**
 * @param {SoakWorld} world
 * @returns {Scenario[]}
 */
export function soakScenarios({ dc, tokens, refusedPort }) {
  const { pat, expiredPat, revokedPat, soonPat, apiToken } = tokens
  const basicDc = { username: 'ci-bot', token: 'correct-horse-battery' }
  const basicCloud = { username: 'ci-bot@example.com', token: apiToken }
  const everyProbe = {
    'token-name': 'soak-token',
    'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES',
    project: 'OPS',
    'expected-user': 'ci-bot'
  }
  return [
    { name: 'success (Bearer)', weight: 3, on: 'dc', inputs: { token: pat }, expect: ok() },
    {
      name: 'success, every probe',
      weight: 2,
      on: 'dc',
      inputs: { token: pat, ...everyProbe },
      expect: ok()
    },
    {
      name: 'expired PAT (401)',
      weight: 1,
      on: 'dc',
      inputs: { token: expiredPat },
      expect: fails('unauthorized')
    },
    {
      name: 'revoked PAT (401)',
      weight: 1,
      on: 'dc',
      inputs: { token: revokedPat },
      expect: fails('unauthorized')
    },
    {
      name: 'proxy strips Authorization',
      weight: 1,
      on: 'dc',
      fault: { type: 'strip-authorization' },
      inputs: { token: pat },
      expect: fails('unauthorized')
    },
    {
      name: '429 then OK (Retry-After 1)',
      weight: 1,
      on: 'dc',
      fault: { type: 'status', status: 429, retryAfter: 1, times: 1 },
      inputs: { token: pat },
      expect: ok()
    },
    {
      name: '503 twice then OK',
      weight: 1,
      on: 'dc',
      fault: { type: 'status', status: 503, times: 2 },
      inputs: { token: pat },
      expect: ok()
    },
    {
      name: 'persistent 500',
      weight: 1,
      on: 'dc',
      fault: { type: 'status', status: 500 },
      inputs: { token: pat },
      expect: fails('server-error')
    },
    {
      name: 'persistent 502',
      weight: 1,
      on: 'dc',
      fault: { type: 'status', status: 502 },
      inputs: { token: pat },
      expect: fails('server-error')
    },
    {
      name: 'slow headers past the deadline',
      weight: 1,
      on: 'dc',
      fault: { type: 'slow-headers', ms: 5000 },
      inputs: { token: pat },
      timeoutS: 2,
      expect: fails('timeout')
    },
    {
      name: 'stall-body',
      weight: 1,
      on: 'dc',
      fault: { type: 'stall-body' },
      inputs: { token: pat },
      timeoutS: 2,
      expect: fails('timeout')
    },
    {
      name: 'reset mid-body',
      weight: 1,
      on: 'dc',
      fault: { type: 'reset-mid-body' },
      inputs: { token: pat },
      expect: fails('connection-error')
    },
    {
      name: 'malformed JSON',
      weight: 1,
      on: 'dc',
      fault: { type: 'malformed-json' },
      inputs: { token: pat },
      expect: fails('unexpected-response')
    },
    {
      name: 'empty 200',
      weight: 1,
      on: 'dc',
      fault: { type: 'empty-200' },
      inputs: { token: pat },
      expect: fails('unexpected-response')
    },
    {
      name: 'huge body (8 MiB)',
      weight: 1,
      on: 'dc',
      fault: { type: 'huge-body', bytes: 8 * 2 ** 20 },
      inputs: { token: pat },
      expect: fails('unexpected-response')
    },
    {
      name: 'huge body, chunked',
      weight: 1,
      on: 'dc',
      fault: { type: 'huge-body', bytes: 8 * 2 ** 20, chunked: true },
      inputs: { token: pat },
      expect: fails('unexpected-response')
    },
    {
      name: 'redirect (302)',
      weight: 1,
      on: 'dc',
      fault: { type: 'redirect', location: 'https://127.0.0.1:1/elsewhere' },
      inputs: { token: pat },
      expect: fails('login-redirect')
    },
    {
      name: 'SSO redirect',
      weight: 1,
      on: 'dc',
      fault: { type: 'sso-redirect' },
      inputs: { token: pat },
      expect: fails('login-redirect')
    },
    {
      name: 'HTML login page',
      weight: 1,
      on: 'dc',
      fault: { type: 'html-login' },
      inputs: { token: pat },
      expect: fails('login-redirect')
    },
    {
      name: 'missing context path (404)',
      weight: 1,
      domain: `${dc.url}/jira`,
      inputs: { token: pat },
      expect: fails('not-found')
    },
    {
      name: 'expired TLS certificate',
      weight: 1,
      on: 'dc',
      set: { tls: 'expired' },
      inputs: { token: pat },
      expect: fails('tls-error')
    },
    {
      name: 'refused port',
      weight: 1,
      domain: `https://127.0.0.1:${refusedPort}`,
      inputs: { token: pat },
      expect: fails('connection-error')
    },
    {
      name: 'DNS: name does not resolve (lookup hook)',
      weight: 1,
      domain: `https://${UNRESOLVABLE}`,
      lookup: { [UNRESOLVABLE]: 'ENOTFOUND' },
      inputs: { token: pat },
      expect: fails('dns-error')
    },
    {
      name: 'DNS: name resolves to the stand-in (lookup hook)',
      weight: 1,
      domain: `https://${NAMED}:${dc.port}`,
      lookup: { [NAMED]: '127.0.0.1' },
      inputs: { token: pat },
      expect: ok()
    },
    {
      name: 'DNS: lookup hangs (lookup hook)',
      weight: 1,
      domain: `https://${UNRESOLVABLE}`,
      lookup: { [UNRESOLVABLE]: 'hang' },
      inputs: { token: pat },
      timeoutS: 2,
      graceMs: 3000,
      why: 'a hung lookup keeps the process alive after the report, so the watchdog ends it 2 s after the deadline, and the deadline is armed only after start-up',
      expect: fails('timeout')
    },
    {
      name: 'identity mismatch',
      weight: 1,
      on: 'dc',
      inputs: { token: pat, 'expected-user': 'someone-else' },
      expect: fails('identity-mismatch')
    },
    {
      name: 'missing permission',
      weight: 1,
      on: 'dc',
      inputs: { token: pat, 'required-permissions': 'ADMINISTER_PROJECTS', project: 'OPS' },
      expect: fails('missing-permissions')
    },
    {
      name: 'token expiring',
      weight: 1,
      on: 'dc',
      inputs: { token: soonPat, 'token-name': 'soak-soon', 'expiry-error-days': '7' },
      expect: fails('token-expiring')
    },
    {
      name: 'Basic DC, wrong password',
      weight: 1,
      on: 'dc',
      inputs: { ...basicDc, token: 'wrong-password' },
      expect: fails('unauthorized')
    },
    {
      name: 'Basic DC, CAPTCHA',
      weight: 1,
      on: 'dc',
      // One failed login (an earlier pipeline run with the wrong password) trips the lowered threshold.
      set: { captchaThreshold: 1 },
      inputs: basicDc,
      expect: fails('captcha-required'),
      before: async ({ dc: standin, runOnce }) => {
        const { errorCode } = await runOnce({
          domain: standin.url,
          ...basicDc,
          token: 'not-the-password'
        })
        if (errorCode !== 'unauthorized') {
          throw new Error(`the failed login before the CAPTCHA run ended with ${errorCode}`)
        }
      }
    },
    {
      name: 'Basic DC, Basic auth disabled',
      weight: 1,
      on: 'dc',
      set: { basicAuthDisabled: true },
      inputs: basicDc,
      expect: fails('basic-auth-disabled')
    },
    {
      name: 'Basic Cloud, success',
      weight: 2,
      on: 'cloud',
      inputs: { ...basicCloud, 'required-permissions': 'BROWSE_PROJECTS', project: 'OPS' },
      expect: ok()
    },
    {
      name: 'Cloud API token sent as Bearer',
      weight: 1,
      on: 'cloud',
      inputs: { token: apiToken },
      expect: fails('unauthorized')
    },
    {
      name: 'Basic Cloud, 429 then OK',
      weight: 1,
      on: 'cloud',
      fault: { type: 'status', status: 429, retryAfter: 1, times: 1 },
      inputs: basicCloud,
      expect: ok()
    }
  ]
}
