import { describe, it, expect } from '@jest/globals'
import type { Failure } from '../../src/engine/findings.js'
import type { ProbeResult } from '../../src/engine/jira/client.js'
import { PATHS } from '../../src/engine/jira/endpoints.js'
import type { JiraUser, PatToken } from '../../src/engine/jira/types.js'
import type { ProbeAnswers } from '../../src/engine/probes.js'
import type { Settings } from '../../src/engine/settings/parse.js'
import {
  contextOf,
  describeIdentity,
  failedResult,
  identityKeys,
  verdict,
  type CheckResult
} from '../../src/engine/verdict.js'
import { probe, response, transportError } from '../../__fixtures__/probes.js'
import { PAT, settingsFor } from '../../__fixtures__/settings.js'

const BASE = 'https://jira.example.com'
const NOW = new Date('2026-05-01T00:00:00.000Z')

const settings = settingsFor

const basic = (overrides: Partial<Settings> = {}): Settings =>
  settings({ username: 'ci-bot@example.com', token: 'apitoken', authScheme: 'basic', ...overrides })

const USER: JiraUser = {
  name: 'ci-bot',
  key: 'JIRAUSER10100',
  emailAddress: 'ci@example.com',
  displayName: 'CI Bot',
  active: true
}
const SERVER = { version: '9.12.2', deploymentType: 'Server', serverTitle: 'Jira' }

const days = (n: number): string =>
  new Date(NOW.getTime() + n * 86400000).toISOString().replace('Z', '+00:00')

function perms(granted: Record<string, boolean>): unknown {
  return {
    permissions: Object.fromEntries(
      Object.entries(granted).map(([key, havePermission]) => [key, { key, havePermission }])
    )
  }
}

const ok = (body: unknown, path: string): ProbeResult =>
  probe(response(200, body), `${BASE}${path}`)

/** The answers of a healthy Data Center, with overrides; `undefined` means "not sent". */
function answers(overrides: Partial<ProbeAnswers> = {}): ProbeAnswers {
  return {
    myself: ok(USER, PATHS.myself),
    serverInfo: ok(SERVER, PATHS.serverInfo),
    tokens: ok([{ id: 1, name: 'ci', expiringAt: days(60) }], PATHS.tokens),
    apiBase: BASE,
    viaGateway: false,
    cloud: false,
    ...overrides
  }
}

const tokens = (list: PatToken[]): ProbeAnswers => answers({ tokens: ok(list, PATHS.tokens) })

function judge(s: Settings, a: ProbeAnswers = answers()): CheckResult {
  return verdict(s, a, NOW, contextOf(s))
}

const codes = (result: CheckResult): string[] => result.notes.map((note) => note.code)

describe('contextOf', () => {
  it('describes a Data Center base URL and the token, never the token itself', () => {
    const context = contextOf(settings({ retries: 3, timeoutSeconds: 12 }))
    expect(context).toEqual({
      baseUrl: BASE,
      host: 'jira.example.com',
      origin: 'https://jira.example.com',
      contextPath: '',
      authScheme: 'bearer',
      tokenLength: 44,
      tokenShape: 'data-center-pat',
      timeoutSeconds: 12,
      retries: 3
    })
    expect(JSON.stringify(context)).not.toContain(PAT)
  })

  it('keeps the port in the origin, the context path, and the proxy when one is used', () => {
    expect(
      contextOf(
        settings({ baseUrl: 'https://jira.example.com:8443/tools/jira' }),
        'http://proxy:3128'
      )
    ).toMatchObject({
      host: 'jira.example.com',
      origin: 'https://jira.example.com:8443',
      contextPath: '/tools/jira',
      proxy: 'http://proxy:3128'
    })
    expect('proxy' in contextOf(settings())).toBe(false)
  })

  it('names a Cloud API token by its shape', () => {
    expect(contextOf(basic({ token: 'ATATT3xFfGF0abc' })).tokenShape).toBe('cloud-api-token')
  })
})

describe('failedResult', () => {
  it('wraps a failure, with no notes and no context by default', () => {
    const failure: Failure = { code: 'internal-error', detail: 'x' }
    expect(failedResult(failure)).toEqual({ status: 'failed', failure, notes: [], context: {} })
  })

  it('keeps the notes and context given', () => {
    const failure: Failure = { code: 'missing-input', input: 'token', detail: 'empty' }
    expect(failedResult(failure, [{ code: 'bearer-prefix-removed' }], { host: 'h' })).toEqual({
      status: 'failed',
      failure,
      notes: [{ code: 'bearer-prefix-removed' }],
      context: { host: 'h' }
    })
  })
})

