import { describe, it, expect, afterEach } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import { cliPlatform } from '../../src/cli/platform.js'
import { authorization, checkToken, type CheckDeps } from '../../src/engine/check-token.js'
import type { JiraRequest, ProbeResult, RequestOptions } from '../../src/engine/jira/client.js'
import { PATHS } from '../../src/engine/jira/endpoints.js'
import type { RawSettings } from '../../src/engine/settings/schema.js'
import { basicCredential } from '../../src/engine/settings/secrets.js'
import { userAgent } from '../../src/engine/version.js'
import { json, startLoopback, type Loopback } from '../../__fixtures__/loopback.js'
import { probe, response } from '../../__fixtures__/probes.js'
import { PAT, rawFor, settingsFor } from '../../__fixtures__/settings.js'

const BASE = 'https://jira.example.com'
const STARTED = 1_700_000_000_000
const NOW = new Date('2026-05-01T00:00:00.000Z')
const USER = { name: 'ci-bot', displayName: 'CI Bot', active: true }

interface Harness {
  deps: CheckDeps
  calls: Array<{ target: string; options: RequestOptions | undefined }>
  deadlines: number[]
  logs: string[]
}

/** A fake Jira that answers by path, and deps on a fixed clock. */
function harness(
  routes: Partial<Record<keyof typeof PATHS, ProbeResult>> = {},
  deps: Partial<CheckDeps> = {}
): Harness {
  const calls: Harness['calls'] = []
  const deadlines: number[] = []
  const logs: string[] = []
  const answers: Record<string, ProbeResult> = {
    [PATHS.myself]: probe(response(200, USER), `${BASE}${PATHS.myself}`),
    [PATHS.serverInfo]: probe(
      response(200, { version: '9.12.2', deploymentType: 'Server' }),
      `${BASE}${PATHS.serverInfo}`
    ),
    [PATHS.tokens]: probe(
      response(200, [{ id: 1, name: 'ci', expiringAt: '2026-06-30T00:00:00.000+00:00' }]),
      `${BASE}${PATHS.tokens}`
    ),
    [PATHS.myPermissions]: probe(
      response(200, { permissions: {} }),
      `${BASE}${PATHS.myPermissions}`
    ),
    ...Object.fromEntries(
      Object.entries(routes).map(([name, result]) => [PATHS[name as keyof typeof PATHS], result])
    )
  }
  const request: JiraRequest = async (target, options) => {
    calls.push({ target, options })
    const answer = answers[target.split('?')[0]]
    if (!answer) throw new Error(`unexpected request for ${target}`)
    return answer
  }
  return {
    calls,
    deadlines,
    logs,
    deps: {
      platform: actionPlatform({}),
      proxyEnv: {},
      log: { info: (line) => logs.push(line), debug: (line) => logs.push(line) },
      userAgent: userAgent('action'),
      startedAt: STARTED,
      now: () => NOW,
      request,
      onDeadline: (deadlineAt) => deadlines.push(deadlineAt),
      ...deps
    }
  }
}

describe('checkToken: settings that cannot be used', () => {
  it('comes back as a failed result with the notes, and sends nothing', async () => {
    const h = harness()
    const outcome = await checkToken(
      rawFor({ domain: '"jira.example.com"', retries: 'many' }),
      h.deps
    )
    expect(outcome).toEqual({
      result: {
        status: 'failed',
        failure: expect.objectContaining({ code: 'invalid-input', input: 'retries' }),
        notes: [
          { code: 'quotes-removed', input: 'domain' },
          { code: 'domain-without-scheme', base: 'https://jira.example.com' }
        ],
        context: {}
      }
    })
    expect(outcome.settings).toBeUndefined()
    expect(h.calls).toEqual([])
    expect(h.deadlines).toEqual([])
  })

  it('a missing token is missing-input, worded by the platform given', async () => {
    const cli = await checkToken(
      rawFor({ token: '' }),
      harness({}, { platform: cliPlatform() }).deps
    )
    expect(cli.result.failure).toMatchObject({ code: 'missing-input', input: 'token' })
    expect(cli.result.failure?.code === 'missing-input' && cli.result.failure.detail).toContain(
      '--token-file'
    )
  })

  it('puts the notes the front-end made first', async () => {
    const h = harness({}, { notes: [{ code: 'tls-override-ignored' }] })
    const outcome = await checkToken(rawFor({ token: `"${PAT}"`, domain: '' }), h.deps)
    expect(outcome.result.notes).toEqual([
      { code: 'tls-override-ignored' },
      { code: 'quotes-removed', input: 'token' }
    ])
  })
})

