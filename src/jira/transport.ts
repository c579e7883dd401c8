import * as http from 'node:http'
import * as https from 'node:https'
import * as tls from 'node:tls'
import { isIP, type Socket } from 'node:net'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

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
  /** Node's error code: ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ... or PROXY_STATUS_<n>. */
  errno: string
  message: string
  /** Where it failed: reaching the proxy, the connection or TLS handshake, or reading the body. */
  phase: 'proxy' | 'connect' | 'body'
  elapsedMs: number
}

export interface TransportTimeout {
  kind: 'timeout'
  /** headers: nothing usable arrived; body: headers came, then the body stalled. */
  phase: 'headers' | 'body'
  status?: number
  elapsedMs: number
}

export type AttemptResult = HttpResponse | TransportError | TransportTimeout

export type Send = (
  url: URL,
  headers: Record<string, string>,
  deadlineAt: number
) => Promise<AttemptResult>

/**
 * One GET, by hand on node:http(s) rather than through @actions/http-client: that client re-sends
 * credentials to another host when it follows a redirect, and its socket timeout stops at the
 * headers, so a stalled body hangs it. Here nothing is followed, the deadline covers every byte,
 * and the body is cut at MAX_BODY_BYTES. Proxies follow the runner's https_proxy/no_proxy rules
 * (http-client's own resolver, which always bypasses loopback).
 */
export const sendOnce: Send = (url, headers, deadlineAt) => {
  const startedAt = Date.now()
  const elapsed = (): number => Date.now() - startedAt
  return new Promise<AttemptResult>((resolve) => {
    let settled = false
    let request: http.ClientRequest | undefined
    let tunnel: Socket | undefined
    let response: http.IncomingMessage | undefined
    const finish = (result: AttemptResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request?.destroy()
      tunnel?.destroy()
      response?.destroy()
      resolve(result)
    }
    const timer = setTimeout(
      () =>
        finish({
          kind: 'timeout',
          phase: response ? 'body' : 'headers',
          status: response?.statusCode,
          elapsedMs: elapsed()
        }),
      Math.max(0, deadlineAt - Date.now())
    )
    const fail = (phase: TransportError['phase']) => (error: NodeJS.ErrnoException) =>
      finish({
        kind: 'error',
        errno: error.code ?? 'UNKNOWN',
        message: error.message,
        phase: phase === 'connect' && response ? 'body' : phase,
        elapsedMs: elapsed()
      })

    const onResponse = (res: http.IncomingMessage): void => {
      response = res
      const chunks: Buffer[] = []
      let size = 0
      let truncated = false
      const complete = (): void =>
        finish({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          truncated,
          elapsedMs: elapsed()
        })
      res.on('data', (chunk: Buffer) => {
        const room = MAX_BODY_BYTES - size
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room))
          size = MAX_BODY_BYTES
          truncated = true
          complete()
          return
        }
        chunks.push(chunk)
        size += chunk.length
      })
      res.on('end', complete)
      res.on('error', fail('body'))
      res.on('close', () => {
        if (!res.complete)
          fail('body')(
            Object.assign(new Error('connection closed mid-body'), { code: 'ECONNRESET' })
          )
      })
    }

    const proxy = getProxyUrl(url)
    const options: https.RequestOptions = { method: 'GET', agent: false }
    if (!proxy) {
      request = (url.protocol === 'https:' ? https : http).request(url, options, onResponse)
      request.on('error', fail('connect'))
      sendWithHeaders(request, headers)
      return
    }
    // http-client's URL already decodes username and password; decoding again would throw on "%".
    const proxyAuthorization =
      proxy.username || proxy.password
        ? `Basic ${Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64')}`
        : undefined
    if (url.protocol === 'http:') {
      // A plain-http target goes through the proxy as an absolute-form request.
      const proxyHeaders = {
        ...headers,
        ...(proxyAuthorization && { 'proxy-authorization': proxyAuthorization })
      }
      request = http.request(
        {
          host: proxy.hostname,
          port: proxy.port || 80,
          path: url.href,
          method: 'GET',
          agent: false
        },
        onResponse
      )
      request.on('error', fail('proxy'))
      sendWithHeaders(request, proxyHeaders)
      return
    }
    const target = `${url.hostname}:${url.port || 443}`
    const connect = (proxy.protocol === 'https:' ? https : http).request({
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      agent: false
    })
    request = connect
    connect.on('error', fail('proxy'))
    connect.on('connect', (answer: http.IncomingMessage, socket: Socket) => {
      tunnel = socket
      if (answer.statusCode !== 200) {
        fail('proxy')(
          Object.assign(new Error(`the proxy answered CONNECT with HTTP ${answer.statusCode}`), {
            code: `PROXY_STATUS_${answer.statusCode}`
          })
        )
        return
      }
      const hostname = url.hostname.replace(/^\[|\]$/g, '')
      request = https.request(
        url,
        {
          ...options,
          // Node ignores createConnection whenever an agent is in play, and `agent: false` makes one:
          // without this the request would bypass the tunnel and connect to Jira directly.
          agent: undefined,
          createConnection: () =>
            tls.connect({
              socket,
              servername: isIP(hostname) ? undefined : hostname,
              host: hostname
            })
        },
        onResponse
      )
      request.on('error', fail('connect'))
      sendWithHeaders(request, headers)
    })
    sendWithHeaders(connect, {
      host: target,
      ...(proxyAuthorization && { 'proxy-authorization': proxyAuthorization })
    })
  })
}

/**
 * Headers are set on the request, never passed in its options: with NODE_DEBUG=http Node prints the
 * whole options object (headers included) when it opens the connection, which would print the token.
 */
function sendWithHeaders(request: http.ClientRequest, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) request.setHeader(name, value)
  request.end()
}