describe('verdict: result', () => {
  it('returns the user, identity JSON, server and the context it learnt on success', () => {
    const s = settings({ retries: 3, timeoutSeconds: 12 })
    const result = judge(s)
    expect(result.status).toBe('ok')
    expect(result.failure).toBeUndefined()
    expect(result.httpStatus).toBe(200)
    expect(result.user).toEqual(USER)
    expect(result.identityJson).toBe(JSON.stringify(USER))
    expect(result.server).toEqual(SERVER)
    expect(result.context).toEqual({
      ...contextOf(s),
      deploymentType: 'Server',
      serverVersion: '9.12.2'
    })
    expect(result.notes).toEqual([])
  })

  it('still succeeds when serverInfo fails or was not sent', () => {
    for (const serverInfo of [probe(response(503, '')), undefined]) {
      const result = judge(settings(), answers({ serverInfo }))
      expect(result.status).toBe('ok')
      expect(result.server).toBeUndefined()
      expect(result.context.deploymentType).toBeUndefined()
    }
  })

  it('fails with the classified /myself failure, and keeps what serverInfo said', () => {
    const result = judge(
      settings(),
      answers({ myself: probe(response(401, '', { 'x-ausername': 'anonymous' })) })
    )
    expect(result.status).toBe('failed')
    expect(result.failure?.code).toBe('unauthorized')
    expect(result.failure).toMatchObject({
      code: 'unauthorized',
      response: { ausername: 'anonymous' }
    })
    expect(result.httpStatus).toBe(401)
    expect(result.user).toBeUndefined()
    expect(result.server).toEqual(SERVER)
    expect(result.context.deploymentType).toBe('Server')
  })

  it('has no HTTP status when /myself was never answered', () => {
    const result = judge(basic(), {
      myself: probe(transportError('ECONNREFUSED')),
      apiBase: BASE,
      viaGateway: false,
      cloud: false
    })
    expect(result.failure?.code).toBe('connection-error')
    expect(result.httpStatus).toBeUndefined()
  })

  it('neutralises and caps what serverInfo says before it reaches a sentence', () => {
    const result = judge(
      settings(),
      answers({
        serverInfo: ok(
          { version: `9.12.2\n::error::x${'9'.repeat(100)}`, deploymentType: 'Server\u202e' },
          PATHS.serverInfo
        )
      })
    )
    expect(result.context.serverVersion).not.toMatch(/\n/)
    expect(result.context.serverVersion).toHaveLength(60)
    expect(result.context.deploymentType).toBe('Server\ufffd')
  })

  it('notes an inactive account that still answered, and passes', () => {
    const result = judge(
      settings(),
      answers({ myself: ok({ ...USER, active: false }, PATHS.myself) })
    )
    expect(result.status).toBe('ok')
    expect(codes(result)).toEqual(['account-inactive'])
  })
})

describe('verdict: expected-user', () => {
  it.each([['CI-BOT'], ['jirauser10100'], ['CI@Example.com'], ['someone-else, ci-bot']])(
    'matches %j',
    (expected) => {
      expect(judge(settings({ expectedUsers: expected.split(', ') })).status).toBe('ok')
    }
  )

  it('matches a Cloud accountId', () => {
    const cloudUser = {
      accountId: '5b10a2844c20165700ede21g',
      displayName: 'Bot',
      emailAddress: null
    }
    const result = judge(
      basic({ expectedUsers: ['5B10A2844C20165700EDE21G'] }),
      answers({ myself: ok(cloudUser, PATHS.myself), tokens: undefined })
    )
    expect(result.status).toBe('ok')
  })

  it('fails with identity-mismatch naming both sides, and keeps the user', () => {
    const result = judge(settings({ expectedUsers: ['release-bot', 'deploy@example.com'] }))
    expect(result.status).toBe('failed')
    expect(result.failure).toEqual({
      code: 'identity-mismatch',
      actual: 'CI Bot (ci-bot, ci@example.com)',
      expected: ['release-bot', 'deploy@example.com']
    })
    expect(result.user).toEqual(USER)
    expect(result.identityJson).toBe(JSON.stringify(USER))
  })

  it('does not match on the display name', () => {
    expect(judge(settings({ expectedUsers: ['CI Bot'] })).failure?.code).toBe('identity-mismatch')
  })

  it('neutralises a hostile display name in the mismatch', () => {
    const result = judge(
      settings({ expectedUsers: ['other'] }),
      answers({ myself: ok({ name: 'mia', displayName: 'Mia\n::add-mask::x' }, PATHS.myself) })
    )
    expect(result.failure?.code === 'identity-mismatch' && result.failure.actual).toBe(
      'Mia\ufffd::add-mask::x (mia)'
    )
  })
})

