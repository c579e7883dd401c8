// A loopback TCP forwarder that makes a network out of loopback: every byte is held `oneWayMs`
// before it is passed on, in each direction, so a round trip costs 2 × oneWayMs. Loopback
// connects complete at once, so a connection's first bytes from the client are held one more
// round trip (`handshakeRtts`), standing in for the TCP handshake (SYN, SYN-ACK) a real network
// costs before the client can send. With the defaults (25 ms each way, RTT 50 ms) a fresh HTTPS
// request costs TCP 1 + TLS 1.3 1 + HTTP 1 = 3 RTT, as on a real network. Order is kept within each
// direction; ends and resets are passed on after the same delay. Used by `npm run bench` to report
// the action as "start-up + N RTT".
import net from 'node:net'
import { performance } from 'node:perf_hooks'

/**
 * @typedef {object} Forwarder
 * @property {number} port where clients connect (127.0.0.1)
 * @property {number} rttMs 2 × oneWayMs
 * @property {number} connections connections accepted since the last reset()
 * @property {number} waves bursts of new connections since the last reset(): opens less than
 *   half an RTT apart belong to one burst (a client that opens three connections at once makes one
 *   wave; one that waits for an answer before it opens the next makes two)
 * @property {() => void} reset
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ targetPort: number, targetHost?: string, oneWayMs?: number, handshakeRtts?: number }} options
 * @returns {Promise<Forwarder>}
 */
export async function startForwarder({
  targetPort,
  targetHost = '127.0.0.1',
  oneWayMs = 25,
  handshakeRtts = 1
}) {
  const rttMs = 2 * oneWayMs
  /** @type {Set<net.Socket>} */
  const sockets = new Set()
  let connections = 0
  let waves = 0
  let lastOpen = -Infinity

  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    connections++
    const now = performance.now()
    if (now - lastOpen > rttMs / 2) waves++
    lastOpen = now
    const upstream = net.connect({ port: targetPort, host: targetHost, allowHalfOpen: true })
    upstream.setNoDelay(true)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      // An error on one side resets the other, after the wire delay like everything else.
      socket.on('error', () => {})
    }
    delayedPipe(client, upstream, oneWayMs, handshakeRtts * rttMs)
    delayedPipe(upstream, client, oneWayMs, 0)
  })
  await new Promise((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolveListen(undefined))
  })
  const { port } = /** @type {net.AddressInfo} */ (server.address())
  return {
    port,
    rttMs,
    get connections() {
      return connections
    },
    get waves() {
      return waves
    },
    reset() {
      connections = 0
      waves = 0
      lastOpen = -Infinity
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolveClose) => server.close(() => resolveClose()))
    }
  }
}

/**
 * Pass `from`'s bytes, end and reset to `to`, each `delayMs` after it arrived (the first chunk
 * `firstExtraMs` later still), never reordering.
 * @param {net.Socket} from
 * @param {net.Socket} to
 * @param {number} delayMs
 * @param {number} firstExtraMs
 */
function delayedPipe(from, to, delayMs, firstExtraMs) {
  /** @type {Array<{ due: number, chunk?: Buffer, end?: boolean, reset?: boolean }>} */
  const queue = []
  /** @type {NodeJS.Timeout | undefined} */
  let timer
  let first = true
  let lastDue = 0
  let closed = false

  /** @param {{ chunk?: Buffer, end?: boolean, reset?: boolean }} item */
  const enqueue = (item) => {
    if (closed) return
    let due = performance.now() + delayMs
    if (first && item.chunk) {
      due += firstExtraMs
      first = false
    }
    due = Math.max(due, lastDue)
    lastDue = due
    queue.push({ due, ...item })
    if (item.end || item.reset) closed = true
    schedule()
  }
  const schedule = () => {
    if (timer || queue.length === 0) return
    timer = setTimeout(flush, Math.max(0, queue[0].due - performance.now()))
  }
  const flush = () => {
    timer = undefined
    // setTimeout rounds to whole milliseconds: take what is due within half of one.
    const now = performance.now() + 0.5
    while (queue.length > 0 && queue[0].due <= now) {
      const item = /** @type {(typeof queue)[number]} */ (queue.shift())
      if (to.destroyed) {
        queue.length = 0
        return
      }
      if (item.chunk) to.write(item.chunk)
      else if (item.end) to.end()
      else if (item.reset) to.destroy()
    }
    schedule()
  }

  from.on('data', (chunk) => enqueue({ chunk }))
  from.on('end', () => enqueue({ end: true }))
  from.on('close', (hadError) => {
    // Closed without an orderly end (reset, error): pass the reset on.
    if (!closed || hadError) {
      closed = false
      enqueue({ reset: true })
    }
  })
}
