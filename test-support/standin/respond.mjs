// Writing answers: the headers every Jira response carries, one reply() that honours the latency
// knob and completes the request log, and the few answers every route shares.
import { randomBytes, randomUUID } from 'node:crypto'
import { principalUser } from './auth.mjs'
import { AUTH_REQUIRED, DAY, JSON_TYPE } from './bodies.mjs'
import { statusXml, tomcatErrorPage } from './pages.mjs'

/** @typedef {import('./server.mjs').Instance} Instance */
/** @typedef {import('./server.mjs').RequestContext} RequestContext */
/** @typedef {Record<string, string | string[] | undefined>} Headers */
/** @typedef {import('./index.d.mts').StandinSettings} StandinSettings */
/** @typedef {import('./auth.mjs').Principal} Principal */
/** @typedef {import('./state.mjs').User} User */

/**
 * https://127.0.0.1:PORT + context path, what the instance believes its base URL is.
 * @param {Instance} jira
 */
export function baseUrl(jira) {
  return `${jira.protocol}://127.0.0.1:${jira.port}${jira.settings.contextPath}`
}

/**
 * The OAuth 1.0a provider filter adds this to every 401 on DC (atlassian-oauth-service-provider-plugin
 * 5.0.10 `OAuthFilter`); Cloud sends the same shape with the site's URL
 * (`OAuth realm="https%3A%2F%2F<site>.atlassian.net"`). The realm is the URL-encoded base URL.
 * @param {Instance} jira
 * @param {string} [base] the base URL to name; default the instance's own
 */
export function realm(jira, base = baseUrl(jira)) {
  return `OAuth realm="${encodeURIComponent(base)}"`
}

/**
 * Headers of every answer Jira itself writes. DC: as in the CAPTCHA capture of the Atlassian KB
 * "Connector CAPTCHA_CHALLENGE error on Jira Align Connector". Cloud: AtlassianEdge's set, as in the
 * captures of atlassian/gajira-login#59.
 * @param {Instance} jira
 * @returns {Record<string, string>}
 */
export function commonHeaders(jira) {
  jira.requestCounter++
  if (jira.settings.platform === 'cloud') {
    const id = randomUUID().replace(/-/g, '')
    return {
      Server: 'AtlassianEdge',
      'X-Arequestid': id.slice(0, 32),
      'ATL-TraceId': randomBytes(16).toString('hex'),
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
      'X-Content-Type-Options': 'nosniff',
      'X-XSS-Protection': '1; mode=block',
      'Timing-Allow-Origin': '*',
      'Cache-Control': 'no-cache, no-store, no-transform'
    }
  }
  const minuteOfDay = Math.floor((Date.now() % DAY) / 60000)
  return {
    'X-AREQUESTID': `${minuteOfDay}x${1000 + jira.requestCounter}x1`,
    'X-ASESSIONID': randomBytes(4).toString('hex').slice(0, 7),
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-XSS-Protection': '1; mode=block',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'SAMEORIGIN',
    'Content-Security-Policy': "frame-ancestors 'self'",
    'Strict-Transport-Security': 'max-age=31536000',
    'Cache-Control': 'no-cache, no-store, no-transform'
  }
}

/**
 * DC rate-limiting headers (rate-limiting-plugin 2.1.7 `DefaultRateLimitResponseHandler`), with the
 * bucket measured on Jira DC 10.3.19: limit 70, fill rate 5 per 1 s; Retry-After 0 while tokens remain.
 */
export function rateLimitHeaders(remaining = 69, retryAfter = 0) {
  return {
    'X-RateLimit-Limit': '70',
    'X-RateLimit-Remaining': String(remaining),
    'X-RateLimit-FillRate': '5',
    'X-RateLimit-Interval-Seconds': '1',
    'Retry-After': String(retryAfter)
  }
}

/** @param {User | undefined} user */
export function who(user) {
  return { 'X-AUSERNAME': user ? encodeURIComponent(user.name) : 'anonymous' }
}

/**
 * X-AUSERNAME always (URL-encoded, e.g. `cwang31%40slac.stanford.edu` on 10.3.19); Seraph's
 * `X-Seraph-LoginReason: OK` after a Basic login [guess: not seen on PAT requests]; the rate limiter's
 * headers on authenticated requests when DC rate limiting is on.
 * @param {StandinSettings} settings
 * @param {Principal} principal
 */
export function identityHeaders(settings, principal) {
  const user = principalUser(principal)
  return {
    ...who(user),
    ...(principal.kind === 'user' && principal.via === 'basic'
      ? { 'X-Seraph-LoginReason': 'OK' }
      : {}),
    ...(user && settings.rateLimitHeaders ? rateLimitHeaders() : {})
  }
}

/** @param {unknown} value */
export function json(value) {
  return JSON.stringify(value)
}

/**
 * Write the whole answer after the configured latency, unless the client has gone.
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {Headers} headers
 * @param {string | Buffer} [body]
 */
export async function reply(ctx, status, headers, body = '') {
  await ctx.jira.sleep(ctx.jira.settings.latencyMs)
  if (ctx.res.destroyed || ctx.res.headersSent) return
  /** @type {Headers} */
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined))
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  // A 204 has no body and, per RFC 9110 §8.6, no Content-Length.
  if (status !== 204) clean['Content-Length'] = String(payload.length)
  ctx.entry.status = status
  ctx.res.writeHead(status, clean)
  ctx.res.end(ctx.req.method === 'HEAD' || status === 204 ? undefined : payload)
  ctx.finish()
}

/**
 * Tomcat's 404 page: what a path Jira does not serve gets, and what a path outside the context path
 * gets from the servlet container (that one without Jira's headers).
 * @param {RequestContext} ctx
 * @param {Record<string, string>} [extra] headers Jira adds (Cloud: who asked)
 */
export function notFound(ctx, extra = {}) {
  return reply(
    ctx,
    404,
    {
      ...(ctx.rel === null ? {} : commonHeaders(ctx.jira)),
      ...(ctx.rel === null ? {} : extra),
      'Content-Type': 'text/html;charset=utf-8',
      'Content-Language': 'en'
    },
    tomcatErrorPage(404)
  )
}

/**
 * @param {RequestContext} ctx
 * @param {string} [allow]
 */
export function methodNotAllowed(ctx, allow = 'GET,HEAD,OPTIONS') {
  return reply(
    ctx,
    405,
    { ...commonHeaders(ctx.jira), Allow: allow, 'Content-Type': 'text/html;charset=utf-8' },
    tomcatErrorPage(405)
  )
}

/**
 * DC's answer to an anonymous request for a resource that needs login: the atlassian-rest `Status`
 * entity (rest-module 7.1.9 `AuthenticatedResourceFilter`), JSON when asked for, XML otherwise (the
 * XML variant confirmed on DC 10.3.5, JSDSERVER-16194). Expired, revoked and garbage PATs all end here,
 * byte for byte alike.
 * @param {RequestContext} ctx
 */
export function anonymous401(ctx) {
  const headers = {
    ...commonHeaders(ctx.jira),
    'X-AUSERNAME': 'anonymous',
    'WWW-Authenticate': realm(ctx.jira)
  }
  if (ctx.wantsJson) {
    return reply(
      ctx,
      401,
      { ...headers, 'Content-Type': JSON_TYPE },
      json({ message: AUTH_REQUIRED, 'status-code': 401 })
    )
  }
  return reply(
    ctx,
    401,
    { ...headers, 'Content-Type': 'application/xml' },
    statusXml(401, AUTH_REQUIRED)
  )
}
