import { describe, it, expect, afterEach } from '@jest/globals'
import {
  createClient,
  describeOutcome,
  retryAfterSeconds,
  retryDelay,
  type ClientOptions
} from '../../src/engine/jira/client.js'
import type { AttemptResult, OutgoingRequest, Send } from '../../src/engine/jira/transport.js'
import { userAgent } from '../../src/engine/version.js'
import { json, startLoopback, type Loopback } from '../../__fixtures__/loopback.js'
import { proxyInvalid, response, timeout, transportError } from '../../__fixtures__/probes.js'

const BASE = 'https://jira.example.com'
const TOKEN = 'NjE0MjU2ODk3MDEyOkRkR2hzdVZ0T3FyY0lZRGNpa3pZ'
const AUTH = `Bearer ${TOKEN}`
const START = 1_700_000_000_000
const USER_AGENT = userAgent('action')

interface Sent {
  url: string
  method: OutgoingRequest['method']
  headers: Record<string, string>
  body: string | undefined
  deadlineAt: number
}

/** A client on a fake clock: send answers from the script, sleep only moves the clock. */
function harness(script: AttemptResult[], options: Partial<ClientOptions> = {}) {
  let clock = START
  const sent: Sent[] = []
  const sleeps: number[] = []
  const logs: string[] = []
  const debugs: string[] = []
  const send: Send = async (request, deadlineAt) => {
    sent.push({
      url: request.url.href,
      method: request.method,
      headers: { ...request.headers },
      body: request.body,
      deadlineAt
    })
    clock += 40
    const next = script.shift()
    if (!next) throw new Error('the script ran out')
    return next
  }
  const request = createClient({
    baseUrl: BASE,
    authorization: AUTH,
    userAgent: USER_AGENT,
    deadlineAt: START + 30_000,
    retries: 2,
    log: { info: (line) => logs.push(line), debug: (line) => debugs.push(line) },
    sleep: async (ms) => {
      sleeps.push(ms)
      clock += ms
    },
    now: () => clock,
    random: () => 0.5,
    send,
    ...options
  })
  return { request, sent, sleeps, logs, debugs }
}

