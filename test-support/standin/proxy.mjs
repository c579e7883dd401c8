// A minimal HTTP CONNECT proxy on loopback, for https_proxy tests.
// It only tunnels to loopback addresses, so nothing in a test can reach the real network through it.
import http from 'node:http'
import net from 'node:net'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

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
    const record = { target, proxyAuthorization, status: 0 }
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
    const port = Number(match[2])
    const address = hosts[host.toLowerCase()] ?? hosts[host] ?? host
    if (!LOOPBACK.has(address)) return answer(502, 'Bad Gateway')

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
