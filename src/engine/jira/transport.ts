import type * as http from 'node:http'
import type { Socket } from 'node:net'
import { proxyFor, type ProxyEnv, type ProxyRoute } from './proxy.js'

/**
 * node:http, https, tls and net, loaded on the first request rather than at start-up: a check
 * that fails on its inputs never pays for them (about 10 ms of a cold start).
 */
interface Network {
  http: typeof import('node:http')
  https: typeof import('node:https')
  tls: typeof import('node:tls')
  net: typeof import('node:net')
}
let network: Promise<Network> | undefined
function loadNetwork(): Promise<Network> {
  network ??= Promise.all([
    import('node:http'),
    import('node:https'),
    import('node:tls'),
    import('node:net')
  ]).then(([http, https, tls, net]) => ({ http, https, tls, net }))
  return network
}

/** Jira's answers we act on are small; anything bigger is a proxy page or a fault. */
export const MAX_BODY_BYTES = 1024 * 1024

export interface HttpResponse {
  kind: 'response'
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  /** The body was longer than MAX_BODY_BYTES and was cut there. */
  truncated: boolean
  elapsedMs: number
}

export interface TransportError {
  kind: 'error'
  /** Node's error code: ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ... */
  errno: string
  message: string
  /** Where it failed: reaching the proxy, the connection or TLS handshake, or reading the body. */
  phase: 'proxy' | 'connect' | 'body'
  /** The proxy refused the CONNECT tunnel with this status (407: it wants credentials). */
  proxyStatus?: number
  elapsedMs: number
}

/** Where a request was when the deadline came. */
export type TimeoutPhase = 'lookup' | 'connect' | 'proxy' | 'tls' | 'headers' | 'body'

export interface TransportTimeout {
  kind: 'timeout'
  phase: TimeoutPhase
  /** The status line, when the headers came and then the body stalled. */
  status?: number
  elapsedMs: number
}

/** A proxy variable applies to the target but cannot be used: nothing was sent. */
export interface ProxyMisconfigured {
  kind: 'proxy-invalid'
  variable: string
  reason: string
  elapsedMs: number
}

export type AttemptResult = HttpResponse | TransportError | TransportTimeout | ProxyMisconfigured

/** One request: GET for the probes, POST and DELETE for token endpoints. */
export interface OutgoingRequest {
  url: URL
  method: 'GET' | 'POST' | 'DELETE'
  headers: Record<string, string>
  body?: string
}

export type Send = ((request: OutgoingRequest, deadlineAt: number) => Promise<AttemptResult>) & {
  /** Closes the connections kept open for reuse. */
  close?: () => void
}

export interface TransportOptions {
  /** The proxy variables (https_proxy, no_proxy, ...) to route by. */
  proxyEnv: ProxyEnv
}

/**
 * One request, by hand on node:http(s) rather than through @actions/http-client: that client re-sends
 * credentials to another host when it follows a redirect, and its socket timeout stops at the
 * headers, so a stalled body hangs it. Here nothing is followed, the deadline covers every phase
 * (lookup, connect, proxy, TLS, headers, every body byte), and the body is cut at MAX_BODY_BYTES.
 * Certificates are always verified: `rejectUnauthorized` is set on every connection, so
 * NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot send the token to an untrusted server.
 */
export function createSend(options: TransportOptions): Send {
  // Direct connections are kept open and reused: with Basic auth the permission probe follows
  // /myself to the same host, and a reused connection saves it the TCP and TLS handshakes. The
  // agent's idle sockets are unref'd, so they never keep the process alive.
  let agents: Agents | undefined
  const send: Send = async (request, deadlineAt) => {
    const route = proxyFor(request.url, options.proxyEnv)
    if (route.kind === 'invalid') {
      return { kind: 'proxy-invalid', variable: route.variable, reason: route.reason, elapsedMs: 0 }
    }
    const network = await loadNetwork()
    agents ??= {
      http: new network.http.Agent({ keepAlive: true }),
      https: new network.https.Agent({ keepAlive: true, rejectUnauthorized: true })
    }
    return sendOnce(request, deadlineAt, route, network, agents)
  }
  send.close = () => {
    agents?.http.destroy()
    agents?.https.destroy()
    agents = undefined
  }
  return send
}

interface Agents {
  http: http.Agent
  https: http.Agent
}

