/** Issue 2: success on both flavours, and every error code a server can produce. */
import { expect } from '@jest/globals'
import { basicCredential, countEndpoint, type Scenario } from './harness.js'

const PASSWORD = 'correct-horse-battery'

function bearer(token: string, extra: Record<string, string> = {}) {
  return (domain: string) => ({ inputs: { domain, token, ...extra }, secrets: [token] })
}

export const v1Scenarios: Scenario[] = [
  {
    name: 'Data Center PAT: ok, identity published, one concurrent wave',
    // 300 ms per response: long enough that every probe is in flight at once, even on a loaded machine.
    settings: { latencyMs: 300 },
    prepare: (s) => bearer(s.mintPat({ name: 'ci-token' }))(s.url),
    expect: {
      exitCode: 0,
      status: 'ok',
      message: /Authenticated to Jira 10\.3\.19 as CI Bot \(ci-bot, ci-bot@example\.com\)/,
      outputs: {
        'http-status': '200',
        'display-name': 'CI Bot',
        username: 'ci-bot',
        'user-key': 'JIRAUSER10100',
        'account-id': '',
        email: 'ci-bot@example.com',
        active: 'true',
        'time-zone': 'Europe/Berlin',
        locale: 'en_US',
        'deployment-type': 'Server',
        'server-version': '10.3.19',
        'token-name': 'ci-token'
      }
    },
    verify: (result, s, _world, run) => {
      expect(JSON.parse(result.outputs.identity)).toMatchObject({
        name: 'ci-bot',
        key: 'JIRAUSER10100'
      })
      const myself = s.requests.find((r) => r.endpoint === 'myself')
      expect(myself?.authorization).toBe(`Bearer ${run.inputs.token}`)
      expect(myself?.headers.accept).toBe('application/json')
      expect(String(myself?.headers['user-agent'])).toMatch(/^jira-auth-check\/\d+\.\d+\.\d+/)
      // serverInfo needs no login: it never carries the token.
      expect(s.requests.find((r) => r.endpoint === 'serverInfo')?.authorization).toBeUndefined()
      // One round trip: myself, serverInfo, the PAT list and the token policy's mypermissions were
      // in flight together.
      expect(s.maxConcurrent).toBe(4)
      expect(result.summary).toContain('CI Bot')
      expect(result.summary).toContain('10.3.19')
    }
  },
  {
    name: 'Jira Cloud API token with username: ok, accountId published',
    on: 'cloud',
    prepare: (s) => {
      const token = s.mintApiToken()
      const username = 'ci-bot@example.com'
      return {
        inputs: { domain: s.url, token, username },
        secrets: [token, basicCredential(username, token)]
      }
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: {
        'account-id': '5b10a2844c20165700ede21g',
        username: '',
        'user-key': '',
        'deployment-type': 'Cloud',
        email: 'ci-bot@example.com'
      }
    },
    verify: (_result, s, _world, run) => {
      expect(s.requests[0].endpoint).toBe('myself')
      expect(s.requests[0].authorization).toBe(
        `Basic ${basicCredential(run.inputs.username, run.inputs.token)}`
      )
      // Basic: /myself alone first; nothing else started before it ended.
      expect(
        s.requests.slice(1).every((r) => r.startedAt >= (s.requests[0].endedAt ?? Infinity))
      ).toBe(true)
    }
  },
  {
    name: 'context path kept, trailing slash dropped',
    on: 'dcContext',
    prepare: (s) => bearer(s.mintPat())(`${s.url}/`),
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'ci-bot' } },
    verify: (_result, s) =>
      expect(s.requests.every((r) => r.path.startsWith('/jira/rest/'))).toBe(true)
  },
  {
    name: 'missing context path: not-found with the context-path hint',
    on: 'dcContext',
    prepare: (s) => bearer(s.mintPat())(s.origin),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'not-found',
      message: /context path/,
      outputs: { 'http-status': '404' }
    }
  },
  {
    name: 'expired PAT: unauthorized, asked exactly once',
    prepare: (s) => bearer(s.mintPat({ expiresInDays: -1 }))(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message:
        /expired, revoked or mistyped[\s\S]*X-AUSERNAME: anonymous[\s\S]*44 characters and has the shape of a Data Center PAT/,
      outputs: { 'http-status': '401', username: '' }
    },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(1)
  },
  {
    name: 'revoked PAT: unauthorized',
    prepare: (s) => {
      const token = s.mintPat()
      s.revokePat(token)
      return bearer(token)(s.url)
    },
    expect: { exitCode: 1, status: 'failed', errorCode: 'unauthorized' }
  },
  {
    name: 'garbage token: unauthorized, says the shape is wrong',
    prepare: (s) => bearer('not-a-real-token-but-long-enough-000000')(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /does not have the shape of a Data Center PAT/
    }
  },
  {
    name: 'deactivated user: unauthorized',
    prepare: (s) => {
      s.addUser({ name: 'gone', displayName: 'Gone User', active: false })
      return bearer(s.mintPat({ user: 'gone' }))(s.url)
    },
    expect: { exitCode: 1, status: 'failed', errorCode: 'unauthorized' }
  },
  {
    name: 'PATs turned off: unauthorized',
    settings: { patsEnabled: false },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /turned personal access tokens off/
    }
  },
  {
    name: 'Jira 8.5 has no PATs: unauthorized names 8.14',
    settings: { version: '8.5.3' },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: { exitCode: 1, status: 'failed', errorCode: 'unauthorized', message: /8\.14/ }
  },
  {
    name: 'proxy strips Authorization: unauthorized',
    settings: { fault: { type: 'strip-authorization' } },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /strips the Authorization header/
    }
  },
  {
    name: 'Cloud API token sent as Bearer: unauthorized, says to set username',
    on: 'cloud',
    prepare: (s) => bearer(s.mintApiToken())(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /Jira Cloud[\s\S]*`username`/
    }
  },
  {
    name: 'Cloud wrong API token with username: unauthorized, one request with credentials',
    on: 'cloud',
    prepare: (s) => {
      const token = `ATATT3xFfGF0${'x'.repeat(120)}`
      return {
        inputs: { domain: s.url, token, username: 'ci-bot@example.com' },
        secrets: [token],
        // The retry through the gateway (a scoped token works only there) cannot reach it here.
        lookups: { 'api.atlassian.com': 'ENOTFOUND' }
      }
    },
    expect: { exitCode: 1, status: 'failed', errorCode: 'unauthorized', message: /API token/ },
    verify: (_result, s) => {
      expect(s.requests.filter((r) => r.authorization !== undefined)).toHaveLength(1)
    }
  },
  {
    name: 'DC Basic with a PAT as password: unauthorized, tells to drop username',
    prepare: (s) => {
      const token = s.mintPat()
      return {
        inputs: { domain: s.url, token, username: 'ci-bot' },
        secrets: [token, basicCredential('ci-bot', token)]
      }
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /PATs are sent as Bearer[\s\S]*remove `username`/
    },
    verify: (_result, s) => expect(s.failedLoginCount('ci-bot')).toBe(1)
  },
  {
    name: 'CAPTCHA lockout: captcha-required with the login URL, not retried',
    settings: { captchaThreshold: 1 },
    prepare: async (s) => {
      // One failed login elsewhere trips the (lowered) threshold.
      await fetchBasic(s.url, s.caCertPem, 'ci-bot', 'wrong-password')
      s.requests.length = 0
      return {
        inputs: { domain: s.url, token: PASSWORD, username: 'ci-bot' },
        secrets: [PASSWORD, basicCredential('ci-bot', PASSWORD)]
      }
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'captcha-required',
      message: /login\.jsp/,
      outputs: { 'http-status': '403' }
    },
    verify: (_result, s) =>
      expect(s.requests.filter((r) => r.authorization !== undefined)).toHaveLength(1)
  },
  {
    name: 'DC Basic disabled: basic-auth-disabled',
    settings: { basicAuthDisabled: true },
    prepare: (s) => ({
      inputs: { domain: s.url, token: PASSWORD, username: 'ci-bot' },
      secrets: [PASSWORD, basicCredential('ci-bot', PASSWORD)]
    }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'basic-auth-disabled',
      message: /personal access token/
    }
  },
  {
    name: 'DC Basic with the right password: ok',
    prepare: (s) => ({
      inputs: { domain: s.url, token: PASSWORD, username: 'ci-bot' },
      secrets: [PASSWORD, basicCredential('ci-bot', PASSWORD)]
    }),
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'ci-bot' } }
  },
  {
    name: 'plain 403 from a WAF: forbidden',
    settings: {
      fault: { type: 'status', status: 403, body: '<html><title>Request blocked</title></html>' }
    },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: { exitCode: 1, status: 'failed', errorCode: 'forbidden', message: /Request blocked/ },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(1)
  },
  {
    name: 'SSO redirect: login-redirect naming the IdP host, nothing followed',
    settings: { fault: { type: 'sso-redirect' } },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'login-redirect',
      message: /idp\.example\.com/,
      outputs: { 'http-status': '302' }
    }
  },
  {
    name: 'HTML login page with 200: login-redirect',
    settings: { fault: { type: 'html-login' } },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: { exitCode: 1, status: 'failed', errorCode: 'login-redirect', message: /Log in - Jira/ }
  },
  {
    name: 'persistent 429: rate-limited after the retry budget',
    settings: { fault: { type: 'status', status: 429, retryAfter: 1 } },
    prepare: (s) => bearer(s.mintPat(), { retries: '1', 'timeout-seconds': '6' })(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'rate-limited',
      outputs: { 'http-status': '429' }
    },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(2)
  },
  {
    name: 'persistent 500: server-error, not retried',
    settings: { fault: { type: 'status', status: 500 } },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: { exitCode: 1, status: 'failed', errorCode: 'server-error', message: /HTTP 500/ },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(1)
  },
  {
    name: 'persistent 503: server-error after retries',
    settings: { fault: { type: 'status', status: 503 } },
    prepare: (s) => bearer(s.mintPat(), { retries: '2', 'timeout-seconds': '10' })(s.url),
    expect: { exitCode: 1, status: 'failed', errorCode: 'server-error' },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(3)
  },
  {
    name: 'headers never come: timeout within the deadline',
    settings: { fault: { type: 'slow-headers', ms: 20_000 } },
    prepare: (s) => bearer(s.mintPat(), { 'timeout-seconds': '2' })(s.url),
    expect: { exitCode: 1, status: 'failed', errorCode: 'timeout', message: /within 2 s/ }
  },
  {
    name: 'unknown host: dns-error, fast and not retried',
    prepare: () => ({
      ...bearer('not-a-real-token-but-long-enough-000000')('https://jira.does-not-exist.invalid'),
      lookups: { 'jira.does-not-exist.invalid': 'ENOTFOUND' }
    }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'dns-error', message: /does not resolve/ },
    verify: (result) => {
      expect(result.durationMs).toBeLessThan(3000)
      expect(result.stdout.match(/myself → ENOTFOUND/g)).toHaveLength(1)
    }
  },
  {
    name: 'nothing listening: connection-error',
    prepare: () =>
      bearer('not-a-real-token-but-long-enough-000000', { retries: '1' })('https://127.0.0.1:9'),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'connection-error',
      message: /ECONNREFUSED/
    }
  },
  {
    name: 'CA not trusted: tls-error pointing at NODE_EXTRA_CA_CERTS',
    prepare: (s) => ({ ...bearer(s.mintPat())(s.url), env: { NODE_EXTRA_CA_CERTS: undefined } }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'tls-error',
      message: /NODE_EXTRA_CA_CERTS/
    }
  },
  {
    name: 'unexpected body: unexpected-response',
    settings: { fault: { type: 'malformed-json' } },
    prepare: (s) => bearer(s.mintPat())(s.url),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unexpected-response',
      message: /not valid JSON/
    }
  }
]

/** A failed Basic login from "another tool", to raise the failed-login count. */
async function fetchBasic(
  url: string,
  ca: string,
  username: string,
  password: string
): Promise<void> {
  const https = await import('node:https')
  await new Promise<void>((resolve, reject) => {
    const request = https.request(
      `${url}/rest/api/2/myself`,
      {
        ca,
        headers: {
          Authorization: `Basic ${basicCredential(username, password)}`,
          Accept: 'application/json'
        }
      },
      (response) => {
        response.resume()
        response.on('end', () => resolve())
      }
    )
    request.on('error', reject)
    request.end()
  })
}
