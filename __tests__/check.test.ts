import { describe, it, expect } from '@jest/globals'
import {
  describeIdentity,
  identityKeys,
  PATHS,
  permissionsPath,
  runCheck,
  type CheckResult
} from '../src/check.js'
import type { GetOptions, JiraGet, ProbeResult } from '../src/jira/client.js'
import type { JiraUser, PatToken } from '../src/jira/types.js'
import type { Settings } from '../src/settings.js'
import { probe, response, transportError } from '../__fixtures__/probes.js'
import { settingsFor } from '../__fixtures__/settings.js'

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

interface Call {
  path: string
  options: GetOptions | undefined
  /** How many earlier calls had resolved when this one started. */
  resolvedBefore: number
}

type Route = ProbeResult | ((path: string) => ProbeResult)

/** A fake JiraGet: answers by path (query ignored) after a macrotask, and records every call. */
function fakeJira(routes: Partial<Record<keyof typeof PATHS, Route>>) {
  const calls: Call[] = []
  let resolved = 0
  const byPath = Object.fromEntries(
    Object.entries(routes).map(([name, route]) => [PATHS[name as keyof typeof PATHS], route])
  )
  const get: JiraGet = async (path, options) => {
    calls.push({ path, options, resolvedBefore: resolved })
    await new Promise((resolve) => setImmediate(resolve))
    resolved++
    const route = byPath[path.split('?')[0]]
    if (!route) throw new Error(`unexpected request for ${path}`)
    return typeof route === 'function' ? route(path) : route
  }
  return { get, calls, paths: () => calls.map((call) => call.path.split('?')[0]) }
}

const ok = (body: unknown, path: string): ProbeResult =>
  probe(response(200, body), `${BASE}${path}`)

function jira(overrides: Partial<Record<keyof typeof PATHS, Route>> = {}) {
  return fakeJira({
    myself: ok(USER, PATHS.myself),
    serverInfo: ok(SERVER, PATHS.serverInfo),
    tokens: ok([{ id: 1, name: 'ci', expiringAt: days(60) }], PATHS.tokens),
    myPermissions: ok(perms({ BROWSE_PROJECTS: true }), PATHS.myPermissions),
    ...overrides
  })
}

async function check(s: Settings, fake = jira()): Promise<CheckResult> {
  return runCheck(s, { get: fake.get, now: () => NOW })
}

describe('permissionsPath', () => {
  it.each([
    [
      { requiredPermissions: ['BROWSE_PROJECTS', 'CREATE_ISSUES'], project: 'ABC' },
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS%2CCREATE_ISSUES'
    ],
    [
      { requiredPermissions: ['ADD_COMMENTS'], project: '10000' },
      '/rest/api/2/mypermissions?projectId=10000&permissions=ADD_COMMENTS'
    ],
    [
      { requiredPermissions: [], project: 'ABC' },
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
    ],
    [
      { requiredPermissions: ['BROWSE_PROJECTS'], project: '' },
      '/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS'
    ]
  ])('%j → %s', (input, path) => {
    expect(permissionsPath(input)).toBe(path)
  })
})