describe('identityKeys / describeIdentity', () => {
  it('lists the lower-cased identities and skips empty ones', () => {
    expect(identityKeys({ name: 'Bob', key: '', emailAddress: null, accountId: 'AbC' })).toEqual([
      'bob',
      'abc'
    ])
  })

  it('describes DC and Cloud users', () => {
    expect(describeIdentity(USER)).toBe('CI Bot (ci-bot, ci@example.com)')
    expect(describeIdentity({ accountId: '5b10', displayName: 'Bot' })).toBe('Bot (5b10)')
    expect(describeIdentity({ key: 'JIRAUSER1' })).toBe('JIRAUSER1 (JIRAUSER1)')
    expect(describeIdentity({})).toBe('? (?)')
  })
})

describe('verdict: permissions', () => {
  const required = ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'ADD_COMMENTS']

  it('passes when every permission is held', () => {
    const result = judge(
      settings({ requiredPermissions: required, project: 'ABC' }),
      answers({
        permissions: ok(
          perms({ BROWSE_PROJECTS: true, CREATE_ISSUES: true, ADD_COMMENTS: true }),
          PATHS.myPermissions
        )
      })
    )
    expect(result.status).toBe('ok')
    expect(result.permissions).toEqual(
      required.map((key) => ({ key, granted: true, unknown: false }))
    )
  })

  it('fails with missing-permissions listing the missing and the unknown keys', () => {
    const url = `${BASE}/rest/api/2/mypermissions?projectKey=ABC&permissions=x`
    const result = judge(
      settings({ requiredPermissions: required, project: 'ABC' }),
      answers({
        permissions: probe(
          response(200, perms({ BROWSE_PROJECTS: true, CREATE_ISSUES: false })),
          url
        )
      })
    )
    expect(result.status).toBe('failed')
    expect(result.failure).toEqual({
      code: 'missing-permissions',
      url,
      project: 'ABC',
      missing: ['CREATE_ISSUES'],
      unknown: ['ADD_COMMENTS']
    })
    expect(result.permissions).toEqual([
      { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
      { key: 'CREATE_ISSUES', granted: false, unknown: false },
      { key: 'ADD_COMMENTS', granted: false, unknown: true }
    ])
    // The expiry was still found, for the summary.
    expect(result.expiry?.daysLeft).toBe(60)
  })

  it('leaves project out of missing-permissions when none was given', () => {
    const result = judge(
      settings({ requiredPermissions: ['CREATE_ISSUES'] }),
      answers({ permissions: ok(perms({ CREATE_ISSUES: false }), PATHS.myPermissions) })
    )
    expect(result.failure?.code).toBe('missing-permissions')
    expect(result.failure && 'project' in result.failure).toBe(false)
  })

  it('fails with project-not-found on a 404 for a project', () => {
    const result = judge(
      settings({ project: 'NOPE' }),
      answers({
        permissions: probe(
          response(404, { errorMessages: ["No project could be found with key 'NOPE'."] })
        )
      })
    )
    expect(result.failure?.code).toBe('project-not-found')
    expect(result.failure?.code === 'project-not-found' && result.failure.project).toBe('NOPE')
    expect(result.user).toEqual(USER)
  })

  it('checks identity before permissions', () => {
    const result = judge(
      settings({ expectedUsers: ['other'], requiredPermissions: ['BROWSE_PROJECTS'] }),
      answers({ permissions: ok(perms({ BROWSE_PROJECTS: false }), PATHS.myPermissions) })
    )
    expect(result.failure?.code).toBe('identity-mismatch')
    expect(result.permissions).toBeUndefined()
  })

  it('reports missing permissions before expiry', () => {
    const result = judge(
      settings({ requiredPermissions: ['CREATE_ISSUES'], expiryErrorDays: 7 }),
      answers({
        tokens: ok([{ id: 1, name: 'ci', expiringAt: days(1) }], PATHS.tokens),
        permissions: ok(perms({ CREATE_ISSUES: false }), PATHS.myPermissions)
      })
    )
    expect(result.failure?.code).toBe('missing-permissions')
  })
})

