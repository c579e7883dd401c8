// The OAuth 2.0 token endpoint of Data Center service accounts (client credentials).
import { principalUser } from './auth.mjs'
import { JSON_TYPE, oauthError, oauthTokenBody } from './bodies.mjs'
import { commonHeaders, json, methodNotAllowed, realm, reply, who } from './respond.mjs'
import { ACCESS_TOKEN_SECONDS } from './state.mjs'

/** @typedef {import('./index.d.mts').ServiceAccountScope} ServiceAccountScope */
/** @typedef {import('./auth.mjs').Principal} Principal */
/** @typedef {import('./server.mjs').RequestContext} RequestContext */

/**
 * `POST /rest/oauth2/latest/token` with `grant_type=client_credentials` (Atlassian, "Service accounts
 * overview": form fields grant_type, client_id, client_secret, scope; a token "valid for a limited
 * time (usually 1 hour)"; "Refresh tokens are not supported"; scopes READ and WRITE). The order of the
 * checks, the error descriptions, 401 for invalid_client and the answer to a missing scope are [guess].
 * @param {RequestContext} ctx
 * @param {Principal} principal
 */
export async function exchangeClientCredentials(ctx, principal) {
  const { jira } = ctx
  if (ctx.req.method !== 'POST') return methodNotAllowed(ctx, 'POST,OPTIONS')
  // RFC 6749 §5.1: token answers must not be cached.
  const headers = {
    ...commonHeaders(jira),
    ...who(principalUser(principal)),
    'Content-Type': JSON_TYPE,
    'Cache-Control': 'no-store',
    Pragma: 'no-cache'
  }
  const failure = (
    /** @type {number} */ status,
    /** @type {Parameters<typeof oauthError>[0]} */ error,
    /** @type {string} */ description
  ) => reply(ctx, status, headers, json(oauthError(error, description)))

  const type = String(ctx.req.headers['content-type'] ?? '').toLowerCase()
  if (!type.startsWith('application/x-www-form-urlencoded'))
    return failure(
      400,
      'invalid_request',
      'The request body must be application/x-www-form-urlencoded'
    )
  const form = new URLSearchParams(ctx.body.toString('utf8'))
  const grantType = form.get('grant_type')
  if (!grantType) return failure(400, 'invalid_request', 'Missing grant_type parameter')
  if (grantType !== 'client_credentials')
    return failure(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`)
  const account = jira.state.clientFor(form.get('client_id') ?? '', form.get('client_secret') ?? '')
  if (!account) {
    return reply(
      ctx,
      401,
      { ...headers, 'WWW-Authenticate': realm(jira) },
      json(oauthError('invalid_client', 'Client authentication failed'))
    )
  }
  const requested = (form.get('scope') ?? '').split(/[\s,]+/).filter(Boolean)
  const scopes = requested.length === 0 ? account.scopes : requested
  const held = /** @type {string[]} */ (account.scopes)
  if (scopes.some((scope) => !held.includes(scope)))
    return failure(
      400,
      'invalid_scope',
      `The requested scope is not granted: ${requested.join(' ')}`
    )
  const issued = jira.state.issueAccessToken(account, /** @type {ServiceAccountScope[]} */ (scopes))
  return reply(
    ctx,
    200,
    headers,
    json(oauthTokenBody(issued.token, ACCESS_TOKEN_SECONDS, issued.scopes))
  )
}
