import { describe, it, expect, afterEach } from '@jest/globals'
import * as http from 'node:http'
import * as net from 'node:net'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import {
  MAX_BODY_BYTES,
  createSend,
  type AttemptResult,
  type OutgoingRequest
} from '../../src/engine/jira/transport.js'
import { getPki } from '../../test-support/standin/index.mjs'

const execFileAsync = promisify(execFile)

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

interface Seen {
  method?: string
  url?: string
  headers: http.IncomingHttpHeaders
  body: string
}

const servers: net.Server[] = []
const sockets = new Set<net.Socket>()

async function listen<T extends net.Server>(server: T): Promise<number> {
  servers.push(server)
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** A loopback HTTP server; returns its base URL and the requests it saw, bodies included. */
async function serve(handler: Handler): Promise<{ base: string; requests: Seen[] }> {
  const requests: Seen[] = []
  const server = http.createServer((req, res) => {
    const seen: Seen = { method: req.method, url: req.url, headers: req.headers, body: '' }
    requests.push(seen)
    req.on('data', (chunk: Buffer) => (seen.body += chunk.toString('utf8')))
    res.on('error', () => undefined)
    handler(req, res)
  })
  const port = await listen(server)
  return { base: `http://127.0.0.1:${port}`, requests }
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy()
  sockets.clear()
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve)))
  )
})

const HEADERS = {
  Accept: 'application/json',
  Authorization: 'Bearer t0ken',
  'User-Agent': 'jira-auth-check/test'
}

function request(url: string, extra: Partial<OutgoingRequest> = {}): OutgoingRequest {
  return { url: new URL(url), method: 'GET', headers: HEADERS, ...extra }
}

function send(
  url: string,
  deadlineMs = 5000,
  proxyEnv: Record<string, string> = {}
): Promise<AttemptResult> {
  return createSend({ proxyEnv })(request(url), Date.now() + deadlineMs)
}