describe('verdict: PAT list and expiry', () => {
  it('finds the token by token-name', () => {
    const result = judge(
      settings({ tokenName: 'ci' }),
      tokens([
        { id: 1, name: 'laptop', expiringAt: days(10), lastAccessedAt: days(-1) },
        { id: 2, name: 'ci', expiringAt: days(60) }
      ])
    )
    expect(result.status).toBe('ok')
    expect(result.expiry).toEqual({
      name: 'ci',
      id: 2,
      matchedBy: 'name',
      expiresAt: '2026-06-30T00:00:00.000Z',
      daysLeft: 60
    })
    expect(result.notes).toEqual([])
  })

  it('returns the PAT list as Jira sent it, names raw, for the rotation', () => {
    const result = judge(
      settings({ tokenName: 'ci' }),
      tokens([
        { id: 1, name: 'laptop\n::x', expiringAt: days(10) },
        { id: 2, name: 'ci', expiringAt: days(60) }
      ])
    )
    expect(result.patList?.map((token) => [token.id, token.name])).toEqual([
      [1, 'laptop\n::x'],
      [2, 'ci']
    ])
    expect(judge(settings(), answers({ tokens: undefined })).patList).toBeUndefined()
  })

  it('fails with token-not-found listing the names', () => {
    const result = judge(
      settings({ tokenName: 'CI' }),
      tokens([
        { id: 1, name: 'ci' },
        { id: 2, name: 'laptop\n::x' }
      ])
    )
    expect(result.failure).toEqual({
      code: 'token-not-found',
      url: `${BASE}${PATHS.tokens}`,
      tokenName: 'CI',
      available: ['ci', 'laptop\ufffd::x']
    })
  })

  it('uses a lone token without a note', () => {
    const result = judge(settings(), tokens([{ id: 7, name: 'only', expiringAt: days(60) }]))
    expect(result.expiry?.matchedBy).toBe('only-token')
    expect(result.expiry?.name).toBe('only')
    expect(result.notes).toEqual([])
  })

  it('guesses the most recently used of several, with a token-guessed note', () => {
    const result = judge(
      settings(),
      tokens([
        { id: 1, name: 'old', expiringAt: days(5), lastAccessedAt: days(-30) },
        { id: 2, name: 'recent', expiringAt: days(60), lastAccessedAt: days(-1) }
      ])
    )
    expect(result.expiry).toMatchObject({ name: 'recent', matchedBy: 'guess', daysLeft: 60 })
    expect(result.status).toBe('ok')
    expect(result.notes).toEqual([{ code: 'token-guessed', count: 2, name: 'recent' }])
  })

  it('notes namesakes, and takes the one that expires first', () => {
    const result = judge(
      settings({ tokenName: 'ci' }),
      tokens([
        { id: 1, name: 'ci', expiringAt: days(90) },
        { id: 2, name: 'ci', expiringAt: days(30) }
      ])
    )
    expect(result.expiry?.daysLeft).toBe(30)
    expect(result.notes).toEqual([{ code: 'token-namesakes', count: 2, name: 'ci' }])
  })

  it('reports a non-expiring token without days', () => {
    const result = judge(
      settings(),
      tokens([{ id: 1, name: 'forever', expiringAt: '9999-12-31T00:00:00.000+00:00' }])
    )
    expect(result.expiry).toEqual({
      name: 'forever',
      id: 1,
      matchedBy: 'only-token',
      nonExpiring: true
    })
    expect(result.status).toBe('ok')
  })

  it('says the expiry is unknown when the list is empty', () => {
    const result = judge(settings(), tokens([]))
    expect(result.expiry?.unknownBecause).toContain('no personal access tokens')
  })

  it('says the expiry is unknown on a 404 (no PAT API), without a note', () => {
    const result = judge(settings(), answers({ tokens: probe(response(404, '')) }))
    expect(result.status).toBe('ok')
    expect(result.expiry?.unknownBecause).toContain('no personal access token API')
    expect(result.notes).toEqual([])
  })

  it('notes a 404 when token-name was set', () => {
    const result = judge(
      settings({ tokenName: 'ci' }),
      answers({ tokens: probe(response(404, '')) })
    )
    expect(result.status).toBe('ok')
    expect(result.notes).toEqual([
      { code: 'pat-list-unavailable', reason: expect.stringContaining('8.14'), tokenName: true }
    ])
  })

  it('notes a refused list even without token-name: that is news', () => {
    const result = judge(settings(), answers({ tokens: probe(response(403, '')) }))
    expect(result.status).toBe('ok')
    expect(result.notes).toEqual([
      {
        code: 'pat-list-unavailable',
        reason: 'Jira refused to list the tokens (HTTP 403)',
        tokenName: false
      }
    ])
  })

  it('falls back to token-expires-on when the list is unavailable, without a note', () => {
    const result = judge(
      settings({ tokenName: 'ci', tokenExpiresOn: new Date('2026-05-31T00:00:00Z') }),
      answers({ tokens: probe(response(404, '')) })
    )
    expect(result.expiry).toEqual({
      matchedBy: 'input',
      expiresAt: '2026-05-31T00:00:00.000Z',
      daysLeft: 30
    })
    expect(result.notes).toEqual([])
  })

  it('fails when the list cannot be read and token-name was set', () => {
    const result = judge(
      settings({ tokenName: 'ci' }),
      answers({ tokens: probe(response(500, '')) })
    )
    expect(result.failure?.code).toBe('server-error')
  })

  it('only notes it when the list cannot be read and no token-name was set', () => {
    const result = judge(settings(), answers({ tokens: probe(response(500, '')) }))
    expect(result.status).toBe('ok')
    expect(result.expiry).toEqual({ unknownBecause: 'the token list could not be read' })
    expect(result.notes).toEqual([{ code: 'pat-list-unreadable' }])
  })

  it('says why the expiry is unknown when the list was not read', () => {
    expect(judge(settings(), answers({ tokens: undefined })).expiry).toEqual({
      unknownBecause: 'not checked'
    })
    expect(judge(basic(), answers({ tokens: undefined })).expiry).toEqual({
      unknownBecause: 'Jira exposes no expiry for passwords'
    })
  })

  it('60 days left is ok', () => {
    const result = judge(
      settings({ expiryWarningDays: 14, expiryErrorDays: 7 }),
      tokens([{ id: 1, name: 'ci', expiringAt: days(60) }])
    )
    expect(result.status).toBe('ok')
    expect(result.expiry?.daysLeft).toBe(60)
  })

  it('5 days left is a warning, not a failure', () => {
    const result = judge(
      settings({ expiryWarningDays: 14 }),
      tokens([{ id: 1, name: 'ci', expiringAt: days(5) }])
    )
    expect(result.status).toBe('warning')
    expect(result.failure).toBeUndefined()
    expect(result.expiry?.daysLeft).toBe(5)
  })

  it('within expiry-error-days is a token-expiring failure', () => {
    const result = judge(
      settings({ expiryWarningDays: 14, expiryErrorDays: 7 }),
      tokens([{ id: 1, name: 'ci', expiringAt: days(5) }])
    )
    expect(result.status).toBe('failed')
    expect(result.failure).toEqual({
      code: 'token-expiring',
      daysLeft: 5,
      expiresAt: '2026-05-06T00:00:00.000Z',
      tokenName: 'ci'
    })
    expect(result.expiry?.daysLeft).toBe(5)
  })

  it('uses token-expires-on when given without token-name', () => {
    const result = judge(
      settings({ tokenExpiresOn: new Date('2026-05-11T00:00:00Z'), expiryWarningDays: 14 }),
      answers({ tokens: undefined })
    )
    expect(result.expiry).toEqual({
      matchedBy: 'input',
      expiresAt: '2026-05-11T00:00:00.000Z',
      daysLeft: 10
    })
    expect(result.status).toBe('warning')
  })

  it('uses token-expires-on with Basic auth, and a token-expiring failure has no name then', () => {
    const passing = judge(basic({ tokenExpiresOn: new Date('2026-07-30T00:00:00Z') }))
    expect(passing.expiry).toEqual({
      matchedBy: 'input',
      expiresAt: '2026-07-30T00:00:00.000Z',
      daysLeft: 90
    })
    const failing = judge(
      basic({ tokenExpiresOn: new Date('2026-05-03T00:00:00Z'), expiryErrorDays: 7 })
    )
    expect(failing.failure).toEqual({
      code: 'token-expiring',
      daysLeft: 2,
      expiresAt: '2026-05-03T00:00:00.000Z'
    })
  })

  it('notes token-expires-on in the past, yet the token worked', () => {
    const result = judge(settings({ tokenExpiresOn: new Date('2026-04-01T00:00:00Z') }))
    expect(result.expiry?.daysLeft).toBe(-30)
    expect(result.status).toBe('warning')
    expect(result.notes).toEqual([{ code: 'expiry-date-in-past', date: '2026-04-01' }])
  })

  it('notes token-name with Basic auth, where there is no PAT to look up', () => {
    expect(codes(judge(basic({ tokenName: 'ci' }), answers({ tokens: undefined })))).toEqual([
      'token-name-with-basic'
    ])
  })

  it('notes token-name on Cloud, recognised by serverInfo or by the host', () => {
    const cloudInfo = ok({ version: '1001.0.0', deploymentType: 'Cloud' }, PATHS.serverInfo)
    const byServer = judge(
      basic({ tokenName: 'ci' }),
      answers({ serverInfo: cloudInfo, tokens: undefined })
    )
    expect(codes(byServer)).toEqual(['token-name-on-cloud'])
    const s = basic({ tokenName: 'ci', baseUrl: 'https://acme.atlassian.net' })
    const byHost = verdict(
      s,
      answers({ serverInfo: undefined, tokens: undefined }),
      NOW,
      contextOf(s)
    )
    expect(codes(byHost)).toEqual(['token-name-on-cloud'])
  })

  it('keeps the notes in the order they were made: identity first, then expiry', () => {
    const result = judge(
      settings({ tokenExpiresOn: new Date('2026-04-01T00:00:00Z') }),
      answers({ myself: ok({ ...USER, active: false }, PATHS.myself) })
    )
    expect(codes(result)).toEqual(['account-inactive', 'expiry-date-in-past'])
  })
})

