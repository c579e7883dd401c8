// Jira Cloud endpoints: /myself (v2 and v3), serverInfo and mypermissions. Cloud has no /rest/pat
// and no instance OAuth endpoint: those paths are Tomcat's 404 here.
import { randomBytes } from 'node:crypto'
import { authenticate } from './auth.mjs'
import {
  AUTH_REQUIRED,
  HTML_TYPE,
  JSON_TYPE,
  cloudUserBody,
  projectProblem,
  serverInfoBody
} from './bodies.mjs'
import { knownPermissions, permissionEntry } from './permissions.mjs'
import {
  baseUrl,
  commonHeaders,
  json,
  methodNotAllowed,
  notFound,
  realm,
  reply
} from './respond.mjs'

/** @typedef {import('./server.mjs').RequestContext} RequestContext */

/** @param {RequestContext} ctx */
export async function routeCloud(ctx) {
  const { jira } = ctx
  const rel = ctx.rel
  if (rel === null) return notFound(ctx)
  const principal = authenticate(jira.settings, jira.state, ctx.authorization, rel)
  // Cloud's 401, 2025–26: text/html with the bare sentence (older Cloud sent the JSON Status entity).
  const cloud401 = () =>
    reply(
      ctx,
      401,
      {
        ...commonHeaders(jira),
        'Content-Type': HTML_TYPE,
        ...(ctx.authorization !== undefined
          ? { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' }
          : {}),
        'WWW-Authenticate': realm(jira)
      },
      AUTH_REQUIRED
    )
  // Cloud never accepts an API token as Bearer, whatever the path (pycontribs/jira#1897).
  if (principal.kind === 'cloud-bearer') return cloud401()
  const user = principal.kind === 'user' ? principal.user : undefined
  // Failed credentials on an anonymous-capable endpoint still get 200, with the logged-out XSRF
  // cookie (MrRefactoring/jira.js#418, 2026).
  /** @type {Record<string, string>} */
  const failedHeaders =
    principal.kind === 'cloud-failed'
      ? {
          'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED',
          'Set-Cookie': `atlassian.xsrf.token=${randomBytes(20).toString('hex')}_lout; Path=/; SameSite=None; Secure`
        }
      : {}
  const okHeaders = () => ({
    ...commonHeaders(jira),
    ...(user ? { 'X-AAccountId': user.accountId } : failedHeaders),
    'Content-Type': JSON_TYPE
  })
  const isGet = ctx.req.method === 'GET' || ctx.req.method === 'HEAD'
  const apiVersion = rel.startsWith('/rest/api/3/') ? '3' : '2'

  switch (ctx.endpoint) {
    case 'myself':
      if (!isGet) return methodNotAllowed(ctx)
      if (!user) return cloud401()
      return reply(ctx, 200, okHeaders(), json(cloudUserBody(user, ctx.requestBase, apiVersion)))
    case 'serverInfo':
      if (!isGet) return methodNotAllowed(ctx)
      return reply(ctx, 200, okHeaders(), json(serverInfoBody(jira.settings, baseUrl(jira))))
    case 'mypermissions':
      if (!isGet) return methodNotAllowed(ctx)
      return myPermissions(ctx, Boolean(user), okHeaders)
    default:
      return notFound(ctx)
  }
}

/**
 * Cloud requires `permissions` since 2019-02-01 (change notice "Get my permissions requires
 * permissions query parameter") and answers only the keys asked for.
 * @param {RequestContext} ctx
 * @param {boolean} authenticated
 * @param {() => Record<string, string>} okHeaders
 */
function myPermissions(ctx, authenticated, okHeaders) {
  const settings = ctx.jira.settings
  const requested = (ctx.url.searchParams.get('permissions') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean)
  if (requested.length === 0) {
    return reply(
      ctx,
      400,
      okHeaders(),
      json({ errorMessages: ["The 'permissions' query parameter is required."], errors: {} })
    )
  }
  const known = knownPermissions(settings.permissions, false)
  const unknown = requested.filter((key) => !known.some((def) => def.key === key))
  if (unknown.length > 0) {
    // [guess] the exact wording of Cloud's invalid-key 400 is unverified.
    return reply(
      ctx,
      400,
      okHeaders(),
      json({ errorMessages: [`Invalid permission key(s): ${unknown.join(', ')}`], errors: {} })
    )
  }
  const missing = projectProblem(settings.projects, ctx.url.searchParams)
  if (missing) return reply(ctx, 404, okHeaders(), json(missing))
  /** @type {Record<string, unknown>} */
  const permissions = {}
  for (const key of requested) {
    const def = known.find((d) => d.key === key)
    if (def) permissions[key] = permissionEntry(def, settings.permissions, authenticated)
  }
  return reply(ctx, 200, okHeaders(), json({ permissions }))
}
