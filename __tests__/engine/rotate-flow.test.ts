/**
 * The rotation's order on plain values: a scripted Jira (answers by method and path) and a scripted
 * secret store. These cover what the stand-ins cannot produce (another account's token, a 201
 * without the token, a 204 that deleted nothing); the e2e tests run the same flow for real.
 */
import { describe, expect, it } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import type { JiraRequest, ProbeResult, RequestOptions } from '../../src/engine/jira/client.js'
import { rotateToken, undoReserveMs, type RotateDeps } from '../../src/engine/rotate/flow.js'
import type {
  GithubOutcome,
  RotationEvent,
  SecretInfo,
  SecretStore
} from '../../src/engine/rotate/findings.js'
import {
  ROTATE_INPUTS,
  type RawRotateSettings,
  type RotateInputName
} from '../../src/engine/settings/rotate-schema.js'
import { PAT } from '../../__fixtures__/settings.js'

const BASE = 'https://jira.example.com'
const NEW = 'ODYzNTE5NzQzNzI0OnB7i5EC/GtiXFMSGsHjCnHuxNhz'
const NOW = new Date('2026-12-01T12:00:00Z')
const inDays = (days: number): string =>
  new Date(NOW.getTime() + days * 86_400_000).toISOString().replace('Z', '+00:00')

const USER = { name: 'ci-bot', key: 'JIRAUSER10100', displayName: 'CI Bot' }
const OTHER = { name: 'mallory', key: 'JIRAUSER666', displayName: 'Mallory' }

interface Call {
  method: string
  path: string
  authorization?: string
}

type Handler = (call: Call) => { status: number; body?: unknown } | 'reset'

function jira(routes: Record<string, Handler | undefined>, calls: Call[]): JiraRequest {
  return async (target: string, options: RequestOptions = {}): Promise<ProbeResult> => {
    const method = options.method ?? 'GET'
    const path = target.replace(/\?.*$/, '')
    const auth = options.auth
    const authorization =
      auth === 'none' ? undefined : typeof auth === 'object' ? auth.authorization : `Bearer ${PAT}`
    const call = { method, path, authorization }
    calls.push(call)
    const handler = routes[`${method} ${path}`] ?? (() => ({ status: 404, body: {} }))
    const answer = handler(call)
    const url = `${BASE}${target}`
    if (answer === 'reset') {
      return {
        url,
        attempts: 1,
        elapsedMs: 1,
        outcome: {
          kind: 'error',
          errno: 'ECONNRESET',
          message: 'reset',
          phase: 'body',
          elapsedMs: 1
        }
      }
    }
    return {
      url,
      attempts: 1,
      elapsedMs: 1,
      outcome: {
        kind: 'response',
        status: answer.status,
        headers: { 'content-type': 'application/json' },
        body: answer.body === undefined ? '' : JSON.stringify(answer.body),
        truncated: false,
        elapsedMs: 1
      }
    }
  }
}

function healthyJira(overrides: Record<string, Handler> = {}): Record<string, Handler> {
  let listed = [{ id: 58, name: 'deploy-bot', expiringAt: inDays(5) }]
  return {
    'GET /rest/api/2/myself': (call) => ({
      status: call.authorization ? 200 : 401,
      body: USER
    }),
    'GET /rest/api/2/serverInfo': () => ({
      status: 200,
      body: { version: '10.3.19', deploymentType: 'Server' }
    }),
    'GET /rest/pat/latest/tokens': () => ({ status: 200, body: listed }),
    'POST /rest/pat/latest/tokens': () => {
      listed = [...listed, { id: 59, name: 'deploy-bot', expiringAt: inDays(90) }]
      return {
        status: 201,
        body: { id: 59, name: 'deploy-bot', expiringAt: inDays(90), rawToken: NEW }
      }
    },
    'DELETE /rest/pat/latest/tokens/58': () => {
      listed = listed.filter((token) => token.id !== 58)
      return { status: 204 }
    },
    'DELETE /rest/pat/latest/tokens/59': () => {
      listed = listed.filter((token) => token.id !== 59)
      return { status: 204 }
    },
    ...overrides
  }
}

const RECORD: SecretInfo = {
  updatedAt: '2026-09-01T10:00:00Z',
  serverDate: 'Tue, 01 Dec 2026 12:00:00 GMT'
}

function github(writes: Array<GithubOutcome<void>> = [{ ok: true, value: undefined }]) {
  const log = { opened: 0, written: [] as string[] }
  const store: SecretStore = {
    publicKey: async () => ({ ok: true, value: { keyId: '1', key: 'a2V5' } }),
    secretInfo: async () => ({ ok: true, value: RECORD }),
    write: async (value) => {
      log.written.push(value)
      return writes.shift() ?? { ok: true, value: undefined }
    }
  }
  return { log, open: async () => (log.opened++, store) }
}