const CLOUD_ID = '1324a887-45db-1bf4-1e99-ef0ff456d421'
const SITE = 'https://acme.atlassian.net'
const GATEWAY = `https://api.atlassian.com/ex/jira/${CLOUD_ID}`
const CLOUD_USER: JiraUser = {
  accountId: '712020:5c6f8b2e-4f1a-4b3e-9d0a-2c7e1f3b8a90',
  accountType: 'atlassian',
  emailAddress: 'ci@acme.example',
  displayName: 'CI Bot',
  active: true
}
const SERVICE_USER: JiraUser = {
  accountId: '712020:0f9d8c7b-6a5e-4d3c-8b2a-190817263544',
  accountType: 'app',
  appType: 'service',
  emailAddress: 'deploy-bot@serviceaccount.atlassian.com',
  displayName: 'Deploy Bot',
  active: true
}
const SCOPE_MISMATCH = { code: 401, message: 'Unauthorized; scope does not match' }
const cloudServer = { version: '1001.0.0-SNAPSHOT', deploymentType: 'Cloud' }

function cloudAnswers(overrides: Partial<ProbeAnswers> = {}): ProbeAnswers {
  return {
    myself: probe(response(200, CLOUD_USER), `${SITE}${PATHS.myself}`),
    serverInfo: probe(response(200, cloudServer), `${SITE}${PATHS.serverInfo}`),
    apiBase: SITE,
    viaGateway: false,
    cloudId: CLOUD_ID,
    cloud: true,
    ...overrides
  }
}
const cloudBasic = (overrides: Partial<Settings> = {}): Settings =>
  basic({ baseUrl: SITE, username: 'ci@acme.example', ...overrides })
