// Jira Cloud endpoints: /myself (v2 and v3), serverInfo, mypermissions and `/_edge/tenant_info`, on a
// site host and, through routes-gateway.mjs, on the api.atlassian.com gateway. Cloud has no /rest/pat
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
import { gatewayRefusal } from './routes-gateway.mjs'

/** @typedef {import('./server.mjs').RequestContext} RequestContext */
/** @typedef {import('./state.mjs').User} User */

/**
 * A Cloud site's own URL: what serverInfo reports as `baseUrl` and the 401 realm names. A site
 * reached through its custom domain reports that domain [guess].
 * @param {RequestContext} ctx
 */
function siteBase(ctx) {
  const site = ctx.site
  if (!site) return baseUrl(ctx.jira)
  if (ctx.via === 'site' && site.customDomain !== undefined && ctx.entry.host === site.customDomain)
    return `https://${site.customDomain}`
  return site.url
}

/** @param {RequestContext} ctx */
export async function routeCloud(ctx) {
  const { jira } = ctx
  const rel = ctx.rel
  if (rel === null) return notFound(ctx)
  const principal = authenticate(jira.settings, jira.state, ctx.authorization, rel, {
    via: ctx.via,
    site: ctx.site
  })
  if (ctx.via === 'gateway') {
    const refused = gatewayRefusal(ctx, principal)
    if (refused) return refused
  }
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
        'WWW-Authenticate': realm(jira, siteBase(ctx))
      },
      AUTH_REQUIRED
    )
  // Cloud never accepts an API token as Bearer on a site, whatever the path (pycontribs/jira#1897).
  if (principal.kind === 'cloud-bearer') return siteBearer(ctx, cloud401)
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
  // X-AAccountId is URL-encoded: `712020:…` account ids arrive as `712020%3A…`.
  const okHeaders = () => ({
    ...commonHeaders(jira),
    ...(user ? { 'X-AAccountId': encodeURIComponent(user.accountId) } : failedHeaders),
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
      return reply(ctx, 200, okHeaders(), json(serverInfoBody(jira.settings, siteBase(ctx))))
    case 'mypermissions':
      if (!isGet) return methodNotAllowed(ctx)
      return myPermissions(ctx, Boolean(user), okHeaders)
    case 'tenant-info':
      if (ctx.via !== 'site' || !ctx.site) return notFound(ctx, whoAsked(user))
      if (!isGet) return methodNotAllowed(ctx)
      return tenantInfo(ctx, ctx.site.cloudId)
    default:
      return notFound(ctx, whoAsked(user))
  }
}

/**
 * A captured Cloud 404 for a wrong path, authenticated, carried who asked: `X-AUSERNAME` with the
 * URL-encoded e-mail and `X-Seraph-LoginReason: OK`.
 * @param {User | undefined} user
 * @returns {Record<string, string>}
 */
function whoAsked(user) {
  if (!user) return {}
  return {
    'X-AUSERNAME': encodeURIComponent(user.emailAddress ?? user.accountId),
    'X-Seraph-LoginReason': 'OK'
  }
}

/**
 * Bearer on a site host. `unauthorized` (default): the 401 of pycontribs/jira#1897. `connect-session`:
 * `403 {"error":"Failed to parse Connect Session Auth Token"}`, which Cloud answers when it reads the
 * value as a Connect JWT (lesstif/php-jira-rest-client#528; a public probe on a real tenant,
 * 2026-03-08: "site + Bearer: 403 Failed to parse Connect Session Auth Token"), on every path.
 * @param {RequestContext} ctx
 * @param {() => Promise<void>} cloud401
 */
function siteBearer(ctx, cloud401) {
  if (ctx.jira.settings.cloudBearer !== 'connect-session') return cloud401()
  return reply(
    ctx,
    403,
    { ...commonHeaders(ctx.jira), 'Content-Type': JSON_TYPE },
    json({ error: 'Failed to parse Connect Session Auth Token' })
  )
}

/**
 * `GET https://<site>.atlassian.net/_edge/tenant_info` → `{"cloudId":"<your_cloud_id>"}`, no
 * credentials needed (Atlassian KB "Retrieve my Atlassian site's Cloud ID"). Its headers are [guess].
 * @param {RequestContext} ctx
 * @param {string} cloudId
 */
function tenantInfo(ctx, cloudId) {
  return reply(
    ctx,
    200,
    { ...commonHeaders(ctx.jira), 'Content-Type': 'application/json' },
    json({ cloudId })
  )
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