describe('runCheck: which requests, in what order', () => {
  it('Bearer sends myself, serverInfo (anonymous), tokens and mypermissions all at once', async () => {
    const fake = jira()
    await check(settings({ requiredPermissions: ['BROWSE_PROJECTS'] }), fake)
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tokens,
      PATHS.myPermissions
    ])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 0, 0])
    expect(fake.calls[0].options?.anonymous).not.toBe(true)
    expect(fake.calls[1].options).toEqual({ anonymous: true })
    expect(fake.calls[2].options?.anonymous).not.toBe(true)
    expect(fake.calls[3].options?.anonymous).not.toBe(true)
    expect(fake.calls[3].path).toBe('/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS')
  })

  it('Bearer without permissions or project skips mypermissions', async () => {
    const fake = jira()
    await check(settings(), fake)
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.tokens])
  })

  it('Bearer with token-expires-on and no token-name skips the token list', async () => {
    const fake = jira()
    await check(settings({ tokenExpiresOn: new Date('2026-12-01T00:00:00Z') }), fake)
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
  })

  it('Bearer with token-expires-on and token-name still reads the token list', async () => {
    const fake = jira()
    await check(
      settings({ tokenExpiresOn: new Date('2026-12-01T00:00:00Z'), tokenName: 'ci' }),
      fake
    )
    expect(fake.paths()).toContain(PATHS.tokens)
  })

  it('Basic sends myself alone first, then serverInfo and mypermissions together, and never tokens', async () => {
    const fake = jira()
    const result = await check(basic({ project: 'ABC' }), fake)
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.myPermissions])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 1, 1])
    expect(fake.calls[1].options).toEqual({ anonymous: true })
    expect(fake.calls[2].path).toBe(
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
    )
    expect(result.status).toBe('ok')
    expect(result.expiry?.unknownBecause).toContain('token-expires-on')
  })

  it('Basic with a refused /myself sends only an anonymous serverInfo after it', async () => {
    const fake = jira({
      myself: probe(response(401, '', { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' })),
      serverInfo: ok({ version: '1001.0.0', deploymentType: 'Cloud' }, PATHS.serverInfo)
    })
    const result = await check(basic({ requiredPermissions: ['BROWSE_PROJECTS'] }), fake)
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    expect(fake.calls[1].options).toEqual({ anonymous: true })
    expect(fake.calls[1].resolvedBefore).toBe(1)
    expect(result.status).toBe('failed')
    expect(result.failure?.code).toBe('unauthorized')
    expect(result.failure?.evidence.seraphLoginReason).toBe('AUTHENTICATED_FAILED')
    expect(result.httpStatus).toBe(401)
    expect(result.context.deploymentType).toBe('Cloud')
  })

  it('Basic with /myself unreachable sends nothing more', async () => {
    const fake = jira({ myself: probe(transportError('ECONNREFUSED')) })
    const result = await check(basic(), fake)
    expect(fake.paths()).toEqual([PATHS.myself])
    expect(result.failure?.code).toBe('connection-error')
    expect(result.httpStatus).toBeUndefined()
  })
})

describe('runCheck: result', () => {
  it('returns the user, server and context on success', async () => {
    const result = await check(settings({ retries: 3, timeoutSeconds: 12 }))
    expect(result.status).toBe('ok')
    expect(result.failure).toBeUndefined()
    expect(result.httpStatus).toBe(200)
    expect(result.user).toEqual(USER)
    expect(result.server).toEqual(SERVER)
    expect(result.context).toEqual({
      baseUrl: BASE,
      host: 'jira.example.com',
      origin: 'https://jira.example.com',
      contextPath: '',
      authScheme: 'bearer',
      tokenLength: 44,
      tokenShape: 'data-center-pat',
      timeoutSeconds: 12,
      retries: 3,
      deploymentType: 'Server',
      serverVersion: '9.12.2'
    })
  })

  it('still succeeds when serverInfo fails', async () => {
    const result = await check(settings(), jira({ serverInfo: probe(response(503, '')) }))
    expect(result.status).toBe('ok')
    expect(result.server).toBeUndefined()
    expect(result.context.deploymentType).toBeUndefined()
  })

  it('fails with the classified /myself failure', async () => {
    const result = await check(
      settings(),
      jira({ myself: probe(response(401, '', { 'x-ausername': 'anonymous' })) })
    )
    expect(result.status).toBe('failed')
    expect(result.failure?.code).toBe('unauthorized')
    expect(result.failure?.evidence.ausername).toBe('anonymous')
    expect(result.user).toBeUndefined()
    expect(result.server).toEqual(SERVER)
  })
})

describe('runCheck: expected-user', () => {
  it.each([['CI-BOT'], ['jirauser10100'], ['CI@Example.com'], ['someone-else, ci-bot']])(
    'matches %j',
    async (expected) => {
      const result = await check(settings({ expectedUsers: expected.split(', ') }))
      expect(result.status).toBe('ok')
    }
  )

  it('matches a Cloud accountId', async () => {
    const cloudUser = {
      accountId: '5b10a2844c20165700ede21g',
      displayName: 'Bot',
      emailAddress: null
    }
    const result = await check(
      basic({ expectedUsers: ['5B10A2844C20165700EDE21G'] }),
      jira({ myself: ok(cloudUser, PATHS.myself) })
    )
    expect(result.status).toBe('ok')
  })

  it('fails with identity-mismatch naming both sides', async () => {
    const result = await check(settings({ expectedUsers: ['release-bot', 'deploy@example.com'] }))
    expect(result.status).toBe('failed')
    expect(result.failure).toEqual({
      code: 'identity-mismatch',
      evidence: {
        actualIdentity: 'CI Bot (ci-bot, ci@example.com)',
        expected: ['release-bot', 'deploy@example.com']
      }
    })
    expect(result.user).toEqual(USER)
  })

  it('does not match on the display name', async () => {
    const result = await check(settings({ expectedUsers: ['CI Bot'] }))
    expect(result.failure?.code).toBe('identity-mismatch')
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
    expect(describeIdentity({})).toBe('? (?)')
  })
})

describe('runCheck: permissions', () => {
  const required = ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'ADD_COMMENTS']

  it('passes when every permission is held', async () => {
    const fake = jira({
      myPermissions: ok(
        perms({ BROWSE_PROJECTS: true, CREATE_ISSUES: true, ADD_COMMENTS: true }),
        PATHS.myPermissions
      )
    })
    const result = await check(settings({ requiredPermissions: required, project: 'ABC' }), fake)
    expect(result.status).toBe('ok')
    expect(result.permissions).toEqual(
      required.map((key) => ({ key, granted: true, unknown: false }))
    )
  })

  it('fails with missing-permissions listing the missing and the unknown keys', async () => {
    const url = `${BASE}/rest/api/2/mypermissions?projectKey=ABC&permissions=x`
    const fake = jira({
      myPermissions: probe(
        response(200, perms({ BROWSE_PROJECTS: true, CREATE_ISSUES: false })),
        url
      )
    })
    const result = await check(settings({ requiredPermissions: required, project: 'ABC' }), fake)
    expect(result.status).toBe('failed')
    expect(result.failure).toEqual({
      code: 'missing-permissions',
      evidence: {
        url,
        project: 'ABC',
        missingPermissions: ['CREATE_ISSUES'],
        unknownPermissions: ['ADD_COMMENTS']
      }
    })
    expect(result.permissions).toEqual([
      { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
      { key: 'CREATE_ISSUES', granted: false, unknown: false },
      { key: 'ADD_COMMENTS', granted: false, unknown: true }
    ])
  })

  it('fails with project-not-found on a 404 for a project', async () => {
    const fake = jira({
      myPermissions: probe(
        response(404, { errorMessages: ["No project could be found with key 'NOPE'."] })
      )
    })
    const result = await check(settings({ project: 'NOPE' }), fake)
    expect(result.failure?.code).toBe('project-not-found')
    expect(result.failure?.evidence.project).toBe('NOPE')
  })

  it('checks identity before permissions', async () => {
    const fake = jira({ myPermissions: ok(perms({ BROWSE_PROJECTS: false }), PATHS.myPermissions) })
    const result = await check(
      settings({ expectedUsers: ['other'], requiredPermissions: ['BROWSE_PROJECTS'] }),
      fake
    )
    expect(result.failure?.code).toBe('identity-mismatch')
  })
})

describe('runCheck: PAT list and expiry', () => {
  const tokens = (list: PatToken[]) => jira({ tokens: ok(list, PATHS.tokens) })

  it('finds the token by token-name', async () => {
    const fake = tokens([
      { id: 1, name: 'laptop', expiringAt: days(10), lastAccessedAt: days(-1) },
      { id: 2, name: 'ci', expiringAt: days(60) }
    ])
    const result = await check(settings({ tokenName: 'ci' }), fake)
    expect(result.status).toBe('ok')
    expect(result.expiry).toEqual({
      name: 'ci',
      matchedBy: 'name',
      expiresAt: '2026-06-30T00:00:00.000Z',
      daysLeft: 60
    })
    expect(result.notes).toEqual([])
  })

  it('fails with token-not-found listing the names', async () => {
    const result = await check(
      settings({ tokenName: 'CI' }),
      tokens([
        { id: 1, name: 'ci' },
        { id: 2, name: 'laptop' }
      ])
    )
    expect(result.failure).toEqual({
      code: 'token-not-found',
      evidence: {
        url: `${BASE}${PATHS.tokens}`,
        tokenName: 'CI',
        availableTokenNames: ['ci', 'laptop']
      }
    })
  })

  it('uses a lone token without a notice', async () => {
    const result = await check(settings(), tokens([{ id: 7, name: 'only', expiringAt: days(60) }]))
    expect(result.expiry?.matchedBy).toBe('only-token')
    expect(result.expiry?.name).toBe('only')
    expect(result.notes).toEqual([])
  })

  it('guesses the most recently used of several, with a notice', async () => {
    const result = await check(
      settings(),
      tokens([
        { id: 1, name: 'old', expiringAt: days(5), lastAccessedAt: days(-30) },
        { id: 2, name: 'recent', expiringAt: days(60), lastAccessedAt: days(-1) }
      ])
    )
    expect(result.expiry).toMatchObject({ name: 'recent', matchedBy: 'guess', daysLeft: 60 })
    expect(result.status).toBe('ok')
    expect(result.notes).toHaveLength(1)
    expect(result.notes[0].level).toBe('notice')
    expect(result.notes[0].message).toContain('"recent"')
    expect(result.notes[0].message).toContain('2 tokens')
    expect(result.notes[0].message).toContain('token-name')
  })

  it('reports a non-expiring token without days', async () => {
    const result = await check(
      settings(),
      tokens([{ id: 1, name: 'forever', expiringAt: '9999-12-31T00:00:00.000+00:00' }])
    )
    expect(result.expiry).toEqual({ name: 'forever', matchedBy: 'only-token', nonExpiring: true })
    expect(result.status).toBe('ok')
  })

  it('says the expiry is unknown when the list is empty', async () => {
    const result = await check(settings(), tokens([]))
    expect(result.expiry?.unknownBecause).toContain('no personal access tokens')
  })

  it('says the expiry is unknown on a 404 (no PAT API)', async () => {
    const result = await check(settings(), jira({ tokens: probe(response(404, '')) }))
    expect(result.status).toBe('ok')
    expect(result.expiry?.unknownBecause).toContain('no personal access token API')
    expect(result.notes).toEqual([])
  })

  it('warns on a 404 when token-name was set', async () => {
    const result = await check(
      settings({ tokenName: 'ci' }),
      jira({ tokens: probe(response(404, '')) })
    )
    expect(result.status).toBe('ok')
    expect(result.notes).toHaveLength(1)
    expect(result.notes[0].level).toBe('warning')
    expect(result.notes[0].message).toContain('`token-name` is set')
  })

  it('falls back to token-expires-on when the list is unavailable', async () => {
    const result = await check(
      settings({ tokenName: 'ci', tokenExpiresOn: new Date('2026-05-31T00:00:00Z') }),
      jira({ tokens: probe(response(404, '')) })
    )
    expect(result.expiry).toEqual({
      matchedBy: 'input',
      expiresAt: '2026-05-31T00:00:00.000Z',
      daysLeft: 30
    })
  })

  it('fails when the list cannot be read and token-name was set', async () => {
    const result = await check(
      settings({ tokenName: 'ci' }),
      jira({ tokens: probe(response(500, '')) })
    )
    expect(result.failure?.code).toBe('server-error')
  })

  it('only warns when the list cannot be read and no token-name was set', async () => {
    const result = await check(settings(), jira({ tokens: probe(response(500, '')) }))
    expect(result.status).toBe('ok')
    expect(result.expiry).toEqual({ unknownBecause: 'the token list could not be read' })
    expect(result.notes.map((note) => note.level)).toEqual(['warning'])
  })

  it('60 days left is ok', async () => {
    const result = await check(
      settings({ expiryWarningDays: 14, expiryErrorDays: 7 }),
      tokens([{ id: 1, name: 'ci', expiringAt: days(60) }])
    )
    expect(result.status).toBe('ok')
    expect(result.expiry?.daysLeft).toBe(60)
  })

  it('5 days left is a warning', async () => {
    const result = await check(
      settings({ expiryWarningDays: 14 }),
      tokens([{ id: 1, name: 'ci', expiringAt: days(5) }])
    )
    expect(result.status).toBe('warning')
    expect(result.failure).toBeUndefined()
    expect(result.expiry?.daysLeft).toBe(5)
  })

  it('within expiry-error-days is a token-expiring failure', async () => {
    const result = await check(
      settings({ expiryWarningDays: 14, expiryErrorDays: 7 }),
      tokens([{ id: 1, name: 'ci', expiringAt: days(5) }])
    )
    expect(result.status).toBe('failed')
    expect(result.failure).toEqual({
      code: 'token-expiring',
      evidence: { daysLeft: 5, expiresAt: '2026-05-06T00:00:00.000Z', tokenName: 'ci' }
    })
  })

  it('uses token-expires-on when given without token-name', async () => {
    const fake = jira()
    const result = await check(
      settings({ tokenExpiresOn: new Date('2026-05-11T00:00:00Z'), expiryWarningDays: 14 }),
      fake
    )
    expect(fake.paths()).not.toContain(PATHS.tokens)
    expect(result.expiry).toEqual({
      matchedBy: 'input',
      expiresAt: '2026-05-11T00:00:00.000Z',
      daysLeft: 10
    })
    expect(result.status).toBe('warning')
  })

  it('uses token-expires-on with Basic auth', async () => {
    const result = await check(basic({ tokenExpiresOn: new Date('2026-07-30T00:00:00Z') }))
    expect(result.expiry).toEqual({
      matchedBy: 'input',
      expiresAt: '2026-07-30T00:00:00.000Z',
      daysLeft: 90
    })
  })

  it('warns when token-expires-on is in the past yet the token worked', async () => {
    const result = await check(settings({ tokenExpiresOn: new Date('2026-04-01T00:00:00Z') }))
    expect(result.expiry?.daysLeft).toBe(-30)
    expect(result.status).toBe('warning')
    expect(result.notes).toHaveLength(1)
    expect(result.notes[0].message).toContain('2026-04-01')
    expect(result.notes[0].message).toContain('in the past')
  })

  it('reports missing permissions before expiry', async () => {
    const result = await check(
      settings({ requiredPermissions: ['CREATE_ISSUES'], expiryErrorDays: 7 }),
      jira({
        tokens: ok([{ id: 1, name: 'ci', expiringAt: days(1) }], PATHS.tokens),
        myPermissions: ok(perms({ CREATE_ISSUES: false }), PATHS.myPermissions)
      })
    )
    expect(result.failure?.code).toBe('missing-permissions')
  })
})
