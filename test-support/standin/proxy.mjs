// A minimal HTTP CONNECT proxy on loopback, for https_proxy tests.
// It only tunnels to loopback addresses, so nothing in a test can reach the real network through it.
// `hosts` maps a name to a loopback address ('127.0.0.1') or to an address and port
// ('127.0.0.1:8443'), so `CONNECT api.atlassian.com:443` can reach a stand-in on an ephemeral port.
// A mapped name is never resolved: the proxy dials the address it was given, and the client's TLS
// carries the name in SNI.
import http from 'node:http'
import net from 'node:net'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/**
 * The address and optional port of a `hosts` value: '127.0.0.1', '127.0.0.1:8443', '::1',
 * '[::1]:8443', 'localhost:8443'.
 * @param {string} value
 * @returns {{ address: string, port: number | undefined }}
 */
export function parseHostTarget(value) {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value)
  if (bracketed) {
    return { address: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined }
  }
  // More than one colon and no brackets: a bare IPv6 address, no port.
  if (value.indexOf(':') !== value.lastIndexOf(':')) return { address: value, port: undefined }
  const withPort = /^(.+):(\d+)$/.exec(value)
  if (withPort) return { address: withPort[1], port: Number(withPort[2]) }
  return { address: value, port: undefined }
}

/**
 * @param {import('./index.d.mts').ConnectProxyOptions} [options]
 * @returns {Promise<import('./index.d.mts').ConnectProxy>}
 */
export async function startConnectProxy(options = {}) {
  const hosts = options.hosts ?? {}
  /** @type {import('./index.d.mts').ConnectRecord[]} */
  const connects = []
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()
  const track = (/** @type {import('node:net').Socket} */ socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }

  const server = http.createServer((req, res) => {
    // Plain-HTTP forwarding is not supported: only CONNECT tunnels.
    res.writeHead(501, { 'Content-Type': 'text/plain', Connection: 'close' })
    res.end('This proxy only supports CONNECT.\n')
  })
  server.on('connection', track)
  server.on('clientError', (_error, socket) => socket.destroy())

  server.on('connect', (req, clientSocket, head) => {
    const socket = /** @type {import('node:net').Socket} */ (clientSocket)
    track(socket)
    socket.on('error', () => socket.destroy())
    const target = req.url ?? ''
    const proxyAuthorization = req.headers['proxy-authorization']
    /** @type {import('./index.d.mts').ConnectRecord} */
    const record = { target, proxyAuthorization, status: 0, dialled: undefined }
    connects.push(record)
    const answer = (/** @type {number} */ status, /** @type {string} */ reason, extra = '') => {
      record.status = status
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`
      )
    }

    if (options.refuse) return answer(403, 'Forbidden')
    if (options.requireAuth !== undefined) {
      const expected = `Basic ${Buffer.from(options.requireAuth).toString('base64')}`
      if (proxyAuthorization !== expected) {
        return answer(
          407,
          'Proxy Authentication Required',
          'Proxy-Authenticate: Basic realm="standin-proxy"\r\n'
        )
      }
    }
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target)
    if (!match) return answer(400, 'Bad Request')
    const host = match[1]
    const mapped = hosts[host.toLowerCase()] ?? hosts[host]
    const { address, port: mappedPort } =
      mapped === undefined ? { address: host, port: undefined } : parseHostTarget(mapped)
    const port = mappedPort ?? Number(match[2])
    if (!LOOPBACK.has(address) || !(port > 0 && port < 65536)) return answer(502, 'Bad Gateway')
    record.dialled = `${address.includes(':') ? `[${address}]` : address}:${port}`

    const upstream = net.connect(port, address)
    track(upstream)
    upstream.once('connect', () => {
      record.status = 200
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head && head.length > 0) upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => {
      if (record.status === 0) answer(502, 'Bad Gateway')
      else socket.destroy()
    })
    socket.on('close', () => upstream.destroy())
    upstream.on('close', () => socket.destroy())
  })

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(undefined)
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  let closed = false

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    close() {
      if (closed) return Promise.resolve()
      closed = true
      return new Promise((resolve) => {
        server.close(() => resolve(undefined))
        for (const socket of sockets) socket.destroy()
        sockets.clear()
      })
    }
  }
}
