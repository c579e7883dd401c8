/** Issue 3: expected user, permissions, project, PAT expiry, and the Basic ordering rule. */
import { expect } from '@jest/globals'
import { basicCredential, type Run, type Scenario } from './harness.js'

const DAY = 24 * 60 * 60 * 1000

function dc(token: string, domain: string, extra: Record<string, string> = {}): Run {
  return { inputs: { domain, token, ...extra }, secrets: [token] }
}

function cloud(token: string, domain: string, extra: Record<string, string> = {}): Run {
  const username = 'ci-bot@example.com'
  return {
    inputs: { domain, token, username, ...extra },
    secrets: [token, basicCredential(username, token)]
  }
}

function isoDay(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * DAY).toISOString().slice(0, 10)
}

export const gateScenarios: Scenario[] = [
  {
    name: 'expected-user matches by username, ignoring case',
    prepare: (s) => dc(s.mintPat(), s.url, { 'expected-user': 'svc-other, CI-BOT' }),
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'ci-bot' } }
  },
  {
    name: 'expected-user matches by email on Cloud',
    on: 'cloud',
    prepare: (s) =>
      cloud(s.mintApiToken(), s.url, {
        'expected-user': 'someone@example.com\nci-bot@example.com'
      }),
    expect: { exitCode: 0, status: 'ok' }
  },
  {
    name: 'expected-user mismatch: identity-mismatch shows who the token belongs to',
    prepare: (s) => dc(s.mintPat(), s.url, { 'expected-user': 'svc-deploy' }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'identity-mismatch',
      message: /belongs to CI Bot \(ci-bot, ci-bot@example\.com\), not to svc-deploy/,
      // The identity is still published, so a later step can say who it was.
      outputs: { username: 'ci-bot', 'http-status': '200' }
    }
  },
  {
    name: 'permissions all granted in a project (Data Center)',
    // 300 ms per response: long enough that every probe is in flight at once, even on a loaded machine.
    settings: { latencyMs: 300 },
    prepare: (s) =>
      dc(s.mintPat(), s.url, {
        project: 'abc',
        'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES\nTRANSITION_ISSUES'
      }),
    expect: { exitCode: 0, status: 'ok', outputs: { 'missing-permissions': '' } },
    verify: (result, s) => {
      const request = s.requests.find((r) => r.endpoint === 'mypermissions')
      expect(request?.query).toMatchObject({
        projectKey: 'ABC',
        // token-policy (warn by default) asks for the admin keys in the same request.
        permissions: 'BROWSE_PROJECTS,CREATE_ISSUES,TRANSITION_ISSUES,ADMINISTER,SYSTEM_ADMIN'
      })
      expect(result.summary).toMatch(/<code>TRANSITION_ISSUES<\/code><\/td><td>✅/)
      // Bearer: myself, serverInfo, the PAT list and mypermissions in one wave.
      expect(s.maxConcurrent).toBe(4)
    }
  },
  {
    name: 'permissions partly missing (Data Center): missing-permissions names each key',
    prepare: (s) =>
      dc(s.mintPat(), s.url, {
        project: 'ABC',
        'required-permissions': 'BROWSE_PROJECTS,DELETE_ISSUES,ADMINISTER'
      }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'missing-permissions',
      message: /lacks DELETE_ISSUES, ADMINISTER in project ABC/,
      outputs: { 'missing-permissions': 'DELETE_ISSUES,ADMINISTER' }
    },
    verify: (result) => {
      expect(result.summary).toMatch(/<code>BROWSE_PROJECTS<\/code><\/td><td>✅/)
      expect(result.summary).toMatch(/<code>DELETE_ISSUES<\/code><\/td><td>❌/)
    }
  },
  {
    name: 'unknown permission key is reported, not passed (Data Center)',
    prepare: (s) =>
      dc(s.mintPat(), s.url, { 'required-permissions': 'BROWSE_PROJECTS,MAKE_COFFEE' }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'missing-permissions',
      message: /does not know the permission key MAKE_COFFEE/,
      outputs: { 'missing-permissions': 'MAKE_COFFEE' }
    }
  },
  {
    name: 'permissions all granted (Cloud)',
    on: 'cloud',
    prepare: (s) =>
      cloud(s.mintApiToken(), s.url, {
        project: 'OPS',
        'required-permissions': 'BROWSE_PROJECTS,ADD_COMMENTS'
      }),
    expect: { exitCode: 0, status: 'ok' },
    verify: (_result, s) => {
      // Cloud needs the permissions parameter; the action always sends it.
      expect(s.requests.find((r) => r.endpoint === 'mypermissions')?.query.permissions).toBe(
        'BROWSE_PROJECTS,ADD_COMMENTS,ADMINISTER,SYSTEM_ADMIN'
      )
    }
  },
  {
    name: 'permissions partly missing (Cloud)',
    on: 'cloud',
    prepare: (s) =>
      cloud(s.mintApiToken(), s.url, {
        project: 'OPS',
        'required-permissions': 'BROWSE_PROJECTS,SYSTEM_ADMIN'
      }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'missing-permissions',
      outputs: { 'missing-permissions': 'SYSTEM_ADMIN' }
    }
  },
  {
    name: 'unknown project: project-not-found',
    prepare: (s) =>
      dc(s.mintPat(), s.url, { project: 'NOPE', 'required-permissions': 'BROWSE_PROJECTS' }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'project-not-found',
      message: /Project NOPE does not exist/
    }
  },
  {
    name: 'project alone checks that the project is visible',
    prepare: (s) => dc(s.mintPat(), s.url, { project: 'OPS' }),
    expect: { exitCode: 0, status: 'ok' }
  },
  {
    name: 'token with 60 days left: ok, expiry published',
    prepare: (s) =>
      dc(s.mintPat({ name: 'deploy-bot', expiresInDays: 60 }), s.url, {
        'token-name': 'deploy-bot'
      }),
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: {
        'token-name': 'deploy-bot',
        'token-days-left': /^(59|60)$/,
        'token-expires-at': /^\d{4}-\d{2}-\d{2}T/
      }
    },
    verify: (result) =>
      expect(result.annotations.filter((a) => a.level === 'warning')).toHaveLength(0)
  },
  {
    name: 'token with 5 days left: warning, the step passes',
    prepare: (s) => {
      s.mintPat({ name: 'old-one', expiresInDays: 200 })
      return dc(s.mintPat({ name: 'short-lived', expiresInDays: 5 }), s.url, {
        'token-name': 'short-lived'
      })
    },
    expect: {
      exitCode: 0,
      status: 'warning',
      outputs: { 'token-days-left': /^(4|5)$/, 'token-name': 'short-lived' }
    },
    verify: (result) => {
      // The other token of the scenario is a stale one: the token policy's warning comes second.
      const warnings = result.annotations.filter(
        (a) => a.level === 'warning' && !/^Token hygiene/.test(a.title ?? '')
      )
      expect(warnings).toHaveLength(1)
      expect(warnings[0].title).toBe('The token expires soon')
      expect(warnings[0].message).toMatch(
        /expires in [45] days[\s\S]*the step still passes[\s\S]*#token-expiring$/
      )
      expect(result.summary).toMatch(/⚠️ <b>[45] days left<\/b>/)
    }
  },
  {
    name: 'within expiry-error-days: token-expiring fails the step',
    prepare: (s) =>
      dc(s.mintPat({ name: 'nearly-gone', expiresInDays: 5 }), s.url, {
        'token-name': 'nearly-gone',
        'expiry-error-days': '7'
      }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-expiring',
      message: /"nearly-gone" expires in [45] days/
    }
  },
  {
    name: 'token-name not found: token-not-found lists the names',
    prepare: (s) => {
      s.mintPat({ name: 'alpha' })
      return dc(s.mintPat({ name: 'beta' }), s.url, { 'token-name': 'gamma' })
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-not-found',
      message: /"gamma".*"alpha", "beta"/
    }
  },
  {
    name: 'single token, no name: its expiry is used',
    prepare: (s) => {
      // A fresh user, so the PAT list holds exactly this one token.
      s.addUser({ name: 'solo', displayName: 'Solo Bot' })
      return dc(s.mintPat({ user: 'solo', name: 'only', expiresInDays: 30 }), s.url)
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: { 'token-name': 'only', 'token-days-left': /^(29|30)$/ }
    },
    verify: (result) => expect(result.summary).toContain('the account&#39;s only token')
  },
  {
    name: 'several tokens, no name: the most recently used, with a notice that it is a guess',
    prepare: (s) => {
      s.addUser({ name: 'multi', displayName: 'Multi Bot' })
      s.mintPat({ user: 'multi', name: 'stale', lastAccessedAt: new Date(Date.now() - 30 * DAY) })
      return dc(
        s.mintPat({ user: 'multi', name: 'fresh', lastAccessedAt: new Date(Date.now() - 60_000) }),
        s.url
      )
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'token-name': 'fresh' } },
    verify: (result) => {
      const notices = result.annotations.filter((a) => a.level === 'notice')
      expect(notices.map((n) => n.message).join('\n')).toMatch(/guess: set `token-name`/)
    }
  },
  {
    name: 'non-expiring token: no expiry, no days',
    prepare: (s) =>
      dc(s.mintPat({ name: 'forever', expiresInDays: null }), s.url, { 'token-name': 'forever' }),
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: { 'token-name': 'forever', 'token-expires-at': '', 'token-days-left': '' }
    },
    verify: (result) => expect(result.summary).toMatch(/Expires<\/th><td>never/)
  },
  {
    name: 'Cloud token-expires-on within the warning window: warning',
    on: 'cloud',
    prepare: (s) => cloud(s.mintApiToken(), s.url, { 'token-expires-on': isoDay(10) }),
    expect: { exitCode: 0, status: 'warning', outputs: { 'token-days-left': /^(9|10)$/ } }
  },
  {
    name: 'Cloud without token-expires-on: expiry unknown, still ok',
    on: 'cloud',
    prepare: (s) => cloud(s.mintApiToken(), s.url),
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: { 'token-days-left': '', 'token-expires-at': '' }
    },
    verify: (result) => expect(result.summary).toMatch(/token-expires-on/)
  },
  {
    name: 'Basic ordering: nothing else is sent until /myself succeeds',
    on: 'cloud',
    settings: { latencyMs: 100 },
    prepare: (s) =>
      cloud(s.mintApiToken(), s.url, { project: 'OPS', 'required-permissions': 'BROWSE_PROJECTS' }),
    expect: { exitCode: 0, status: 'ok' },
    verify: (_result, s) => {
      // Only the anonymous serverInfo goes beside /myself; the credentialed mypermissions waits.
      const myself = s.requests.find((r) => r.endpoint === 'myself')!
      const serverInfo = s.requests.find((r) => r.endpoint === 'serverInfo')!
      const permissions = s.requests.find((r) => r.endpoint === 'mypermissions')!
      expect(s.requests.map((r) => r.endpoint).sort()).toEqual([
        'mypermissions',
        'myself',
        'serverInfo'
      ])
      expect(serverInfo.authorization).toBeUndefined()
      expect(permissions.startedAt).toBeGreaterThanOrEqual(myself.endedAt ?? Infinity)
    }
  },
  {
    name: 'Basic failure: one credentialed request, then only an anonymous serverInfo',
    on: 'cloud',
    prepare: (s) => ({
      ...cloud(`ATATT3xFfGF0${'y'.repeat(150)}`, s.url, {
        project: 'OPS',
        'required-permissions': 'BROWSE_PROJECTS'
      }),
      // A Cloud 401 earns one try through the gateway, which this world (no proxy) cannot reach.
      lookups: { 'api.atlassian.com': 'ENOTFOUND' }
    }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /the gateway could not be reached from here/
    },
    verify: (_result, s) => {
      // The site got one credentialed request; serverInfo and tenant_info went without credentials.
      expect(
        s.requests.filter((r) => r.authorization !== undefined).map((r) => r.endpoint)
      ).toEqual(['myself'])
      expect(s.requests.map((r) => r.endpoint)).not.toContain('mypermissions')
    }
  }
]
