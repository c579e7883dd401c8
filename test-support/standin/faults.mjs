// Fault injection: what a network, a proxy or a sick Jira can do to an answer. A fault applies to the
// endpoints its `paths` name, for its first `times` matching requests, before any route runs; a fault
// that writes the answer has no other effect (a refused token create creates nothing).
import {
  HTML_TYPE,
  JSON_TYPE,
  PAT_EXCEPTION,
  PAT_MESSAGE,
  PAT_SERVER_ERROR,
  dcUserBody,
  patError,
  versionInfo
} from './bodies.mjs'
import { jiraLoginPage, nginxErrorPage, tomcatErrorPage } from './pages.mjs'
import { commonHeaders, json, rateLimitHeaders, reply } from './respond.mjs'

/** @typedef {import('./index.d.mts').Fault} Fault */
/** @typedef {import('./index.d.mts').Endpoint} Endpoint */
/** @typedef {Extract<Fault, { type: 'status' }>} StatusFault */
/** @typedef {import('./server.mjs').Instance} Instance */
/** @typedef {import('./server.mjs').RequestContext} RequestContext */

/**
 * The fault this request gets, if any; counts it.
 * @param {Instance} jira
 * @param {Endpoint} endpoint
 */
export function activeFault(jira, endpoint) {
  const fault = jira.settings.fault
  if (!fault) return undefined
  const paths = fault.paths ?? ['myself']
  if (!paths.includes('any') && (endpoint === 'other' || !paths.includes(endpoint)))
    return undefined
  // `skip`: the first matching requests pass untouched (a fault on the second /myself of a run).
  if (++jira.faultMatches <= (fault.skip ?? 0)) return undefined
  if (jira.faultHits >= (fault.times ?? Infinity)) return undefined
  jira.faultHits++
  return fault
}

/**
 * @param {RequestContext} ctx
 * @param {Fault} fault
 * @returns {Promise<boolean>} true when the fault produced the whole response
 */
export async function applyFault(ctx, fault) {
  const { jira } = ctx
  switch (fault.type) {
    case 'status':
      await replyStatusFault(ctx, fault)
      return true
    case 'slow-headers':
      await jira.sleep(fault.ms ?? 5000)
      return false
    case 'strip-authorization':
      // Like a proxy that drops the header: Jira sees an anonymous request. The log keeps what was sent.
      ctx.authorization = undefined
      return false
    case 'stall-body':
    case 'reset-mid-body':
      await halfABody(ctx, fault.type === 'reset-mid-body')
      return true
    case 'huge-body':
      await streamHugeBody(ctx, fault.bytes ?? 50 * 1024 * 1024, fault.chunked === true)
      return true
    case 'malformed-json':
      await reply(
        ctx,
        200,
        { ...commonHeaders(jira), 'Content-Type': JSON_TYPE, 'X-AUSERNAME': 'ci-bot' },
        '{"name":"ci-bot",'
      )
      return true
    case 'empty-200':
      await reply(
        ctx,
        200,
        { ...commonHeaders(jira), 'Content-Type': JSON_TYPE, 'X-AUSERNAME': 'ci-bot' },
        ''
      )
      return true
    case 'redirect':
      await reply(
        ctx,
        fault.status ?? 302,
        { ...commonHeaders(jira), Location: fault.location },
        ''
      )
      return true
    case 'sso-redirect': {
      // A reverse-proxy SSO in front of Jira sends the unauthenticated request to the IdP [guess].
      const relay = encodeURIComponent(`${ctx.requestBase}${ctx.rel ?? ''}${ctx.url.search}`)
      await reply(
        ctx,
        fault.status ?? 302,
        {
          Location: `https://idp.example.com/saml?RelayState=${relay}`,
          'Content-Type': 'text/html'
        },
        ''
      )
      return true
    }
    case 'html-login': {
      const { buildNumber } = versionInfo(jira.settings.version)
      const page = jiraLoginPage({
        version: jira.settings.version,
        buildNumber,
        contextPath: jira.settings.contextPath
      })
      await reply(
        ctx,
        200,
        { ...commonHeaders(jira), 'Content-Type': HTML_TYPE, 'X-AUSERNAME': 'anonymous' },
        page
      )
      return true
    }
    default: {
      /** @type {{ type?: unknown }} */
      const unknown = fault
      throw new Error(`unknown fault type ${String(unknown.type)}`)
    }
  }
}

/**
 * A status with the body whoever sends that status would write: Jira's JSON, the rate limiter's
 * answer, the pats-plugin's error entity on the token endpoints, nginx or Tomcat pages for the rest.
 * @param {RequestContext} ctx
 * @param {StatusFault} fault
 */