describe('checkToken: the check', () => {
  it('returns the verdict and the settings it used', async () => {
    const h = harness()
    const outcome = await checkToken(rawFor(), h.deps)
    expect(outcome.settings).toEqual(settingsFor())
    expect(outcome.result).toMatchObject({
      status: 'ok',
      httpStatus: 200,
      user: USER,
      expiry: { name: 'ci', matchedBy: 'only-token', daysLeft: 60 },
      context: {
        baseUrl: BASE,
        authScheme: 'bearer',
        tokenShape: 'data-center-pat',
        serverVersion: '9.12.2'
      }
    })
    expect(h.calls.map((call) => call.target)).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tokens,
      // token-policy (warn by default) asks whether the account is an administrator, in the wave.
      `${PATHS.myPermissions}?permissions=ADMINISTER%2CSYSTEM_ADMIN`
    ])
  })

  it('tells the deadline, counted from startedAt, before the first request', async () => {
    const calledAt: number[] = []
    const h = harness()
    h.deps.onDeadline = (deadlineAt) => {
      calledAt.push(h.calls.length)
      h.deadlines.push(deadlineAt)
    }
    await checkToken(rawFor({ 'timeout-seconds': '12.5' }), h.deps)
    expect(h.deadlines).toEqual([STARTED + 12_500])
    expect(calledAt).toEqual([0])
  })

  it('caps the deadline with timeout-seconds', async () => {
    const h = harness()
    await checkToken(rawFor({ 'timeout-seconds': '9999' }), h.deps)
    expect(h.deadlines).toEqual([STARTED + 600_000])
  })

  it('judges by the clock given', async () => {
    const h = harness({}, { now: () => new Date('2026-06-20T00:00:00.000Z') })
    const outcome = await checkToken(rawFor(), h.deps)
    expect(outcome.result.expiry?.daysLeft).toBe(10)
    expect(outcome.result.status).toBe('warning')
  })

  it('puts earlier notes first, then the parser’s, then the verdict’s', async () => {
    const h = harness(
      { myself: probe(response(200, { ...USER, active: false }), `${BASE}${PATHS.myself}`) },
      { notes: [{ code: 'tls-override-ignored' }] }
    )
    const outcome = await checkToken(rawFor({ token: `Bearer ${PAT}`, retries: '99' }), h.deps)
    expect(outcome.result.notes).toEqual([
      { code: 'tls-override-ignored' },
      { code: 'bearer-prefix-removed' },
      { code: 'retries-capped', given: '99', cap: 10 },
      { code: 'account-inactive' }
    ])
  })

  it('runs the Basic plan with a username', async () => {
    const h = harness()
    const outcome = await checkToken(
      rawFor({ username: 'ci-bot@example.com', token: 'apitoken' }),
      h.deps
    )
    expect(outcome.settings?.authScheme).toBe('basic')
    expect(h.calls.map((call) => call.target)).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      `${PATHS.myPermissions}?permissions=ADMINISTER%2CSYSTEM_ADMIN`
    ])
  })

  it('names the proxy in the context when one applies to the base URL', async () => {
    const proxied = await checkToken(
      rawFor(),
      harness({}, { proxyEnv: { https_proxy: 'http://user:pw@proxy.corp:3128' } }).deps
    )
    expect(proxied.result.context.proxy).toBe('http://proxy.corp:3128')
    const bypassed = await checkToken(
      rawFor(),
      harness({}, { proxyEnv: { https_proxy: 'http://proxy.corp:3128', no_proxy: 'example.com' } })
        .deps
    )
    expect('proxy' in bypassed.result.context).toBe(false)
  })

  it('logs nothing itself when the front-end gives the request', async () => {
    const h = harness()
    await checkToken(rawFor(), h.deps)
    expect(h.logs).toEqual([])
  })
})

describe('authorization', () => {
  it('is Bearer <token>, with the capital B Jira matches, or Basic base64(username:token)', () => {
    expect(authorization(settingsFor())).toBe(`Bearer ${PAT}`)
    expect(authorization(settingsFor({ authScheme: 'basic', username: 'bob', token: 'pw' }))).toBe(
      `Basic ${basicCredential('bob', 'pw')}`
    )
  })
})

describe('checkToken with the real client (a loopback server)', () => {
  let server: Loopback | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('sends the token as Bearer with the user agent given, serverInfo without it, and logs each request', async () => {
    server = await startLoopback((seen, res) =>
      json(res, 200, seen.path === PATHS.myself ? USER : [])
    )
    const h = harness(
      {},
      { request: undefined, startedAt: Date.now(), userAgent: userAgent('cli') }
    )
    const raw: RawSettings = rawFor({ domain: server.base, 'allow-insecure-http': 'true' })
    const outcome = await checkToken(raw, h.deps)
    expect(outcome.result.status).toBe('ok')
    const byPath = Object.fromEntries(server.requests.map((seen) => [seen.path, seen.headers]))
    expect(Object.keys(byPath).sort()).toEqual(
      [
        PATHS.myself,
        PATHS.tokens,
        PATHS.serverInfo,
        `${PATHS.myPermissions}?permissions=ADMINISTER%2CSYSTEM_ADMIN`
      ].sort()
    )
    expect(byPath[PATHS.myself].authorization).toBe(`Bearer ${PAT}`)
    expect(byPath[PATHS.myself]['user-agent']).toBe(userAgent('cli'))
    expect(byPath[PATHS.serverInfo].authorization).toBeUndefined()
    expect(h.logs).toHaveLength(4)
    for (const line of h.logs) expect(line).not.toContain(PAT)
  })
})