describe('sendOnce over loopback', () => {
  it('returns status, headers and body, and sends the headers given', async () => {
    const { base, requests } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-ausername': 'ci-bot' })
      res.end('{"name":"ci-bot"}')
    })
    const result = await send(`${base}/rest/api/2/myself?x=1`)
    expect(result).toMatchObject({
      kind: 'response',
      status: 200,
      body: '{"name":"ci-bot"}',
      truncated: false
    })
    if (result.kind !== 'response') return
    expect(result.headers['x-ausername']).toBe('ci-bot')
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0)
    expect(requests).toHaveLength(1)
    expect(requests[0].method).toBe('GET')
    expect(requests[0].url).toBe('/rest/api/2/myself?x=1')
    expect(requests[0].headers.authorization).toBe('Bearer t0ken')
    expect(requests[0].headers.accept).toBe('application/json')
    expect(requests[0].headers['user-agent']).toBe('jira-auth-check/test')
    expect(requests[0].body).toBe('')
  })

  it('sends a POST with its body and a Content-Length in bytes', async () => {
    const { base, requests } = await serve((req, res) => {
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' })
        res.end('{"id":7}')
      })
      req.resume()
    })
    const body = '{"name":"ci-büt","expirationDuration":90}'
    const result = await createSend({ proxyEnv: {} })(
      request(`${base}/rest/pat/latest/tokens`, {
        method: 'POST',
        headers: { ...HEADERS, 'Content-Type': 'application/json' },
        body
      }),
      Date.now() + 5000
    )
    expect(result).toMatchObject({ kind: 'response', status: 201, body: '{"id":7}' })
    expect(requests[0].method).toBe('POST')
    expect(requests[0].body).toBe(body)
    expect(requests[0].headers['content-type']).toBe('application/json')
    expect(requests[0].headers['content-length']).toBe(String(Buffer.byteLength(body)))
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length)
  })

  it('sends a DELETE without a body', async () => {
    const { base, requests } = await serve((_req, res) => {
      res.writeHead(204)
      res.end()
    })
    const result = await createSend({ proxyEnv: {} })(
      request(`${base}/rest/pat/latest/tokens/7`, { method: 'DELETE' }),
      Date.now() + 5000
    )
    expect(result).toMatchObject({ kind: 'response', status: 204, body: '' })
    expect(requests[0].method).toBe('DELETE')
    expect(requests[0].headers['content-length']).toBeUndefined()
  })

  it('decodes a UTF-8 body split across chunks', async () => {
    const { base } = await serve((_req, res) => {
      const bytes = Buffer.from('{"displayName":"Jörg Ünal"}')
      res.writeHead(200)
      res.write(bytes.subarray(0, 17)) // splits the ö
      setTimeout(() => res.end(bytes.subarray(17)), 20)
    })
    const result = await send(base)
    expect(result.kind === 'response' && result.body).toBe('{"displayName":"Jörg Ünal"}')
  })

  it('times out in phase "headers" when no headers come', async () => {
    const { base } = await serve(() => undefined)
    const started = Date.now()
    const result = await send(base, 300)
    const took = Date.now() - started
    expect(result).toMatchObject({ kind: 'timeout', phase: 'headers', status: undefined })
    expect(took).toBeGreaterThanOrEqual(290)
    expect(took).toBeLessThan(300 + 500)
  })

  it('times out in phase "body" when the body stalls after the headers, within the deadline', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"name":')
    })
    const started = Date.now()
    const result = await send(base, 400)
    const took = Date.now() - started
    expect(result).toMatchObject({ kind: 'timeout', phase: 'body', status: 200 })
    expect(took).toBeGreaterThanOrEqual(390)
    expect(took).toBeLessThan(400 + 500)
  })

  it('times out at once when the deadline has already passed', async () => {
    const { base } = await serve((_req, res) => res.end('late'))
    const started = Date.now()
    const result = await createSend({ proxyEnv: {} })(request(base), Date.now() - 1000)
    expect(result.kind).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(500)
  })

  it('cuts a body over 1 MiB and says so', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const chunk = Buffer.alloc(64 * 1024, 'a')
      let sent = 0
      const more = (): void => {
        while (sent < 4 * MAX_BODY_BYTES) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        res.end()
      }
      more()
    })
    const result = await send(base)
    expect(MAX_BODY_BYTES).toBe(1024 * 1024)
    expect(result).toMatchObject({ kind: 'response', status: 200, truncated: true })
    expect(result.kind === 'response' && Buffer.byteLength(result.body)).toBe(MAX_BODY_BYTES)
  })

  it('keeps a body of exactly 1 MiB whole', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200)
      res.end(Buffer.alloc(MAX_BODY_BYTES, 'b'))
    })
    const result = await send(base)
    expect(result).toMatchObject({ kind: 'response', truncated: false })
    expect(result.kind === 'response' && result.body.length).toBe(MAX_BODY_BYTES)
  })

  it('reports a connection destroyed mid-body as an error in phase "body"', async () => {
    const { base } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      res.write('{"name":"ci-')
      setTimeout(() => req.socket.destroy(), 30)
    })
    const result = await send(base)
    expect(result).toMatchObject({ kind: 'error', phase: 'body' })
    expect(result.kind === 'error' && result.errno).toBe('ECONNRESET')
  })

  it('reports a refused port as ECONNREFUSED in phase "connect"', async () => {
    const server = net.createServer()
    const port = await listen(server)
    await new Promise((resolve) => server.close(resolve))
    servers.splice(servers.indexOf(server), 1)
    const result = await send(`http://127.0.0.1:${port}/rest/api/2/myself`)
    expect(result).toMatchObject({ kind: 'error', errno: 'ECONNREFUSED', phase: 'connect' })
  })

  it('returns a 302 as it is, without following it', async () => {
    const { base, requests } = await serve((req, res) => {
      if (req.url === '/login') {
        res.end('login page')
        return
      }
      res.writeHead(302, { location: '/login' })
      res.end()
    })
    const result = await send(`${base}/rest/api/2/myself`)
    expect(result).toMatchObject({ kind: 'response', status: 302, body: '' })
    expect(result.kind === 'response' && result.headers.location).toBe('/login')
    expect(requests.map((r) => r.url)).toEqual(['/rest/api/2/myself'])
  })

  it('reports a reset before any answer as an error in phase "connect"', async () => {
    const { base } = await serve((req) => req.socket.destroy())
    const result = await send(base)
    expect(result).toMatchObject({ kind: 'error', phase: 'connect' })
    expect(result.kind === 'error' && result.errno).toBe('ECONNRESET')
  })
})

