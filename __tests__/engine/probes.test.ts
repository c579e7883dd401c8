import { describe, it, expect } from '@jest/globals'
import type { JiraRequest, ProbeResult, RequestOptions } from '../../src/engine/jira/client.js'
import { PATHS, permissionsPath } from '../../src/engine/jira/endpoints.js'
import { planProbes, runProbes, type ProbePlan } from '../../src/engine/probes.js'
import type { Settings } from '../../src/engine/settings/parse.js'
import { probe, response, transportError } from '../../__fixtures__/probes.js'
import { settingsFor } from '../../__fixtures__/settings.js'

const BASE = 'https://jira.example.com'

const basic = (overrides: Partial<Settings> = {}): Settings =>
  settingsFor({
    username: 'ci-bot@example.com',
    token: 'apitoken',
    authScheme: 'basic',
    ...overrides
  })

interface Call {
  target: string
  options: RequestOptions | undefined
  /** How many earlier calls had resolved when this one started. */
  resolvedBefore: number
}

type Route = ProbeResult | ((target: string) => ProbeResult)

/**
 * A fake JiraRequest: answers by path (query ignored) after a macrotask, and records every call
 * with how many calls had resolved before it started, which tells a concurrent wave from a sequence.
 */
function fakeJira(routes: Partial<Record<keyof typeof PATHS, Route>> = {}) {
  const calls: Call[] = []
  let resolved = 0
  const ok = (path: string): ProbeResult => probe(response(200, {}), `${BASE}${path}`)
  const all: Record<keyof typeof PATHS, Route> = {
    myself: ok(PATHS.myself),
    serverInfo: ok(PATHS.serverInfo),
    tokens: ok(PATHS.tokens),
    myPermissions: ok(PATHS.myPermissions),
    ...routes
  }
  const byPath = Object.fromEntries(
    Object.entries(all).map(([name, route]) => [PATHS[name as keyof typeof PATHS], route])
  )
  const request: JiraRequest = async (target, options) => {
    calls.push({ target, options, resolvedBefore: resolved })
    await new Promise((resolve) => setImmediate(resolve))
    resolved++
    const route = byPath[target.split('?')[0]]
    if (!route) throw new Error(`unexpected request for ${target}`)
    return typeof route === 'function' ? route(target) : route
  }
  return { request, calls, paths: () => calls.map((call) => call.target.split('?')[0]) }
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
    expect(permissionsPath(input.requiredPermissions, input.project)).toBe(path)
  })
})

describe('planProbes', () => {
  it.each<[string, Partial<Settings>, ProbePlan]>([
    ['Bearer, nothing else asked', {}, { scheme: 'bearer', tokens: true, permissions: undefined }],
    [
      'Bearer with permissions',
      { requiredPermissions: ['BROWSE_PROJECTS'] },
      {
        scheme: 'bearer',
        tokens: true,
        permissions: '/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS'
      }
    ],
    [
      'Bearer with a project alone',
      { project: 'ABC' },
      {
        scheme: 'bearer',
        tokens: true,
        permissions: '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
      }
    ],
    [
      'Bearer with token-expires-on and no token-name: the date says it all',
      { tokenExpiresOn: new Date('2026-12-01T00:00:00Z') },
      { scheme: 'bearer', tokens: false, permissions: undefined }
    ],
    [
      'Bearer with token-expires-on and token-name: the list is still read',
      { tokenExpiresOn: new Date('2026-12-01T00:00:00Z'), tokenName: 'ci' },
      { scheme: 'bearer', tokens: true, permissions: undefined }
    ]
  ])('%s', (_name, overrides, plan) => {
    expect(planProbes(settingsFor(overrides))).toEqual(plan)
  })

  it('Basic never reads the PAT list, even with token-name', () => {
    expect(planProbes(basic({ tokenName: 'ci', project: '10000' }))).toEqual({
      scheme: 'basic',
      tokens: false,
      permissions: '/rest/api/2/mypermissions?projectId=10000&permissions=BROWSE_PROJECTS'
    })
  })
})