function sendOnce(
  outgoing: OutgoingRequest,
  deadlineAt: number,
  route: Exclude<ProxyRoute, { kind: 'invalid' }>,
  { http, https, tls, net }: Network,
  agents: Agents
): Promise<AttemptResult> {
  const { url, headers, method } = outgoing
  const startedAt = Date.now()
  const elapsed = (): number => Date.now() - startedAt
  const sendWithHeaders = (request: http.ClientRequest, headers: Record<string, string>): void =>
    send(request, headers, outgoing.body)
  const isIP = net.isIP
  return new Promise<AttemptResult>((resolve) => {
    let settled = false
    let request: http.ClientRequest | undefined
    let tunnel: Socket | undefined
    let response: http.IncomingMessage | undefined
    let phase: TimeoutPhase =
      route.kind === 'proxy' ? 'proxy' : isIP(bare(url.hostname)) ? 'connect' : 'lookup'
    const finish = (result: AttemptResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      // A direct connection that delivered a whole answer goes back to the agent for reuse.
      const reusable = result.kind === 'response' && !result.truncated && route.kind === 'direct'
      if (!reusable) {
        request?.destroy()
        response?.destroy()
      }
      tunnel?.destroy()
      resolve(result)
    }
    const timer = setTimeout(
      () => finish({ kind: 'timeout', phase, status: response?.statusCode, elapsedMs: elapsed() }),
      Math.max(0, deadlineAt - Date.now())
    )
    const fail =
      (where: TransportError['phase'], proxyStatus?: number) =>
      (error: NodeJS.ErrnoException): void =>
        finish({
          kind: 'error',
          errno: error.code ?? 'UNKNOWN',
          message: error.message,
          phase: where === 'connect' && response ? 'body' : where,
          ...(proxyStatus !== undefined && { proxyStatus }),
          elapsedMs: elapsed()
        })
    /** Follows a direct connection through lookup, connect and TLS, for the timeout's phase. */
    const trackPhases = (socket: Socket, secure: boolean, reused: boolean): void => {
      if (reused) {
        phase = 'headers'
        return
      }
      socket.once('lookup', () => (phase = 'connect'))
      socket.once('connect', () => (phase = secure ? 'tls' : 'headers'))
      if (secure) socket.once('secureConnect', () => (phase = 'headers'))
    }

    const onResponse = (res: http.IncomingMessage): void => {
      response = res
      phase = 'body'
      readBody(res, (body, truncated) =>
        finish({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          truncated,
          elapsedMs: elapsed()
        })
      )
      res.on('error', fail('body'))
      res.on('close', () => {
        if (!res.complete)
          fail('body')(
            Object.assign(new Error('connection closed mid-body'), { code: 'ECONNRESET' })
          )
      })
    }

    const secure = url.protocol === 'https:'
    if (route.kind === 'direct') {
      const direct = (secure ? https : http).request(
        url,
        {
          method,
          agent: secure ? agents.https : agents.http,
          ...(secure && { rejectUnauthorized: true })
        },
        onResponse
      )
      request = direct
      direct.on('socket', (socket: Socket) => trackPhases(socket, secure, direct.reusedSocket))
      request.on('error', fail('connect'))
      sendWithHeaders(request, headers)
      return
    }

    const proxy = route.url
    const proxyAuthorization =
      route.username || route.password
        ? `Basic ${Buffer.from(`${route.username}:${route.password}`).toString('base64')}`
        : undefined
    if (!secure) {
      // A plain-http target goes through the proxy as an absolute-form request.
      request = http.request(
        {
          host: bare(proxy.hostname),
          port: proxy.port || 80,
          path: url.href,
          method,
          agent: false
        },
        onResponse
      )
      request.on('socket', (socket: Socket) => socket.once('connect', () => (phase = 'headers')))
      request.on('error', fail('proxy'))
      sendWithHeaders(request, {
        ...headers,
        ...(proxyAuthorization && { 'proxy-authorization': proxyAuthorization })
      })
      return
    }
    const target = `${url.hostname}:${url.port || 443}`
    const proxySecure = proxy.protocol === 'https:'
    const connect = (proxySecure ? https : http).request({
      host: bare(proxy.hostname),
      port: proxy.port || (proxySecure ? 443 : 80),
      method: 'CONNECT',
      path: target,
      agent: false,
      ...(proxySecure && { rejectUnauthorized: true })
    })
    request = connect
    connect.on('error', fail('proxy'))
    connect.on('connect', (answer: http.IncomingMessage, socket: Socket) => {
      tunnel = socket
      if (answer.statusCode !== 200) {
        fail(
          'proxy',
          answer.statusCode
        )(
          Object.assign(new Error(`the proxy answered CONNECT with HTTP ${answer.statusCode}`), {
            code: 'EPROXYREFUSED'
          })
        )
        return
      }
      phase = 'tls'
      const hostname = bare(url.hostname)
      request = https.request(
        url,
        {
          method,
          // Node ignores createConnection whenever an agent is in play, and `agent: false` makes one:
          // without this the request would bypass the tunnel and connect to Jira directly.
          agent: undefined,
          createConnection: () => {
            const secured = tls.connect({
              socket,
              servername: isIP(hostname) ? undefined : hostname,
              host: hostname,
              rejectUnauthorized: true
            })
            secured.once('secureConnect', () => (phase = 'headers'))
            return secured
          }
        },
        onResponse
      )
      request.on('error', fail('connect'))
      sendWithHeaders(request, headers)
    })
    // The CONNECT itself carries no body: the request goes through the tunnel afterwards.
    send(connect, {
      host: target,
      ...(proxyAuthorization && { 'proxy-authorization': proxyAuthorization })
    })
  })
}

/** An IPv6 literal without the brackets that URLs put around it. */
function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '')
}

/** Collects the body, cutting it at MAX_BODY_BYTES. */
function readBody(
  res: http.IncomingMessage,
  done: (body: string, truncated: boolean) => void
): void {
  const chunks: Buffer[] = []
  let size = 0
  res.on('data', (chunk: Buffer) => {
    const room = MAX_BODY_BYTES - size
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room))
      done(Buffer.concat(chunks).toString('utf8'), true)
      return
    }
    chunks.push(chunk)
    size += chunk.length
  })
  res.on('end', () => done(Buffer.concat(chunks).toString('utf8'), false))
}

/**
 * Headers are set on the request, never passed in its options: with NODE_DEBUG=http Node prints the
 * whole options object (headers included) when it opens the connection, which would print the token.
 */
function send(request: http.ClientRequest, headers: Record<string, string>, body?: string): void {
  for (const [name, value] of Object.entries(headers)) request.setHeader(name, value)
  if (body !== undefined) request.setHeader('Content-Length', Buffer.byteLength(body))
  request.end(body)
}