/**
 * Runs the transport in a child Node: TLS needs NODE_EXTRA_CA_CERTS, which Node reads only at
 * start-up. Loopback only, like everything here.
 */
async function sendInChild(
  script: string,
  env: Record<string, string> = {}
): Promise<AttemptResult & { reached?: boolean }> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, NODE_OPTIONS: '', TRANSPORT: TRANSPORT_PATH, ...env },
      timeout: 20_000
    }
  )
  return JSON.parse(stdout) as AttemptResult & { reached?: boolean }
}

const TRANSPORT_PATH = fileURLToPath(new URL('../../src/engine/jira/transport.ts', import.meta.url))

describe('sendOnce over TLS', () => {
  it('times out in phase "tls" when the server accepts the connection but never shakes hands', async () => {
    const result = await sendInChild(`
      import * as net from 'node:net'
      const { createSend } = await import(process.env.TRANSPORT)
      const server = net.createServer((socket) => socket.resume())
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
      const url = new URL('https://127.0.0.1:' + server.address().port + '/rest/api/2/myself')
      const result = await createSend({ proxyEnv: {} })({ url, method: 'GET', headers: {} }, Date.now() + 300)
      process.stdout.write(JSON.stringify(result))
      process.exit(0)
    `)
    expect(result).toMatchObject({ kind: 'timeout', phase: 'tls' })
  })

  it('verifies the certificate even with NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment', async () => {
    // In the child the variable is real: jest gives a test its own copy of process.env, which
    // Node's TLS defaults never read.
    const pki = await getPki()
    const result = await sendInChild(
      `
            const { createSend } = await import(process.env.TRANSPORT)
      let reached = false
      const server = https.createServer({ cert: process.env.CERT, key: process.env.KEY }, (_req, res) => {
        reached = true
        res.end('{}')
      })
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
      const url = new URL('https://127.0.0.1:' + server.address().port + '/rest/api/2/myself')
      const result = await createSend({ proxyEnv: {} })({ url, method: 'GET', headers: {} }, Date.now() + 5000)
      process.stdout.write(JSON.stringify({ ...result, reached }))
      process.exit(0)
    `,
      { NODE_TLS_REJECT_UNAUTHORIZED: '0', CERT: pki.leaf.certPem, KEY: pki.leaf.keyPem }
    )
    // The stand-in's CA is not trusted by the child: the handshake must fail, and Jira see nothing.
    expect(result).toMatchObject({ kind: 'error', phase: 'connect', reached: false })
    expect(result.kind === 'error' && result.errno).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN/
    )
  })
})

/*
 * Proxied requests (CONNECT tunnels, absolute-form http) are covered end to end: the suite runs the
 * bundles as processes behind the stand-in's CONNECT proxy, with target host names that only the
 * proxy can reach, so a request that bypassed the tunnel would fail.
 */
describe('createSend and proxy variables', () => {
  it('bypasses the proxy for loopback targets', async () => {
    const { base, requests } = await serve((_req, res) => res.end('direct'))
    const result = await send(`${base}/rest/api/2/myself`, 5000, {
      https_proxy: 'http://127.0.0.1:1',
      http_proxy: 'http://127.0.0.1:1'
    })
    expect(result).toMatchObject({ kind: 'response', status: 200, body: 'direct' })
    expect(requests[0].url).toBe('/rest/api/2/myself')
  })

  it('sends nothing when the proxy variable cannot be parsed', async () => {
    const result = await send('https://jira.example.com/rest/api/2/myself', 5000, {
      https_proxy: 'http://user:p%zz@127.0.0.1:1'
    })
    expect(result).toEqual({
      kind: 'proxy-invalid',
      variable: 'https_proxy',
      reason: expect.stringContaining('"%"'),
      elapsedMs: 0
    })
    expect(JSON.stringify(result)).not.toContain('p%zz')
  })
})
