// Data Center endpoints: /myself, serverInfo, mypermissions and the PAT list. Creating and revoking
// PATs live in routes-dc-tokens.mjs, the service accounts' token endpoint in routes-dc-oauth.mjs.
import { randomBytes } from 'node:crypto'
import { authenticate, principalUser } from './auth.mjs'
import {
  HTML_TYPE,
  JSON_TYPE,
  dcUserBody,
  patJson,
  projectProblem,
  serverInfoBody,
  supportsPats
} from './bodies.mjs'
import { jiraAuthErrorPage } from './pages.mjs'
import { knownPermissions, permissionEntry } from './permissions.mjs'
import {
  anonymous401,
  baseUrl,
  commonHeaders,
  identityHeaders,
  json,
  methodNotAllowed,
  notFound,
  realm,
  reply,
  who
} from './respond.mjs'
import { exchangeClientCredentials } from './routes-dc-oauth.mjs'
import { createToken, revokeToken } from './routes-dc-tokens.mjs'

/** @typedef {import('./auth.mjs').Principal} Principal */
/** @typedef {import('./server.mjs').RequestContext} RequestContext */

/** @param {RequestContext} ctx */
export async function routeDc(ctx) {
  const { jira } = ctx
  const rel = ctx.rel
  if (rel === null) return notFound(ctx)
  const principal = authenticate(jira.settings, jira.state, ctx.authorization, rel)
  if (principal.kind === 'basic-disabled') return basicDisabled(ctx)
  if (principal.kind === 'captcha') return captcha(ctx)
  if (principal.kind === 'basic-failed') return basicFailed(ctx)
  if (principal.kind === 'user' && principal.via === 'pat')
    principal.pat.lastAccessedAt = Date.now()
  const user = principalUser(principal)
  const okHeaders = () => ({
    ...commonHeaders(jira),
    ...identityHeaders(jira.settings, principal),
    'Content-Type': JSON_TYPE
  })
  const isGet = ctx.req.method === 'GET' || ctx.req.method === 'HEAD'
  // DC has no REST API v3: /rest/api/3/* is Tomcat's 404.
  const v3 = rel.startsWith('/rest/api/3/')

  switch (ctx.endpoint) {
    case 'myself':
      if (v3) return notFound(ctx)
      if (!isGet) return methodNotAllowed(ctx)
      if (!user || refusesMyself(principal)) return anonymous401(ctx)
      return reply(
        ctx,
        200,
        okHeaders(),
        json(dcUserBody(user, ctx.requestBase, ctx.url.searchParams))
      )
    case 'serverInfo': {
      if (v3) return notFound(ctx)
      if (!isGet) return methodNotAllowed(ctx)
      const headers = { ...commonHeaders(jira), ...who(user), 'Content-Type': JSON_TYPE }
      return reply(ctx, 200, headers, json(serverInfoBody(jira.settings, baseUrl(jira))))
    }
    case 'tokens': {
      if (!supportsPats(jira.settings.version)) return notFound(ctx)
      if (!isGet) return methodNotAllowed(ctx)
      if (principal.kind !== 'user') return anonymous401(ctx)
      const list = jira.state.listedPats(principal.user.name).map(patJson)
      return reply(ctx, 200, okHeaders(), json(list))
    }
    case 'tokens-create':
      return createToken(ctx, principal, okHeaders)
    case 'tokens-revoke':
      return revokeToken(ctx, principal)
    case 'mypermissions': {
      if (v3) return notFound(ctx)
      if (!isGet) return methodNotAllowed(ctx)
      const missing = projectProblem(jira.settings.projects, ctx.url.searchParams)
      if (missing) return reply(ctx, 404, okHeaders(), json(missing))
      // DC 10.3.19 ignores `permissions=` and answers every key, deprecated aliases included.
      /** @type {Record<string, unknown>} */
      const permissions = {}
      for (const def of knownPermissions(jira.settings.permissions, true))
        permissions[def.key] = permissionEntry(def, jira.settings.permissions, Boolean(user))
      return reply(ctx, 200, okHeaders(), json({ permissions }))
    }
    case 'oauth-token':
      return exchangeClientCredentials(ctx, principal)
    default:
      return notFound(ctx)
  }
}

/**
 * Whether real DC answers /myself for a service account is unverified; the `myself: 'refused'` knob
 * answers it as an anonymous call so tests can cover both.
 * @param {Principal} principal
 */
function refusesMyself(principal) {
  return principal.kind === 'service-account' && principal.account.myself === 'refused'
}

// --------------------------------------------------------------- refusals

/**
 * `DisableBasicAuthResponseWriter`: JSON when the client asked for it, plain text otherwise
 * (`HTTP/1.1 403` with JSON observed in the codeclou blog "Disabling Basic Auth in Jira", 2021).
 * @param {RequestContext} ctx
 */
function basicDisabled(ctx) {
  const message = 'Basic Authentication has been disabled on this instance.'
  const headers = commonHeaders(ctx.jira)
  return ctx.wantsJson
    ? reply(ctx, 403, { ...headers, 'Content-Type': JSON_TYPE }, json({ message }))
    : reply(ctx, 403, { ...headers, 'Content-Type': 'text/plain;charset=UTF-8' }, message)
}

/**
 * Seraph's CAPTCHA denial, headers as in the Atlassian KB capture ("Connector CAPTCHA_CHALLENGE error
 * on Jira Align Connector"), including the session cookie scoped to the context path.
 * @param {RequestContext} ctx
 */
function captcha(ctx) {
  const { jira } = ctx
  const cookiePath = jira.settings.contextPath || '/'
  return reply(
    ctx,
    403,
    {
      ...commonHeaders(jira),
      'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
      'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${ctx.requestBase}/login.jsp`,
      'Content-Type': HTML_TYPE,
      'Set-Cookie': `JSESSIONID=${randomBytes(16).toString('hex').toUpperCase()}; Path=${cookiePath}; Secure; HttpOnly`,
      'WWW-Authenticate': realm(jira)
    },
    jiraAuthErrorPage(403, 'AUTHENTICATION_DENIED', jira.settings.contextPath)
  )
}

/** @param {RequestContext} ctx */
function basicFailed(ctx) {
  const { jira } = ctx
  return reply(
    ctx,
    401,
    {
      ...commonHeaders(jira),
      'Content-Type': HTML_TYPE,
      'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED',
      'WWW-Authenticate': realm(jira)
    },
    jiraAuthErrorPage(401, 'AUTHENTICATED_FAILED', jira.settings.contextPath)
  )
}
