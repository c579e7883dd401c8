/**
 * Token hygiene (token-policy): each finding appears exactly when its condition holds. Every
 * scenario checks a fresh account of its own, because the stand-in keeps the tokens of earlier
 * scenarios, and those would be stale tokens of the shared account.
 */
import { expect } from '@jest/globals'
import type { ActionResult } from '../../test-support/run-action.mjs'
import { startStandin, type Standin } from '../../test-support/standin/index.mjs'
import { basicCredential, type Run, type Scenario } from './harness.js'

const DAY = 24 * 60 * 60 * 1000
let accounts = 0

/** A fresh account on the stand-in, and a PAT of it. */
function account(
  s: Standin,
  pat: Parameters<Standin['mintPat']>[0] = {}
): { user: string; token: string } {
  const user = `svc-policy-${++accounts}-${process.pid}`
  s.addUser({ name: user, displayName: `Policy ${accounts}`, email: `${user}@example.com` })
  return { user, token: s.mintPat({ name: 'deploy', ...pat, user }) }
}

function run(s: Standin, token: string, extra: Record<string, string> = {}): Run {
  return { inputs: { domain: s.url, token, 'token-name': 'deploy', ...extra }, secrets: [token] }
}

const hygieneWarning = (result: ActionResult) =>
  result.annotations.find((a) => a.level === 'warning' && /^Token hygiene/.test(a.title ?? ''))