const clientCredentials = (overrides: Partial<Settings> = {}): Settings =>
  settings({
    baseUrl: SITE,
    token: '',
    authScheme: 'client-credentials',
    clientId: 'client-1',
    clientSecret: 'secret-1',
    ...overrides
  })
const exchange = (body: unknown, status = 200): ProbeResult =>
  probe(response(status, body), 'https://auth.atlassian.com/oauth/token')
const ACCESS = { access_token: 'eyJ.access.token', token_type: 'Bearer', expires_in: 3600 }

describe('verdict: credential kinds and the Cloud gateway', () => {
  it.each<[string, Settings, Partial<ProbeAnswers>, string]>([
    ['a Data Center PAT', settings(), {}, 'pat'],
    [
      'a Bearer token without the PAT shape',
      settings({ token: 'oauth-access-token' }),
      {},
      'bearer-token'
    ],
    ['a Basic password on Data Center', basic(), { tokens: undefined }, 'password']
  ])('%s is %s', (_name, s, overrides, kind) => {
    const result = judge(s, answers(overrides))
    expect(result.credentialKind).toBe(kind)
    expect(result.apiBaseUrl).toBe(BASE)
  })

  it('a classic API token on the site is api-token, with the site as api-base-url and the cloudId', () => {
    const result = judge(cloudBasic(), cloudAnswers())
    expect(result).toMatchObject({
      status: 'ok',
      credentialKind: 'api-token',
      apiBaseUrl: SITE,
      cloudId: CLOUD_ID
    })
    expect(codes(result)).not.toContain('gateway-only')
  })

  it('a token only the gateway takes is a scoped-api-token, with the gateway as api-base-url', () => {
    const result = judge(
      cloudBasic(),
      cloudAnswers({
        siteMyself: probe(response(401, ''), `${SITE}${PATHS.myself}`),
        myself: probe(response(200, CLOUD_USER), `${GATEWAY}${PATHS.myself}`),
        viaGateway: true,
        apiBase: GATEWAY,
        gateway: { url: `${GATEWAY}${PATHS.myself}`, outcome: '200' }
      })
    )
    expect(result).toMatchObject({
      status: 'ok',
      credentialKind: 'scoped-api-token',
      apiBaseUrl: GATEWAY,
      cloudId: CLOUD_ID,
      context: { viaGateway: true, cloudId: CLOUD_ID }
    })
    expect(result.notes).toContainEqual({ code: 'gateway-only', gatewayUrl: GATEWAY })
  })

  it('both refused: unauthorized from the site, saying what the gateway answered; no kind', () => {
    const result = judge(
      cloudBasic(),
      cloudAnswers({
        siteMyself: probe(response(401, ''), `${SITE}${PATHS.myself}`),
        myself: probe(response(401, { code: 401, message: 'Unauthorized' })),
        gateway: { url: `${GATEWAY}${PATHS.myself}`, outcome: '401' }
      })
    )
    expect(result.failure).toMatchObject({
      code: 'unauthorized',
      response: { status: 401, url: `${SITE}${PATHS.myself}` },
      gateway: { url: `${GATEWAY}${PATHS.myself}`, outcome: '401' }
    })
    expect(result.credentialKind).toBeUndefined()
    expect(result.apiBaseUrl).toBeUndefined()
  })

  it('a scope mismatch on /myself is insufficient-scope, and the kind is known', () => {
    const result = judge(
      cloudBasic(),
      cloudAnswers({
        siteMyself: probe(response(401, '')),
        myself: probe(response(401, SCOPE_MISMATCH), `${GATEWAY}${PATHS.myself}`),
        viaGateway: false,
        gateway: { url: `${GATEWAY}${PATHS.myself}`, outcome: '401' }
      })
    )
    expect(result.failure).toMatchObject({
      code: 'insufficient-scope',
      probe: 'myself',
      ran: ['myself']
    })
    expect(result.credentialKind).toBe('scoped-api-token')
  })

  it('a scope mismatch on mypermissions is insufficient-scope for the permissions', () => {
    const result = judge(
      cloudBasic({ requiredPermissions: ['BROWSE_PROJECTS'] }),
      cloudAnswers({
        myself: probe(response(200, CLOUD_USER), `${GATEWAY}${PATHS.myself}`),
        permissions: probe(response(401, SCOPE_MISMATCH)),
        viaGateway: true,
        apiBase: GATEWAY
      })
    )
    expect(result.failure).toMatchObject({
      code: 'insufficient-scope',
      probe: 'permissions',
      ran: ['myself', 'permissions']
    })
    expect(result.user?.accountId).toBe(CLOUD_USER.accountId)
  })

  it('a 401 without a cloudId notes that the gateway could not be tried', () => {
    const result = judge(
      cloudBasic(),
      cloudAnswers({
        myself: probe(response(401, '')),
        cloudId: undefined,
        gateway: { url: '', outcome: '', skipped: 'the cloudId of the site is unknown' }
      })
    )
    expect(result.failure?.code).toBe('unauthorized')
    expect(result.notes).toContainEqual({
      code: 'cloud-id-unknown',
      reason: 'the cloudId of the site is unknown'
    })
  })

  it('names a Cloud service account by accountType and appType, or by its e-mail', () => {
    const result = judge(cloudBasic(), cloudAnswers({ myself: probe(response(200, SERVICE_USER)) }))
    expect(result.serviceAccount).toBe(true)
    expect(describeIdentity(SERVICE_USER, true)).toBe(
      `service account Deploy Bot (${SERVICE_USER.accountId}, deploy-bot@serviceaccount.atlassian.com)`
    )
    const byMail = judge(
      cloudBasic(),
      cloudAnswers({
        myself: probe(
          response(200, { ...CLOUD_USER, emailAddress: 'x@serviceaccount.atlassian.com' })
        )
      })
    )
    expect(byMail.serviceAccount).toBe(true)
    expect(judge(cloudBasic(), cloudAnswers()).serviceAccount).toBeUndefined()
  })

  it('matches an expected-user given as a 712020:<uuid> account id, in any case', () => {
    const result = judge(
      cloudBasic({ expectedUsers: [SERVICE_USER.accountId!.toUpperCase()] }),
      cloudAnswers({ myself: probe(response(200, SERVICE_USER)) })
    )
    expect(result.status).toBe('ok')
  })
})