describe('createClient: retries', () => {
  it.each([401, 403, 404, 400, 500])('sends a %d exactly once', async (status) => {
    const h = harness([response(status, '')])
    const result = await h.request('/rest/api/2/myself')
    expect(h.sent).toHaveLength(1)
    expect(h.sleeps).toEqual([])
    expect(result.attempts).toBe(1)
    expect(result.outcome).toMatchObject({ kind: 'response', status })
  })

  it('retries 503, 503 then gets 200: three attempts with growing backoff', async () => {
    const h = harness([response(503, ''), response(503, ''), response(200, { name: 'x' })])
    const result = await h.request('/rest/api/2/myself')
    expect(h.sent).toHaveLength(3)
    expect(result.attempts).toBe(3)
    expect(result.outcome).toMatchObject({ kind: 'response', status: 200 })
    // full jitter at random()=0.5: half of 500 ms, then half of 1000 ms
    expect(h.sleeps).toEqual([250, 500])
    expect(result.elapsedMs).toBe(3 * 40 + 250 + 500)
    expect(result.url).toBe(`${BASE}/rest/api/2/myself`)
  })

  it.each([502, 504, 429])('retries %d', async (status) => {
    const h = harness([response(status, ''), response(200, '{}')])
    expect((await h.request('/x')).attempts).toBe(2)
  })

  it('stops after retries + 1 attempts and returns the last answer', async () => {
    const h = harness([response(503, ''), response(502, ''), response(504, ''), response(200, '')])
    const result = await h.request('/x')
    expect(h.sent).toHaveLength(3)
    expect(result.outcome).toMatchObject({ status: 504 })
  })

  it('makes one attempt with retries=0', async () => {
    const h = harness([response(503, ''), response(200, '')], { retries: 0 })
    const result = await h.request('/x')
    expect(h.sent).toHaveLength(1)
    expect(result.attempts).toBe(1)
    expect(result.outcome).toMatchObject({ status: 503 })
  })

  it('makes one attempt with retry: false, whatever retries says (a request that must not happen twice)', async () => {
    const h = harness([response(503, ''), response(201, '')], { retries: 5 })
    const result = await h.request('/rest/pat/latest/tokens', {
      method: 'POST',
      retry: false,
      body: { contentType: 'application/json', text: '{}' }
    })
    expect(h.sent).toHaveLength(1)
    expect(h.sleeps).toEqual([])
    expect(result.attempts).toBe(1)
    expect(result.outcome).toMatchObject({ status: 503 })
  })

  it('honours Retry-After: 2 on a 429', async () => {
    const h = harness([response(429, '', { 'retry-after': '2' }), response(200, '')])
    const result = await h.request('/x')
    expect(h.sleeps).toEqual([2000])
    expect(result.attempts).toBe(2)
  })

  it('does not retry when Retry-After runs past the deadline', async () => {
    const h = harness([response(429, '', { 'retry-after': '60' }), response(200, '')])
    const result = await h.request('/x')
    expect(h.sent).toHaveLength(1)
    expect(h.sleeps).toEqual([])
    expect(result.outcome).toMatchObject({ status: 429 })
  })

  it('does not retry when the backoff would leave the next attempt no time', async () => {
    const h = harness([response(503, ''), response(200, '')], { deadlineAt: START + 500 })
    await h.request('/x')
    // 40 ms spent, 460 left: 250 ms of backoff + 250 ms for the attempt does not fit
    expect(h.sent).toHaveLength(1)
  })

  it('does not retry ENOTFOUND', async () => {
    const h = harness([transportError('ENOTFOUND'), response(200, '')])
    const result = await h.request('/x')
    expect(h.sent).toHaveLength(1)
    expect(result.outcome).toMatchObject({ kind: 'error', errno: 'ENOTFOUND' })
  })

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EAI_AGAIN', 'ETIMEDOUT'])('retries %s', async (errno) => {
    const h = harness([transportError(errno), response(200, '')])
    const result = await h.request('/x')
    expect(h.sent).toHaveLength(2)
    expect(result.outcome).toMatchObject({ kind: 'response', status: 200 })
  })

  it('does not retry a proxy-phase error, even a retryable errno', async () => {
    const h = harness([transportError('ECONNREFUSED', 'proxy'), response(200, '')])
    await h.request('/x')
    expect(h.sent).toHaveLength(1)
  })

  it.each(['CERT_HAS_EXPIRED', 'EPROXYREFUSED', 'UNKNOWN'])('does not retry %s', async (errno) => {
    const h = harness([transportError(errno), response(200, '')])
    await h.request('/x')
    expect(h.sent).toHaveLength(1)
  })

  it('does not retry a timeout', async () => {
    const h = harness([timeout('headers'), response(200, '')])
    const result = await h.request('/x')
    expect(h.sent).toHaveLength(1)
    expect(result.outcome.kind).toBe('timeout')
  })

  it('does not retry an unusable proxy variable', async () => {
    const h = harness([proxyInvalid(), response(200, '')])
    const result = await h.request('/x')
    expect(h.sent).toHaveLength(1)
    expect(result.outcome.kind).toBe('proxy-invalid')
  })
})

describe('createClient: request', () => {
  it('sends GET with Accept, the exact Authorization and the User-Agent given', async () => {
    const h = harness([response(200, '')])
    await h.request('/rest/api/2/myself')
    expect(h.sent[0].method).toBe('GET')
    expect(h.sent[0].body).toBeUndefined()
    expect(h.sent[0].headers).toEqual({
      Accept: 'application/json',
      Authorization: AUTH,
      'User-Agent': USER_AGENT
    })
    expect(h.sent[0].headers['User-Agent'].startsWith('jira-auth-check/')).toBe(true)
  })

  it('passes a Basic Authorization through unchanged', async () => {
    const basic = `Basic ${Buffer.from('bob@example.com:tok').toString('base64')}`
    const h = harness([response(200, '')], { authorization: basic })
    await h.request('/x')
    expect(h.sent[0].headers.Authorization).toBe(basic)
  })

  it("omits Authorization with auth: 'none'", async () => {
    const h = harness([response(200, '')])
    await h.request('/rest/api/2/serverInfo', { auth: 'none' })
    expect(h.sent[0].headers).toEqual({ Accept: 'application/json', 'User-Agent': USER_AGENT })
  })

  it("sends the client's own Authorization with auth: 'client'", async () => {
    const h = harness([response(200, '')])
    await h.request('/x', { auth: 'client' })
    expect(h.sent[0].headers.Authorization).toBe(AUTH)
  })

  it('sends another Authorization when given one, instead of its own', async () => {
    const h = harness([response(200, '')])
    await h.request('/x', { auth: { authorization: 'Bearer just-obtained' } })
    expect(h.sent[0].headers.Authorization).toBe('Bearer just-obtained')
  })

  it('omits Authorization when none is configured', async () => {
    const h = harness([response(200, '')], { authorization: undefined })
    await h.request('/x')
    expect('Authorization' in h.sent[0].headers).toBe(false)
  })

  it('sends the method, the body and its Content-Type', async () => {
    const h = harness([response(201, '')])
    await h.request('/rest/pat/latest/tokens', {
      method: 'POST',
      body: { contentType: 'application/json', text: '{"name":"ci"}' }
    })
    expect(h.sent[0]).toMatchObject({
      method: 'POST',
      url: `${BASE}/rest/pat/latest/tokens`,
      body: '{"name":"ci"}',
      headers: { 'Content-Type': 'application/json', Authorization: AUTH }
    })
  })

  it('sends DELETE without a body or a Content-Type', async () => {
    const h = harness([response(204, '')])
    await h.request('/rest/pat/latest/tokens/7', { method: 'DELETE' })
    expect(h.sent[0].method).toBe('DELETE')
    expect(h.sent[0].body).toBeUndefined()
    expect('Content-Type' in h.sent[0].headers).toBe(false)
  })

  it('joins the base URL (with its context path) and a path starting with "/", keeping the query', async () => {
    const h = harness([response(200, '')], { baseUrl: 'https://example.com/jira' })
    const result = await h.request(
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
    )
    expect(h.sent[0].url).toBe(
      'https://example.com/jira/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
    )
    expect(result.url).toBe(h.sent[0].url)
  })

  it('takes any other target as an absolute URL, ignoring the base', async () => {
    const h = harness([response(200, '')], { baseUrl: 'https://example.com/jira' })
    const target = 'https://api.atlassian.com/ex/jira/abc-123/rest/api/2/myself'
    const result = await h.request(target)
    expect(h.sent[0].url).toBe(target)
    expect(result.url).toBe(target)
  })

  it('gives every attempt the same deadline', async () => {
    const h = harness([response(503, ''), response(200, '')], { deadlineAt: START + 12_345 })
    await h.request('/x')
    expect(h.sent.map((s) => s.deadlineAt)).toEqual([START + 12_345, START + 12_345])
  })
})

