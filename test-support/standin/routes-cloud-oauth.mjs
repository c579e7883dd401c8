// auth.atlassian.com's token endpoint for Cloud service accounts: `POST /oauth/token` with
// `grant_type=client_credentials`, `client_id` and `client_secret` ("Make a POST request to
// https://auth.atlassian.com/oauth/token with client_id and client_secret to get the OAuth 2.0 access
// token valid for 60 minutes", Atlassian, "Create OAuth 2.0 credential for service accounts").
//
// Body: JSON, as Atlassian's 3LO docs send to this endpoint (`--header 'Content-Type:
// application/json' --data '{"grant_type": …}'`), or form-encoded, as n8n's merged service-account
// credential does (n8n-io/n8n `AtlassianServiceAccountApi.credentials.ts`); both are accepted.
//
// Refusals, with the source of each:
//   - a `scope` parameter: 400 invalid_scope ("Atlassian rejects any `scope` value with
//     invalid_scope; scopes are fixed when the admin creates the credential", n8n-io/n8n#37513); the
//     description is [guess];
//   - an unknown client id: 400 invalid_client ("400 is invalid_client for an unknown client", the
//     same n8n file); the description is [guess];
//   - a known client id with a wrong secret, or revoked credentials: 401
//     `{"error":"access_denied","error_description":"Unauthorized"}`, what auth.atlassian.com answers a
//     3LO exchange without a valid secret (Meridiona/meridian#218, 2026-06); for client credentials
//     it is [guess];
//   - the setting `oauthClientError` replaces both by one answer for every client failure:
//     `invalid_client` (400), `access_denied` (401) or `unauthorized_client` (400, with the text
//     auth.atlassian.io gave a Connect app: "The authenticated client is not authorized to use this
//     authorization grant type", Atlassian developer community t/29848; its status is [guess]);
//   - a grant type other than client_credentials: 400 unsupported_grant_type; a body that is neither
//     JSON nor form-encoded, or no grant_type: 400 invalid_request [guess, RFC 6749 §5.2].
// Client authentication by an HTTP Basic header (RFC 6749 §2.3.1) is not accepted [guess].
import { JSON_TYPE, cloudTokenBody, oauthError } from './bodies.mjs'
import { commonHeaders, json, reply } from './respond.mjs'
import { ACCESS_TOKEN_SECONDS } from './state.mjs'

/** @typedef {import('./server.mjs').RequestContext} RequestContext */
/** @typedef {import('./index.d.mts').OAuthClientError} OAuthClientError */

/** @type {Record<Exclude<OAuthClientError, 'by-cause'>, { status: number, description: string }>} */
const CLIENT_ERRORS = {
  invalid_client: { status: 400, description: 'Client authentication failed' },
  access_denied: { status: 401, description: 'Unauthorized' },
  unauthorized_client: {
    status: 400,
    description: 'The authenticated client is not authorized to use this authorization grant type'
  }
}

/**
 * The parameters of a token request, or why they could not be read.
 * @param {RequestContext} ctx
 * @returns {Record<string, string> | undefined}
 */
function readParameters(ctx) {
  const type = String(ctx.req.headers['content-type'] ?? '').toLowerCase()
  const text = ctx.body.toString('utf8')
  if (type.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text))
  if (type.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text)
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
      /** @type {Record<string, string>} */
      const out = {}
      for (const [key, value] of Object.entries(parsed))
        if (typeof value === 'string') out[key] = value
      return out
    } catch {
      return undefined
    }
  }
  return undefined
}

/** @param {RequestContext} ctx */
export async function routeAuth(ctx) {
  const { jira } = ctx
  // Anything but the token endpoint [guess: the real host's 404 was not looked up].
  if (ctx.endpoint !== 'oauth-token') {
    return reply(
      ctx,
      404,
      { ...commonHeaders(jira), 'Content-Type': 'text/plain;charset=utf-8' },
      'Not Found'
    )
  }
  // RFC 6749 §5.1: token answers must not be cached.
  const headers = {
    ...commonHeaders(jira),
    'Content-Type': JSON_TYPE,
    'Cache-Control': 'no-store',
    Pragma: 'no-cache'
  }
  const failure = (
    /** @type {number} */ status,
    /** @type {Parameters<typeof oauthError>[0]} */ error,
    /** @type {string} */ description
  ) => reply(ctx, status, headers, json(oauthError(error, description)))

  if (ctx.req.method !== 'POST')
    return reply(
      ctx,
      405,
      { ...headers, Allow: 'POST' },
      json(oauthError('invalid_request', 'Method Not Allowed'))
    )
  const form = readParameters(ctx)
  if (!form) return failure(400, 'invalid_request', 'The request body must be JSON or form-encoded')
  const grantType = form.grant_type
  if (!grantType) return failure(400, 'invalid_request', 'Missing required parameter: grant_type')
  if (grantType !== 'client_credentials')
    return failure(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`)

  const clientId = form.client_id ?? ''
  const client = jira.state.cloudClientFor(clientId, form.client_secret ?? '')
  if (!client) {
    const chosen = jira.settings.oauthClientError
    const error =
      chosen !== 'by-cause'
        ? chosen
        : jira.state.cloudClients.has(clientId)
          ? 'access_denied'
          : 'invalid_client'
    const { status, description } = CLIENT_ERRORS[error]
    return failure(status, error, description)
  }
  if ((form.scope ?? '').trim() !== '')
    return failure(400, 'invalid_scope', 'The scope parameter is not supported for this client')
  const user = jira.state.findUserByEmail(client.email)
  if (!user) return failure(401, 'access_denied', 'Unauthorized')
  const issued = jira.state.issueCloudAccessToken(client, user.accountId)
  return reply(
    ctx,
    200,
    headers,
    json(cloudTokenBody(issued.token, ACCESS_TOKEN_SECONDS, issued.scopes))
  )
}