describe('runProbes: Bearer', () => {
  it('sends myself, serverInfo (anonymous), tokens and mypermissions all at once', async () => {
    const fake = fakeJira()
    const answers = await runProbes(
      planProbes(settingsFor({ requiredPermissions: ['BROWSE_PROJECTS'] })),
      fake.request
    )
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tokens,
      PATHS.myPermissions
    ])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 0, 0])
    expect(fake.calls[0].options).toBeUndefined()
    expect(fake.calls[1].options).toEqual({ auth: 'none' })
    expect(fake.calls[2].options).toBeUndefined()
    expect(fake.calls[3].options).toBeUndefined()
    expect(fake.calls[3].target).toBe('/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS')
    expect(answers.myself.url).toBe(`${BASE}${PATHS.myself}`)
    expect(answers.serverInfo?.url).toBe(`${BASE}${PATHS.serverInfo}`)
    expect(answers.tokens?.url).toBe(`${BASE}${PATHS.tokens}`)
    expect(answers.permissions?.url).toBe(`${BASE}${PATHS.myPermissions}`)
  })

  it('skips mypermissions without permissions or project', async () => {
    const fake = fakeJira()
    const answers = await runProbes(planProbes(settingsFor()), fake.request)
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.tokens])
    expect(answers.permissions).toBeUndefined()
  })

  it('skips the token list when the plan says so', async () => {
    const fake = fakeJira()
    const answers = await runProbes(
      planProbes(settingsFor({ tokenExpiresOn: new Date('2026-12-01T00:00:00Z') })),
      fake.request
    )
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    expect(answers.tokens).toBeUndefined()
  })

  it('still sends the whole wave when /myself is refused: a PAT cannot lock the account', async () => {
    const fake = fakeJira({ myself: probe(response(401, '')) })
    const answers = await runProbes(planProbes(settingsFor({ project: 'ABC' })), fake.request)
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tokens,
      PATHS.myPermissions
    ])
    expect(answers.myself.outcome).toMatchObject({ status: 401 })
  })
})

describe('runProbes: Basic', () => {
  it('sends myself alone first, then serverInfo and mypermissions together, and never tokens', async () => {
    const fake = fakeJira()
    const answers = await runProbes(planProbes(basic({ project: 'ABC' })), fake.request)
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.myPermissions])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 1, 1])
    expect(fake.calls[0].options).toBeUndefined()
    expect(fake.calls[1].options).toEqual({ auth: 'none' })
    expect(fake.calls[2].target).toBe(
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
    )
    expect(answers.tokens).toBeUndefined()
    expect(answers.permissions).toBeDefined()
  })

  it('after a refused /myself sends only an anonymous serverInfo: no second failed login', async () => {
    const fake = fakeJira({ myself: probe(response(401, '')) })
    const answers = await runProbes(
      planProbes(basic({ requiredPermissions: ['BROWSE_PROJECTS'] })),
      fake.request
    )
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    expect(fake.calls[1].options).toEqual({ auth: 'none' })
    expect(fake.calls[1].resolvedBefore).toBe(1)
    expect(answers.serverInfo).toBeDefined()
    expect(answers.permissions).toBeUndefined()
  })

  it.each([302, 403, 503])(
    'after /myself answered %d sends serverInfo but no authenticated request',
    async (status) => {
      const fake = fakeJira({ myself: probe(response(status, '')) })
      await runProbes(planProbes(basic({ project: 'ABC' })), fake.request)
      expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    }
  )

  it('with /myself unreachable sends nothing more', async () => {
    const fake = fakeJira({ myself: probe(transportError('ECONNREFUSED')) })
    const answers = await runProbes(planProbes(basic({ project: 'ABC' })), fake.request)
    expect(fake.paths()).toEqual([PATHS.myself])
    expect(answers).toEqual({
      myself: expect.anything(),
      serverInfo: undefined,
      permissions: undefined
    })
  })
})