describe('createClient: log', () => {
  it('logs one info line per attempt, plus the retry plan, and never the Authorization value', async () => {
    const h = harness([response(503, ''), transportError('ECONNRESET'), response(200, '')])
    await h.request('/rest/api/2/myself')
    const attempts = h.logs.filter((line) => line.startsWith('GET '))
    expect(attempts).toEqual([
      `GET ${BASE}/rest/api/2/myself → 503 (40 ms)`,
      `GET ${BASE}/rest/api/2/myself → ECONNRESET (40 ms)`,
      `GET ${BASE}/rest/api/2/myself → 200 (40 ms)`
    ])
    expect(h.logs.filter((line) => line.includes('retrying'))).toEqual([
      '  retrying in 0.3 s (attempt 2 of 3)',
      '  retrying in 0.5 s (attempt 3 of 3)'
    ])
    expect(h.logs).toHaveLength(5)
    for (const line of [...h.logs, ...h.debugs]) {
      expect(line).not.toContain(AUTH)
      expect(line).not.toContain(TOKEN)
    }
  })

  it('names the method in the log line', async () => {
    const h = harness([response(204, '')])
    await h.request('/rest/pat/latest/tokens/7', { method: 'DELETE' })
    expect(h.logs).toEqual([`DELETE ${BASE}/rest/pat/latest/tokens/7 → 204 (40 ms)`])
  })
})

describe('retryDelay', () => {
  it('grows exponentially with full jitter and a cap', () => {
    const r503 = response(503, '')
    expect(retryDelay(r503, 1, 60_000, () => 1)).toBe(500)
    expect(retryDelay(r503, 2, 60_000, () => 1)).toBe(1000)
    expect(retryDelay(r503, 4, 60_000, () => 1)).toBe(4000)
    expect(retryDelay(r503, 5, 60_000, () => 1)).toBe(8000)
    expect(retryDelay(r503, 9, 60_000, () => 1)).toBe(8000)
    expect(retryDelay(r503, 1, 60_000, () => 0)).toBe(50)
  })

  it('prefers Retry-After, and ignores Retry-After: 0', () => {
    expect(retryDelay(response(503, '', { 'retry-after': '3' }), 1, 60_000, () => 1)).toBe(3000)
    expect(retryDelay(response(429, '', { 'retry-after': '0' }), 1, 60_000, () => 1)).toBe(500)
  })

  it('reads an HTTP-date Retry-After against the injected clock', () => {
    const now = Date.parse('2026-05-01T00:00:00Z')
    const dated = response(429, '', { 'retry-after': 'Fri, 01 May 2026 00:00:04 GMT' })
    expect(retryDelay(dated, 1, 60_000, () => 1, now)).toBe(4000)
  })

  it('leaves 250 ms for the next attempt', () => {
    expect(retryDelay(response(503, ''), 1, 750, () => 1)).toBe(500)
    expect(retryDelay(response(503, ''), 1, 749, () => 1)).toBeUndefined()
  })

  it('returns undefined for what is not retryable', () => {
    expect(retryDelay(response(401, ''), 1, 60_000)).toBeUndefined()
    expect(retryDelay(response(200, ''), 1, 60_000)).toBeUndefined()
    expect(retryDelay(timeout('body', 200), 1, 60_000)).toBeUndefined()
    expect(retryDelay(proxyInvalid(), 1, 60_000)).toBeUndefined()
  })
})

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-05-01T00:00:00Z')
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  7 ', 7],
    [['5', '9'], 5],
    ['soon', undefined],
    ['-3', undefined],
    ['Fri, 01 May 2026 00:00:30 GMT', 30],
    ['Fri, 01 May 2026 00:00:00 GMT', 0],
    ['Thu, 30 Apr 2026 23:00:00 GMT', 0]
  ] as [string | string[] | undefined, number | undefined][])('%j → %j', (value, seconds) => {
    expect(retryAfterSeconds(value, now)).toBe(seconds)
  })
})