function raw(overrides: Partial<RawRotateSettings> = {}): RawRotateSettings {
  const defaults = Object.fromEntries(
    ROTATE_INPUTS.map((input) => [input.name, input.default])
  ) as Record<RotateInputName, string>
  return {
    ...defaults,
    domain: BASE,
    token: PAT,
    'token-name': 'deploy-bot',
    'secret-name': 'JIRA_PAT',
    'secret-repository': 'acme/pipeline',
    'github-token': 'ghs_0000000000000000000000000000000000',
    ...overrides
  }
}

async function rotate(
  routes: Record<string, Handler | undefined>,
  gh = github(),
  overrides: Partial<RawRotateSettings> = {}
) {
  const calls: Call[] = []
  const events: RotationEvent[] = []
  const order: string[] = []
  const request = jira(routes, calls)
  const deps: RotateDeps = {
    platform: actionPlatform({}),
    proxyEnv: {},
    log: { info: () => undefined, debug: () => undefined },
    userAgent: 'test',
    startedAt: Date.now(),
    now: () => NOW,
    mask: (secret) => order.push(`mask ${secret}`),
    openStore: gh.open,
    onEvent: (event) => {
      events.push(event)
      order.push(event.kind)
    },
    request,
    cleanupRequest: request,
    sleep: async () => undefined
  }
  const { result } = await rotateToken(raw(overrides), deps)
  const requests = calls.map((call) => `${call.method} ${call.path}`)
  return { result, calls, requests, events, order, gh: gh.log }
}

describe('rotateToken: the order', () => {
  it('check, create, verify, write, revoke: each only after the one before it worked', async () => {
    const run = await rotate(healthyJira())
    expect(run.result).toMatchObject({
      status: 'ok',
      step: 'revoke',
      rotated: true,
      oldRevoked: true,
      confirmedBy: 'answer',
      created: { id: 59, name: 'deploy-bot' },
      decision: { reason: 'due', daysLeft: 5, withinDays: 14 }
    })
    expect(run.requests.slice(3)).toEqual([
      'POST /rest/pat/latest/tokens',
      'GET /rest/api/2/myself',
      'DELETE /rest/pat/latest/tokens/58',
      'GET /rest/pat/latest/tokens'
    ])
    expect(run.gh.written).toEqual([NEW])
    // The new token is masked before anything else happens with it.
    expect(run.order).toEqual([
      'checked',
      'github-ready',
      `mask ${NEW}`,
      'created',
      'verified',
      'written',
      'revoked'
    ])
    // The new token verifies itself and revokes the old one; the old one creates it.
    const auth = (method: string, path: string) =>
      run.calls.filter((c) => c.method === method && c.path === path).map((c) => c.authorization)
    expect(auth('POST', '/rest/pat/latest/tokens')).toEqual([`Bearer ${PAT}`])
    expect(auth('GET', '/rest/api/2/myself')).toEqual([`Bearer ${PAT}`, `Bearer ${NEW}`])
    expect(auth('DELETE', '/rest/pat/latest/tokens/58')).toEqual([`Bearer ${NEW}`])
  })

  it('not due: stops after the check, and never opens GitHub', async () => {
    const run = await rotate(healthyJira(), github(), { 'rotate-within-days': '3' })
    expect(run.result).toMatchObject({
      status: 'ok',
      step: 'check',
      rotated: false,
      decision: { reason: 'not-due' }
    })
    expect(run.gh.opened).toBe(0)
    expect(run.requests).not.toContain('POST /rest/pat/latest/tokens')
  })

  it('dry run: reads GitHub to prove the setup, creates nothing', async () => {
    const run = await rotate(healthyJira(), github(), { 'dry-run': 'true' })
    expect(run.result).toMatchObject({ status: 'ok', step: 'check', dryRun: true, rotated: false })
    expect(run.gh.opened).toBe(1)
    expect(run.requests.filter((r) => !r.startsWith('GET'))).toEqual([])
  })

  it('revoke-old false: keeps the old token, and says so', async () => {
    const run = await rotate(healthyJira(), github(), {
      'revoke-old': 'false',
      'new-token-name': 'deploy-bot-2'
    })
    expect(run.result).toMatchObject({ status: 'ok', rotated: true, oldRevoked: false })
    expect(run.requests.filter((r) => r.startsWith('DELETE'))).toEqual([])
    expect(run.events.at(-1)).toMatchObject({ kind: 'kept-old', token: { id: 58 } })
  })
})