async function replyStatusFault(ctx, fault) {
  const { jira } = ctx
  const status = fault.status ?? 503
  /** @type {Record<string, string>} */
  let headers
  /** @type {string} */
  let body
  const cloud = jira.settings.platform === 'cloud'
  const patEndpoint = ctx.endpoint === 'tokens-create' || ctx.endpoint === 'tokens-revoke'
  if (status === 429 && cloud) {
    // Jira Cloud rate limiting: JSON body and headers as in raycast/extensions#29015 (2026).
    headers = {
      ...commonHeaders(jira),
      'Content-Type': JSON_TYPE,
      'Retry-After': String(fault.retryAfter ?? 30),
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': new Date(Date.now() + 60_000).toISOString().slice(0, 16) + 'Z',
      'RateLimit-Reason': 'jira-burst-based'
    }
    body = json({
      errorMessages: ['The request has been rate-limited. Please try again later.'],
      errors: {},
      status: 429
    })
  } else if (status === 429) {
    // DC rate limiter: JSON only when Accept asks for it, else Tomcat's sendError page.
    headers = { ...commonHeaders(jira), ...rateLimitHeaders(0, Number(fault.retryAfter ?? 1)) }
    headers['Retry-After'] = String(fault.retryAfter ?? 1)
    if (ctx.wantsJson) {
      headers['Content-Type'] = JSON_TYPE
      body = json({ message: 'Rate limit exceeded.' })
    } else {
      headers['Content-Type'] = 'text/html;charset=utf-8'
      body = tomcatErrorPage(429, 'Rate limit exceeded.')
    }
  } else if (status === 500 && patEndpoint) {
    headers = { ...commonHeaders(jira), 'Content-Type': JSON_TYPE }
    body = json(PAT_SERVER_ERROR)
  } else if (status === 403 && ctx.endpoint === 'tokens-create') {
    // The only 403 the create resource writes is the token limit.
    headers = { ...commonHeaders(jira), 'Content-Type': JSON_TYPE }
    body = json(
      patError(
        PAT_EXCEPTION.tokenLimit,
        PAT_MESSAGE.tooManyTokens(jira.settings.patMaxTokensPerUser)
      )
    )
  } else if (status === 500) {
    // [guess] Jira's generic JSON for an unexpected error.
    headers = { ...commonHeaders(jira), 'Content-Type': JSON_TYPE }
    body = json({ errorMessages: ['Internal server error'], errors: {} })
  } else if (status === 502 || status === 504) {
    headers = { Server: 'nginx', 'Content-Type': 'text/html' }
    body = nginxErrorPage(status)
  } else {
    headers = { 'Content-Type': 'text/html;charset=utf-8', 'Content-Language': 'en' }
    body = tomcatErrorPage(status)
  }
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter)
  if (fault.body !== undefined) body = fault.body
  await reply(ctx, status, { ...headers, ...(fault.headers ?? {}) }, body)
}

/**
 * Headers and half of a /myself body, then either nothing more (the socket stays open until close())
 * or a TCP reset.
 * @param {RequestContext} ctx
 * @param {boolean} reset
 */
async function halfABody(ctx, reset) {
  const { jira } = ctx
  await jira.sleep(jira.settings.latencyMs)
  if (ctx.res.destroyed) return
  const ciBot = jira.state.users.get('ci-bot')
  if (!ciBot) throw new Error('the ci-bot user is gone')
  const full = Buffer.from(json(dcUserBody(ciBot, ctx.requestBase, new URLSearchParams())), 'utf8')
  ctx.entry.status = 200
  ctx.res.writeHead(200, {
    ...commonHeaders(jira),
    'Content-Type': JSON_TYPE,
    'Content-Length': String(full.length),
    'X-AUSERNAME': 'ci-bot'
  })
  ctx.res.write(full.subarray(0, Math.floor(full.length / 2)))
  if (!reset) return
  await jira.sleep(20)
  const socket = ctx.req.socket
  try {
    // A TCP RST where the platform allows it (the TLS socket's underlying TCP socket); else a destroy.
    const tcp = /** @type {{ _parent?: import('node:net').Socket }} */ (socket)._parent ?? socket
    if (typeof tcp.resetAndDestroy === 'function') tcp.resetAndDestroy()
    else socket.destroy()
  } catch {
    socket.destroy()
  }
  socket.destroy()
}

/**
 * A /myself-looking body of `bytes` bytes, with Content-Length or chunked, written as fast as the
 * client reads it.
 * @param {RequestContext} ctx
 * @param {number} bytes
 * @param {boolean} chunked
 */
async function streamHugeBody(ctx, bytes, chunked) {
  const { jira, res } = ctx
  await jira.sleep(jira.settings.latencyMs)
  if (res.destroyed) return
  const head = Buffer.from('{"name":"ci-bot","padding":"')
  const tail = Buffer.from('"}')
  const chunk = Buffer.alloc(64 * 1024, 'x')
  ctx.entry.status = 200
  res.writeHead(200, {
    ...commonHeaders(jira),
    'Content-Type': JSON_TYPE,
    'X-AUSERNAME': 'ci-bot',
    ...(chunked ? {} : { 'Content-Length': String(Math.max(bytes, head.length + tail.length)) })
  })
  let remaining = Math.max(0, bytes - head.length - tail.length)
  res.write(head)
  while (remaining > 0 && !res.destroyed && !jira.closed) {
    const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining)
    remaining -= piece.length
    if (!res.write(piece)) {
      await new Promise((resolve) => {
        const done = () => {
          res.off('drain', done)
          res.off('close', done)
          resolve(undefined)
        }
        res.on('drain', done)
        res.on('close', done)
      })
    }
  }
  if (!res.destroyed && !jira.closed) {
    res.end(tail)
    ctx.finish()
  }
}