describe('describeOutcome', () => {
  it('describes each kind', () => {
    expect(describeOutcome(response(401, ''))).toBe('401')
    expect(describeOutcome(transportError('ECONNREFUSED'))).toBe('ECONNREFUSED')
    expect(describeOutcome(timeout('headers'))).toBe('deadline reached during the wait for headers')
    expect(describeOutcome(timeout('lookup'))).toBe('deadline reached during the DNS lookup')
    expect(describeOutcome(timeout('tls'))).toBe('deadline reached during the TLS handshake')
    expect(describeOutcome(timeout('body', 200))).toBe('200 body stalled, deadline reached')
    expect(describeOutcome(timeout('body'))).toBe('body stalled, deadline reached')
    expect(describeOutcome(proxyInvalid('HTTPS_PROXY'))).toBe('HTTPS_PROXY unusable')
  })
})

describe('createClient with the real transport (a loopback server)', () => {
  let server: Loopback | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  const real = (base: string): ReturnType<typeof createClient> =>
    createClient({
      baseUrl: base,
      authorization: AUTH,
      userAgent: USER_AGENT,
      deadlineAt: Date.now() + 10_000,
      retries: 0,
      log: { info: () => undefined, debug: () => undefined }
    })

  it('sends Authorization: Bearer <token> exactly, with Accept and User-Agent', async () => {
    server = await startLoopback((_seen, res) => json(res, 200, { name: 'ci-bot' }))
    const result = await real(server.base)('/rest/api/2/myself')
    expect(result.outcome).toMatchObject({
      kind: 'response',
      status: 200,
      body: '{"name":"ci-bot"}',
      truncated: false
    })
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/rest/api/2/myself' })
    expect(server.requests[0].headers).toMatchObject({
      authorization: AUTH,
      accept: 'application/json',
      'user-agent': USER_AGENT
    })
  })

  it("sends no Authorization header with auth: 'none', and another one when given", async () => {
    server = await startLoopback((_seen, res) => json(res, 200, {}))
    const client = real(server.base)
    await client('/rest/api/2/serverInfo', { auth: 'none' })
    await client(`${server.base}/rest/api/2/myself`, { auth: { authorization: 'Bearer other' } })
    expect(server.requests[0].headers.authorization).toBeUndefined()
    expect(server.requests[0].headers.accept).toBe('application/json')
    expect(server.requests[1].headers.authorization).toBe('Bearer other')
  })

  it('sends a POST body with its Content-Type', async () => {
    server = await startLoopback((_seen, res) => json(res, 201, { id: 7 }))
    const result = await real(server.base)('/rest/pat/latest/tokens', {
      method: 'POST',
      body: { contentType: 'application/json', text: '{"name":"ci","expirationDuration":90}' },
      retry: false
    })
    expect(result.outcome).toMatchObject({ kind: 'response', status: 201 })
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      body: '{"name":"ci","expirationDuration":90}'
    })
    expect(server.requests[0].headers['content-type']).toBe('application/json')
  })

  it('reuses the connection for a request that follows another, and closes it at the end', async () => {
    server = await startLoopback((_seen, res) => json(res, 200, {}))
    const client = real(server.base)
    await client('/rest/api/2/myself')
    await client('/rest/api/2/mypermissions')
    expect(server.requests).toHaveLength(2)
    expect(server.connections()).toBe(1)
    // Concurrent requests each need a connection of their own.
    await Promise.all([client('/a'), client('/b')])
    expect(server.connections()).toBe(2)
    client.close?.()
  })
})