describe('verdict: client credentials', () => {
  it('Cloud: the access token, when it expires, the gateway and the kind', () => {
    const result = judge(
      clientCredentials(),
      cloudAnswers({
        exchange: exchange(ACCESS),
        myself: probe(response(200, SERVICE_USER), `${GATEWAY}${PATHS.myself}`),
        viaGateway: true,
        apiBase: GATEWAY
      })
    )
    expect(result).toMatchObject({
      status: 'ok',
      credentialKind: 'oauth-client-credentials',
      apiBaseUrl: GATEWAY,
      serviceAccount: true,
      accessToken: {
        token: 'eyJ.access.token',
        expiresAt: new Date(NOW.getTime() + 3600_000).toISOString()
      }
    })
    expect(result.expiry?.unknownBecause).toMatch(/client credentials/)
  })

  it.each([
    [400, { error: 'invalid_client', error_description: 'Client authentication failed' }],
    [400, { error: 'unauthorized_client' }],
    [401, { error: 'access_denied', error_description: 'Unauthorized' }],
    [401, 'Unauthorized']
  ])('a token endpoint %d %j is invalid-client', (status, body) => {
    const result = judge(
      clientCredentials(),
      cloudAnswers({ exchange: exchange(body, status), myself: undefined })
    )
    expect(result.failure).toMatchObject({ code: 'invalid-client', platform: 'cloud' })
    expect(result.accessToken).toBeUndefined()
    expect(result.credentialKind).toBeUndefined()
  })

  it.each([
    [{ error: 'invalid_scope' }, 400, 'unexpected-response'],
    [{ token_type: 'Bearer' }, 200, 'unexpected-response'],
    [{ access_token: 'a b' }, 200, 'unexpected-response'],
    [{ access_token: 'abc', token_type: 'mac' }, 200, 'unexpected-response'],
    ['<html>maintenance</html>', 503, 'server-error'],
    ['', 404, 'not-found']
  ])('an odd token answer %j (%d) is %s, never internal-error', (body, status, code) => {
    const result = judge(
      clientCredentials(),
      cloudAnswers({ exchange: exchange(body, status), myself: undefined })
    )
    expect(result.failure?.code).toBe(code)
  })

  it('Cloud without a cloudId: the credentials work, and cloud-id is missing', () => {
    const result = judge(
      clientCredentials(),
      cloudAnswers({
        exchange: exchange(ACCESS),
        myself: undefined,
        cloudId: undefined,
        gateway: { url: '', outcome: '', skipped: 'the cloudId of the site is unknown' }
      })
    )
    expect(result.failure).toMatchObject({ code: 'missing-input', input: 'cloud-id' })
    expect(result.credentialKind).toBe('oauth-client-credentials')
  })

  const dataCenter = (overrides: Partial<ProbeAnswers>): ProbeAnswers =>
    answers({
      exchange: probe(response(200, ACCESS), `${BASE}${PATHS.oauthToken}`),
      tokens: undefined,
      ...overrides
    })
  const dcClient = (overrides: Partial<Settings> = {}): Settings =>
    clientCredentials({ baseUrl: BASE, ...overrides })

  it('Data Center: /myself refused after the exchange is a warning that says what was proved', () => {
    const result = judge(dcClient(), dataCenter({ myself: probe(response(401, '')) }))
    expect(result.status).toBe('warning')
    expect(result.failure).toBeUndefined()
    expect(result.notes).toContainEqual({ code: 'identity-unread', status: 401 })
    expect(result.user).toBeUndefined()
    expect(result).toMatchObject({ credentialKind: 'oauth-client-credentials', apiBaseUrl: BASE })
  })

  it('Data Center: never passes expected-user on an identity it did not read', () => {
    const result = judge(
      dcClient({ expectedUsers: ['deploy-bot'] }),
      dataCenter({ myself: probe(response(401, '')) })
    )
    expect(result.failure).toMatchObject({ code: 'identity-unverified', gates: ['expected-user'] })
  })

  it('Data Center: permissions that answer are still checked without the identity', () => {
    const granted = judge(
      dcClient({ requiredPermissions: ['BROWSE_PROJECTS'] }),
      dataCenter({
        myself: probe(response(401, '')),
        permissions: probe(response(200, perms({ BROWSE_PROJECTS: true })))
      })
    )
    expect(granted.status).toBe('warning')
    expect(granted.permissions).toEqual([{ key: 'BROWSE_PROJECTS', granted: true, unknown: false }])
    const refused = judge(
      dcClient({ requiredPermissions: ['BROWSE_PROJECTS'] }),
      dataCenter({ myself: probe(response(401, '')), permissions: probe(response(401, '')) })
    )
    expect(refused.failure).toMatchObject({
      code: 'identity-unverified',
      gates: ['required-permissions']
    })
    const lacking = judge(
      dcClient({ requiredPermissions: ['CREATE_ISSUES'] }),
      dataCenter({
        myself: probe(response(401, '')),
        permissions: probe(response(200, perms({ CREATE_ISSUES: false })))
      })
    )
    expect(lacking.failure).toMatchObject({
      code: 'missing-permissions',
      missing: ['CREATE_ISSUES']
    })
  })

  it('Data Center: a service account /myself answers for is a service account', () => {
    const result = judge(
      dcClient(),
      dataCenter({
        myself: probe(response(200, { name: 'deploy-bot', displayName: 'Deploy Bot' }))
      })
    )
    expect(result).toMatchObject({
      status: 'ok',
      serviceAccount: true,
      credentialKind: 'oauth-client-credentials'
    })
  })

  it('Cloud: a gateway refusal after the exchange fails: the account has no role on the site', () => {
    const result = judge(
      clientCredentials(),
      cloudAnswers({
        exchange: exchange(ACCESS),
        myself: probe(response(401, { code: 401, message: 'Unauthorized' })),
        viaGateway: true,
        apiBase: GATEWAY
      })
    )
    expect(result.failure?.code).toBe('unauthorized')
    expect(result.credentialKind).toBe('oauth-client-credentials')
  })
})
