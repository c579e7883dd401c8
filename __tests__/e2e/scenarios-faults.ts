/** Issue 4 §1: faults switched on in the stand-in; each ends in the right code, or recovers. */
import { expect } from '@jest/globals'
import { startConnectProxy, type ConnectProxy } from '../../test-support/standin/index.mjs'
import { countEndpoint, type Run, type Scenario } from './harness.js'

function pat(domain: string, token: string, extra: Record<string, string> = {}): Run {
  return { inputs: { domain, token, ...extra }, secrets: [token] }
}

/** The proxy tests need a name that is not loopback (loopback always bypasses the proxy) and that only the proxy resolves. */
const PROXIED_HOST = 'jira.standin.test'
let proxy: ConnectProxy | undefined

export const faultScenarios: Scenario[] = [
  {
    name: 'slow headers within the deadline: ok',
    settings: { fault: { type: 'slow-headers', ms: 800 } },
    prepare: (s) => pat(s.url, s.mintPat(), { 'timeout-seconds': '5' }),
    expect: { exitCode: 0, status: 'ok' }
  },
  {
    name: 'body stalls after the headers: timeout, process exits on time',
    settings: { fault: { type: 'stall-body' } },
    prepare: (s) => pat(s.url, s.mintPat(), { 'timeout-seconds': '2' }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'timeout', message: /body stalled/ }
  },
  {
    name: 'connection reset mid-body, persistently: connection-error after retries',
    settings: { fault: { type: 'reset-mid-body' } },
    prepare: (s) => pat(s.url, s.mintPat(), { retries: '2', 'timeout-seconds': '8' }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'connection-error', message: /ECONNRESET/ },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(3)
  },
  {
    name: 'connection reset once, then ok',
    settings: { fault: { type: 'reset-mid-body', times: 1 } },
    prepare: (s) => pat(s.url, s.mintPat(), { 'timeout-seconds': '8' }),
    expect: { exitCode: 0, status: 'ok' },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(2)
  },
  {
    name: '50 MiB body: cut at 1 MiB, unexpected-response, no memory blow-up',
    settings: { fault: { type: 'huge-body', bytes: 50 * 1024 * 1024 } },
    prepare: (s) => pat(s.url, s.mintPat(), { 'timeout-seconds': '10' }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unexpected-response',
      message: /larger than 1 MiB/
    },
    verify: (result) => expect(result.durationMs).toBeLessThan(5000)
  },
  {
    name: 'malformed JSON: unexpected-response',
    settings: { fault: { type: 'malformed-json' } },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unexpected-response',
      message: /not valid JSON/
    }
  },
  {
    name: 'empty 200: unexpected-response',
    settings: { fault: { type: 'empty-200' } },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unexpected-response',
      message: /body was empty/
    }
  },
  {
    name: 'redirect to another host: login-redirect, the other host never hears from us',
    prepare: (s, world) => {
      s.set({
        fault: {
          type: 'redirect',
          location: `https://localhost:${world.other.port}/rest/api/2/myself`
        }
      })
      return pat(s.url, s.mintPat())
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'login-redirect',
      message: /redirect \(HTTP 302\) to localhost:\d+/
    },
    verify: (_result, _s, world) => {
      expect(world.other.requests).toHaveLength(0)
      expect(world.other.requests.filter((r) => r.authorization !== undefined)).toHaveLength(0)
    }
  },
  {
    name: '429 with Retry-After, then ok: waits as asked',
    settings: { fault: { type: 'status', status: 429, retryAfter: 1, times: 1 } },
    prepare: (s) => pat(s.url, s.mintPat(), { 'timeout-seconds': '10' }),
    expect: { exitCode: 0, status: 'ok' },
    verify: (result, s) => {
      expect(countEndpoint(s, 'myself')).toBe(2)
      expect(result.stdout).toMatch(/retrying in 1\.0 s/)
      const [first, second] = s.requests.filter((r) => r.endpoint === 'myself')
      expect(second.startedAt - first.startedAt).toBeGreaterThanOrEqual(950)
    }
  },
  {
    name: 'Retry-After beyond the deadline: rate-limited at once',
    settings: { fault: { type: 'status', status: 429, retryAfter: 120 } },
    prepare: (s) => pat(s.url, s.mintPat(), { 'timeout-seconds': '5' }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'rate-limited', message: /wait 120 s/ },
    verify: (result, s) => {
      expect(countEndpoint(s, 'myself')).toBe(1)
      expect(result.durationMs).toBeLessThan(3000)
    }
  },
  {
    name: '503 twice, then ok',
    settings: { fault: { type: 'status', status: 503, times: 2 } },
    prepare: (s) => pat(s.url, s.mintPat(), { retries: '2', 'timeout-seconds': '10' }),
    expect: { exitCode: 0, status: 'ok' },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(3)
  },
  {
    name: 'persistent 500: server-error, asked once',
    settings: { fault: { type: 'status', status: 500 } },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: { exitCode: 1, status: 'failed', errorCode: 'server-error' },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(1)
  },
  {
    name: '401 is asked exactly once, even with retries',
    prepare: (s) => pat(s.url, s.mintPat({ expiresInDays: -3 }), { retries: '5' }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'unauthorized' },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(1)
  },
  {
    name: '403 is asked exactly once, even with retries',
    settings: { fault: { type: 'status', status: 403 } },
    prepare: (s) => pat(s.url, s.mintPat(), { retries: '5' }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'forbidden' },
    verify: (_result, s) => expect(countEndpoint(s, 'myself')).toBe(1)
  },
  {
    name: '404 is asked exactly once, even with retries',
    on: 'dcContext',
    prepare: (s) => pat(s.origin, s.mintPat(), { retries: '5' }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'not-found' },
    verify: (_result, s) =>
      expect(s.requests.filter((r) => r.path.endsWith('/myself'))).toHaveLength(1)
  },
  {
    name: 'TLS: certificate from an untrusted CA',
    settings: { tls: 'untrusted' },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'tls-error',
      message: /not trust[\s\S]*NODE_EXTRA_CA_CERTS/
    }
  },
  {
    name: 'TLS: expired certificate',
    settings: { tls: 'expired' },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'tls-error',
      message: /expired \(CERT_HAS_EXPIRED\)/
    }
  },
  {
    name: 'TLS: certificate for another host name',
    settings: { tls: 'wrong-host' },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'tls-error',
      message: /ERR_TLS_CERT_ALTNAME_INVALID/
    }
  },
  {
    name: 'https:// to a plain-HTTP port: tls-error about the port',
    prepare: async (s, world) => {
      // The "other" stand-in speaks HTTPS; a raw TCP server answering HTTP stands for a plain port.
      const net = await import('node:net')
      const sockets = new Set<import('node:net').Socket>()
      const server = net.createServer((socket) => {
        sockets.add(socket)
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const port = (server.address() as { port: number }).port
      void world
      const cleanup = (): Promise<void> => {
        for (const socket of sockets) socket.destroy()
        return new Promise((resolve) => server.close(() => resolve()))
      }
      return { ...pat(`https://127.0.0.1:${port}`, s.mintPat()), cleanup }
    },
    expect: { exitCode: 1, status: 'failed', errorCode: 'tls-error', message: /serves HTTPS/ }
  },
  {
    name: 'proxy: https_proxy is honoured for a non-loopback host',
    prepare: async (s) => {
      proxy = await startConnectProxy({ hosts: { [PROXIED_HOST]: '127.0.0.1' } })
      return {
        ...pat(`https://${PROXIED_HOST}:${s.port}`, s.mintPat()),
        env: { https_proxy: proxy.url },
        cleanup: () => proxy!.close()
      }
    },
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'ci-bot' } },
    verify: (_result, s) => {
      expect(proxy!.connects.map((c) => c.target)).toContain(`${PROXIED_HOST}:${s.port}`)
      expect(proxy!.connects.every((c) => c.status === 200)).toBe(true)
      expect(countEndpoint(s, 'myself')).toBe(1)
    }
  },
  {
    name: 'proxy with credentials in https_proxy',
    prepare: async (s) => {
      proxy = await startConnectProxy({
        hosts: { [PROXIED_HOST]: '127.0.0.1' },
        requireAuth: 'user:p@ss'
      })
      return {
        ...pat(`https://${PROXIED_HOST}:${s.port}`, s.mintPat()),
        env: { HTTPS_PROXY: proxy.url.replace('http://', 'http://user:p%40ss@') },
        cleanup: () => proxy!.close()
      }
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: () =>
      expect(proxy!.connects[0].proxyAuthorization).toBe(
        `Basic ${Buffer.from('user:p@ss').toString('base64')}`
      )
  },
  {
    name: 'no_proxy bypasses the proxy',
    prepare: async (s) => {
      proxy = await startConnectProxy({ hosts: { [PROXIED_HOST]: '127.0.0.1' } })
      return {
        ...pat(`https://${PROXIED_HOST}:${s.port}`, s.mintPat()),
        env: { https_proxy: proxy.url, no_proxy: `.standin.test` },
        lookups: { [PROXIED_HOST]: 'ENOTFOUND' },
        cleanup: () => proxy!.close()
      }
    },
    // Bypassed, the name must be resolved by the runner's DNS, where it does not exist.
    expect: { exitCode: 1, status: 'failed', errorCode: 'dns-error' },
    verify: () => expect(proxy!.connects).toHaveLength(0)
  },
  {
    name: 'proxy refuses the tunnel: proxy-error, not retried',
    prepare: async (s) => {
      proxy = await startConnectProxy({ hosts: { [PROXIED_HOST]: '127.0.0.1' }, refuse: true })
      return {
        ...pat(`https://${PROXIED_HOST}:${s.port}`, s.mintPat()),
        env: { https_proxy: proxy.url },
        cleanup: () => proxy!.close()
      }
    },
    expect: { exitCode: 1, status: 'failed', errorCode: 'proxy-error', message: /HTTP 403/ },
    // One CONNECT per probe (myself, serverInfo, the PAT list, mypermissions for the token
    // policy): a proxy refusal is never retried.
    verify: () => expect(proxy!.connects).toHaveLength(4)
  },
  {
    name: 'proxy not listening: proxy-error',
    prepare: (s) => ({
      ...pat(`https://${PROXIED_HOST}:${s.port}`, s.mintPat()),
      env: { https_proxy: 'http://127.0.0.1:9' }
    }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'proxy-error', message: /ECONNREFUSED/ }
  }
]
