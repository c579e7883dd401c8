// The api.atlassian.com gateway in front of the Cloud sites: `/ex/jira/{cloudId}/…` reaches that
// site's Jira (routes-cloud.mjs) once the gateway has accepted the credential and its scopes.
//
// What the gateway answers itself, in the `{"code":…,"message":…}` shape its 401s have:
//   - scopes that do not cover the endpoint: 401 `{"code":401,"message":"Unauthorized; scope does not
//     match"}` (Atlassian community threads 3106413, 3135618 for API tokens, 3062781 for OAuth);
//   - no credential, a wrong one, or an expired access token: 401 `{"code":401,"message":"Unauthorized"}`
//     (a public probe on a real tenant, 2026-03-08: "gateway + Basic: 401 Unauthorized"; that the same
//     body answers a missing credential and an expired token is [guess]);
//   - a user's API token as Bearer: 404 (jwbron/egg#3094: "Bearer to api.atlassian.com returned 404");
//   - an unknown cloudId, or a path outside /ex/jira/{cloudId}: 404 ("Don't use the Organization ID,
//     that one returns 404", Atlassian community 3241491). The 404 body is [guess].
// The gateway's `self` links point at itself, https://api.atlassian.com/ex/jira/{cloudId}/…
// (AxisCommunications/backstage-plugins#305); the request context's `requestBase` makes them so.
import { JSON_TYPE } from './bodies.mjs'
import { commonHeaders, json, reply } from './respond.mjs'
import { scopesCover } from './scopes.mjs'

/** @typedef {import('./server.mjs').RequestContext} RequestContext */
/** @typedef {import('./auth.mjs').Principal} Principal */

/**
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {string} message
 */
function gatewayAnswer(ctx, status, message) {
  return reply(
    ctx,
    status,
    { ...commonHeaders(ctx.jira), 'Content-Type': JSON_TYPE },
    json({ code: status, message })
  )
}

/**
 * 404 for what the gateway does not route: an unknown cloudId, anything outside /ex/jira/.
 * @param {RequestContext} ctx
 */
export function gatewayNotFound(ctx) {
  return gatewayAnswer(ctx, 404, 'Not Found')
}

/**
 * The gateway's own refusal of this request, if it refuses it; undefined lets Jira answer.
 * @param {RequestContext} ctx
 * @param {Principal} principal
 * @returns {Promise<void> | undefined}
 */
export function gatewayRefusal(ctx, principal) {
  switch (principal.kind) {
    case 'user':
      if (
        principal.via !== 'pat' &&
        principal.scopes &&
        !scopesCover(ctx.endpoint, principal.scopes)
      )
        return gatewayAnswer(ctx, 401, 'Unauthorized; scope does not match')
      return undefined
    case 'gateway-bearer-unknown':
      return gatewayNotFound(ctx)
    default:
      return gatewayAnswer(ctx, 401, 'Unauthorized')
  }
}