describe('rotateToken: the check step', () => {
  it('two tokens of the name: token-name-ambiguous, nothing created', async () => {
    const twins = [
      { id: 58, name: 'deploy-bot', expiringAt: inDays(5) },
      { id: 61, name: 'deploy-bot', expiringAt: inDays(50) }
    ]
    const run = await rotate(
      healthyJira({ 'GET /rest/pat/latest/tokens': () => ({ status: 200, body: twins }) })
    )
    expect(run.result).toMatchObject({
      status: 'failed',
      step: 'check',
      failure: { code: 'token-name-ambiguous', tokens: [{ id: 58 }, { id: 61 }] }
    })
    expect(run.gh.opened).toBe(0)
  })

  it('another token already has the new name: new-token-name-taken', async () => {
    const list = [
      { id: 58, name: 'deploy-bot', expiringAt: inDays(5) },
      { id: 70, name: 'laptop', expiringAt: inDays(50) }
    ]
    const run = await rotate(
      healthyJira({ 'GET /rest/pat/latest/tokens': () => ({ status: 200, body: list }) }),
      github(),
      { 'new-token-name': 'laptop' }
    )
    expect(run.result.failure).toMatchObject({
      code: 'new-token-name-taken',
      tokens: [{ id: 70, name: 'laptop' }]
    })
  })

  it('no PAT list (an old Jira, Cloud): rotation-unsupported', async () => {
    const run = await rotate(
      healthyJira({ 'GET /rest/pat/latest/tokens': () => ({ status: 404, body: {} }) })
    )
    expect(run.result.failure).toMatchObject({
      code: 'rotation-unsupported',
      reason: expect.stringMatching(/no personal access token API/)
    })
  })
})

describe('rotateToken: taking back what it made', () => {
  it('a new token of another account is revoked with the old token, and never written', async () => {
    const routes = healthyJira({
      'GET /rest/api/2/myself': (call) => ({
        status: 200,
        body: call.authorization === `Bearer ${NEW}` ? OTHER : USER
      })
    })
    const run = await rotate(routes)
    expect(run.result).toMatchObject({
      status: 'failed',
      step: 'verify',
      failure: {
        code: 'new-token-user-mismatch',
        expected: 'CI Bot (ci-bot)',
        actual: 'Mallory (mallory)',
        rollback: { token: { id: 59 }, revoked: true }
      }
    })
    expect(run.gh.written).toEqual([])
    const revoke = run.calls.find((c) => c.method === 'DELETE')!
    expect(revoke).toEqual({
      method: 'DELETE',
      path: '/rest/pat/latest/tokens/59',
      authorization: `Bearer ${PAT}`
    })
  })

  it('a 201 without the token: the stray it made is found by the list and revoked', async () => {
    const routes = healthyJira()
    const create = routes['POST /rest/pat/latest/tokens']!
    routes['POST /rest/pat/latest/tokens'] = (call) => {
      create(call)
      return { status: 201, body: { id: 59, name: 'deploy-bot' } }
    }
    const run = await rotate(routes)
    expect(run.result).toMatchObject({
      step: 'create',
      failure: {
        code: 'token-create-failed',
        cause: { code: 'unexpected-response' },
        cleanup: { listed: true, found: [{ id: 59, revoked: true }] }
      }
    })
    expect(run.requests).toContain('DELETE /rest/pat/latest/tokens/59')
    expect(run.requests).not.toContain('DELETE /rest/pat/latest/tokens/58')
  })

  it('a lost create and an unreadable list: says so, revokes nothing', async () => {
    let lists = 0
    const run = await rotate(
      healthyJira({
        'POST /rest/pat/latest/tokens': () => 'reset',
        'GET /rest/pat/latest/tokens': () =>
          ++lists === 1
            ? { status: 200, body: [{ id: 58, name: 'deploy-bot', expiringAt: inDays(5) }] }
            : { status: 503, body: {} }
      })
    )
    expect(run.result.failure).toMatchObject({
      code: 'token-create-failed',
      cause: { code: 'connection-error' },
      cleanup: { listed: false, found: [] }
    })
    expect(run.requests.filter((r) => r.startsWith('DELETE'))).toEqual([])
  })

  it('a write whose outcome stays unknown revokes neither token', async () => {
    const lost: GithubOutcome<void> = {
      ok: false,
      evidence: { method: 'PUT', url: 'https://api.github.com/x', errno: 'ECONNRESET' },
      definite: false
    }
    const run = await rotate(healthyJira(), github([lost, lost, lost]))
    expect(run.result).toMatchObject({
      status: 'failed',
      step: 'write',
      rotated: false,
      oldRevoked: false,
      failure: { code: 'secret-write-unknown', record: 'unchanged', created: { id: 59 } }
    })
    expect(run.requests.filter((r) => r.startsWith('DELETE'))).toEqual([])
  })
})

describe('rotateToken: the old token', () => {
  it('a 204 that leaves it listed is a warning, not a revoke', async () => {
    const run = await rotate(
      healthyJira({ 'DELETE /rest/pat/latest/tokens/58': () => ({ status: 204 }) })
    )
    expect(run.result).toMatchObject({ status: 'warning', rotated: true, oldRevoked: false })
    expect(run.result.warnings).toEqual([
      { code: 'old-token-not-revoked', old: expect.objectContaining({ id: 58 }) }
    ])
  })
})

describe('undoReserveMs', () => {
  it('keeps a third of the deadline for undoing, at most 15 s', () => {
    expect(undoReserveMs(6)).toBe(2000)
    expect(undoReserveMs(60)).toBe(15_000)
    expect(undoReserveMs(600)).toBe(15_000)
  })
})