export const policyScenarios: Scenario[] = [
  {
    name: 'a healthy service-account PAT: no findings, and the summary says so',
    prepare: (s) => run(s, account(s).token),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': '' } },
    verify: (result) => {
      expect(hygieneWarning(result)).toBeUndefined()
      expect(result.summary).toContain('<h3>Token hygiene</h3>\n<p>✅ No findings.</p>')
      expect(result.outputs['token-created-at']).toMatch(/^\d{4}-\d\d-\d\dT/)
    }
  },
  {
    name: 'no-expiry: a PAT that never expires; warn keeps the step green and status ok',
    prepare: (s) => run(s, account(s, { expiresInDays: null }).token),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': 'no-expiry' } },
    verify: (result) => {
      const warning = hygieneWarning(result)
      expect(warning?.title).toBe('Token hygiene: 1 finding')
      expect(warning?.message).toMatch(
        /"deploy" never expires[\s\S]*no-expiry: Create a token with an expiry/
      )
      expect(result.summary).toMatch(/<code>no-expiry<\/code>/)
    }
  },
  {
    name: 'long-lifetime: a 365-day PAT against the 90-day default',
    prepare: (s) => run(s, account(s, { expiresInDays: 365 }).token),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': 'long-lifetime' } },
    verify: (result) => expect(hygieneWarning(result)?.message).toMatch(/lives 36[45] days/)
  },
  {
    name: 'long-lifetime: not with max-token-lifetime-days 0',
    prepare: (s) =>
      run(s, account(s, { expiresInDays: 365 }).token, { 'max-token-lifetime-days': '0' }),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': '' } }
  },
  {
    name: 'admin-rights: the account holds ADMINISTER, asked in the same mypermissions as the gate',
    settings: { permissions: { ADMINISTER: true, BROWSE_PROJECTS: true } },
    prepare: (s) => run(s, account(s).token, { 'required-permissions': 'BROWSE_PROJECTS' }),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': 'admin-rights' } },
    verify: (result, s) => {
      const asked = s.requests.filter((r) => r.endpoint === 'mypermissions')
      expect(asked).toHaveLength(1)
      expect(asked[0].query.permissions).toBe('BROWSE_PROJECTS,ADMINISTER,SYSTEM_ADMIN')
      // The gate lists what it was asked, not the policy's keys.
      expect(result.summary).not.toMatch(/<code>ADMINISTER<\/code><\/td><td>/)
    }
  },
  {
    name: 'stale-tokens: other tokens unused for 90 days, or never, are named; the one in use is not',
    prepare: (s) => {
      const { user, token } = account(s)
      s.mintPat({ user, name: 'old laptop', lastAccessedAt: new Date(Date.now() - 200 * DAY) })
      s.mintPat({ user, name: 'never used' })
      s.mintPat({ user, name: 'in use elsewhere', lastAccessedAt: new Date(Date.now() - 3 * DAY) })
      return run(s, token)
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': 'stale-tokens' } },
    verify: (result) => {
      const message = hygieneWarning(result)?.message ?? ''
      expect(message).toMatch(/2 other tokens not used for 90 days or never/)
      expect(message).toContain('"old laptop" (last used ')
      expect(message).toContain('"never used" (never used)')
      expect(message).not.toContain('in use elsewhere')
      expect(message).toMatch(/ViewProfile\.jspa/)
    }
  },
  {
    name: 'stale-tokens: a hostile token name reaches neither a runner command nor the HTML raw',
    prepare: (s) => {
      const { user, token } = account(s)
      s.mintPat({
        user,
        name: 'x\n::stop-commands::pwn\r\n::error::fake <img src=x>'
      })
      return run(s, token)
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': 'stale-tokens' } },
    verify: (result) => {
      expect(result.stdout).not.toMatch(/^::(stop-commands|error)::(pwn|fake)/m)
      expect(hygieneWarning(result)?.message).toMatch(
        /"x\uFFFD::stop-commands::pwn\uFFFD\uFFFD::error::fake <img src=x>"/
      )
      expect(result.summary).not.toContain('<img')
      expect(result.summary).toContain('&lt;img src=x&gt;')
    }
  },
  {
    name: 'token-policy fail: fails with token-policy, listing every finding and its fix',
    settings: { permissions: { ADMINISTER: true } },
    prepare: (s) => run(s, account(s, { expiresInDays: null }).token, { 'token-policy': 'fail' }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-policy',
      message:
        /2 token hygiene findings: no-expiry, admin-rights[\s\S]*no-expiry: [\s\S]*admin-rights: /,
      outputs: { 'policy-findings': 'no-expiry,admin-rights' }
    }
  },
  {
    name: 'token-policy-ignore drops the named findings',
    settings: { permissions: { ADMINISTER: true } },
    prepare: (s) =>
      run(s, account(s, { expiresInDays: null }).token, {
        'token-policy': 'fail',
        'token-policy-ignore': 'no-expiry, admin-rights'
      }),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': '' } }
  },
  {
    name: 'token-policy off: no policy request, no findings, no hygiene section',
    settings: { permissions: { ADMINISTER: true } },
    prepare: (s) => run(s, account(s, { expiresInDays: null }).token, { 'token-policy': 'off' }),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': '' } },
    verify: (result, s) => {
      expect(s.requests.map((r) => r.endpoint).sort()).toEqual(['myself', 'serverInfo', 'tokens'])
      expect(result.summary).not.toContain('Token hygiene')
    }
  },
  {
    name: 'the Bearer check with every feature on still costs one round trip of responses',
    settings: { latencyMs: 300, permissions: { ADMINISTER: true, BROWSE_PROJECTS: true } },
    prepare: (s) => {
      const { user, token } = account(s, { expiresInDays: 365 })
      s.mintPat({ user, name: 'spare' })
      return run(s, token, {
        'required-permissions': 'BROWSE_PROJECTS',
        project: 'ABC',
        'expected-user': user,
        'expiry-warning-days': '30'
      })
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: { 'policy-findings': 'long-lifetime,admin-rights,stale-tokens' }
    },
    verify: (_result, s) => {
      // Every request went out before the first answer came back: one wave.
      const firstEnd = Math.min(...s.requests.map((r) => r.endedAt ?? Infinity))
      expect(s.requests).toHaveLength(4)
      for (const request of s.requests) expect(request.startedAt).toBeLessThan(firstEnd)
    }
  },
  {
    name: 'within expiry-warning-days the summary adds the rotation checklist',
    prepare: (s) => run(s, account(s, { expiresInDays: 5 }).token),
    expect: { exitCode: 0, status: 'warning' },
    verify: (result) => {
      expect(result.summary).toMatch(
        /<h3>Rotation checklist<\/h3>\n<ol><li>Create the new token now, before the old one expires: [^<]*ViewProfile[^<]*<\/li><li>Update the secret that feeds `token` with it, and re-run this check\.<\/li><li>Revoke the old token\.<\/li><\/ol>/
      )
    }
  },
  {
    name: 'no rotation checklist far from expiry',
    prepare: (s) => run(s, account(s, { expiresInDays: 60 }).token),
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) => expect(result.summary).not.toContain('Rotation checklist')
  },
  {
    name: 'Cloud: a person with a classic API token is personal-account and classic-api-token',
    on: 'cloud',
    prepare: (s) => {
      const token = s.mintApiToken()
      const username = 'ci-bot@example.com'
      return {
        inputs: { domain: s.url, username, token },
        secrets: [token, basicCredential(username, token)]
      }
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: {
        'policy-findings': 'personal-account,classic-api-token',
        'credential-kind': 'api-token'
      }
    }
  },
  {
    name: 'Cloud: token-expires-on further ahead than the limit is long-lifetime',
    on: 'cloud',
    prepare: (s) => {
      const token = s.mintApiToken()
      const username = 'ci-bot@example.com'
      const date = new Date(Date.now() + 200 * DAY).toISOString().slice(0, 10)
      return {
        inputs: {
          domain: s.url,
          username,
          token,
          'token-expires-on': date,
          'token-policy-ignore': 'personal-account,classic-api-token'
        },
        secrets: [token, basicCredential(username, token)]
      }
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': 'long-lifetime' } }
  },
  {
    name: 'insecure-http: an http:// domain with allow-insecure-http',
    prepare: async () => {
      const plain = await startStandin({ protocol: 'http' })
      const token = plain.mintPat({ name: 'deploy' })
      return {
        inputs: { domain: plain.url, token, 'token-name': 'deploy', 'allow-insecure-http': 'true' },
        secrets: [token],
        cleanup: () => plain.close()
      }
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': 'insecure-http' } }
  },
  {
    name: 'a refused admin check is a notice, never a failure',
    settings: { fault: { type: 'status', status: 403, paths: ['mypermissions'] } },
    prepare: (s) => run(s, account(s).token),
    expect: { exitCode: 0, status: 'ok', outputs: { 'policy-findings': '' } },
    verify: (result) => {
      expect(result.annotations.map((a) => a.message).join('\n')).toMatch(
        /whether the account is a Jira administrator was not checked, because mypermissions answered 403/
      )
    }
  }
]
