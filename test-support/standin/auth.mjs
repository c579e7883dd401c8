// Who is asking: Jira's servlet filter chain, in the order real instances run it.
//
// Data Center:
//  1. "Disable basic authentication" (atlassian-authentication-plugin 4.2.26 `DisableBasicAuthFilter`):
//     any `Authorization: Basic …` (case-insensitive prefix) is refused with 403 before anything else.
//  2. PATs (pats-plugin 1.4.7 `TokenBasedAuthenticationFilter`): only the scheme spelled `Bearer`
//     (case-sensitive `startsWith`), then exactly one space-separated token. Every failure (malformed,
//     unknown, expired, revoked, wrong secret, inactive owner, PATs disabled) falls through to
//     anonymous, and none of them touches the failed-login counter.
//  3. Service-account access tokens (OAuth 2.0 client credentials, Atlassian "How service accounts work
//     in Data Center": "only endpoints starting with /rest/api/2/ are exposed"). Elsewhere: anonymous.
//     Where this filter sits relative to the others is [guess]; a Bearer value is never Basic, so the
//     order cannot change an answer.
//  4. Seraph Basic (atlassian-seraph 4.1.4 `HttpAuthFilter`/`DefaultAuthenticator`): a failure counts
//     (`ElevatedSecurityGuard.onFailedLoginAttempt`); at the threshold ("Maximum Authentication Attempts
//     Allowed") the next Basic request is denied with CAPTCHA_CHALLENGE, even with the right password.
//
// Cloud, on a site host (`acme.atlassian.net`): a Bearer API token is refused on every path,
// serverInfo included (pycontribs/jira#1897); Basic email:api-token works for classic tokens, unless
// the site turned classic tokens off (jwbron/egg#3093); a scoped token fails like a wrong one
// (sooperset/mcp-atlassian#968: 401 on the site, 200 through the gateway; "there is no way to
// distinguish them just from the token itself", Atlassian KB); anything else fails (and
// anonymous-capable endpoints still answer 200).
//
// Cloud, on the api.atlassian.com gateway: Basic email:token with any token kind ("URLs for API tokens
// with scopes": `curl https://api.atlassian.com/ex/jira/{cloudId} --user email:token`); Bearer with a
// service account's OAuth 2.0 access token ("include the ACCESS_TOKEN in the Authorization header as
// a Bearer token"), or with a service account's scoped API token (an Atlassian Partner's community
// answer, and a public probe on a real tenant, 2026-03-08, that got "scope does not match" rather than
// a refusal). A user's API token as Bearer gets 404 ("Bearer to api.atlassian.com returned 404 in
// testing", jwbron/egg#3094). Scopes are checked by the route (scopes.mjs).

import { supportsPats } from './bodies.mjs'

/** @typedef {import('./index.d.mts').StandinSettings} StandinSettings */
/** @typedef {import('./state.mjs').StandinState} StandinState */
/** @typedef {import('./state.mjs').User} User */
/** @typedef {import('./state.mjs').Pat} Pat */
/** @typedef {import('./state.mjs').ServiceAccount} ServiceAccount */
/** @typedef {import('./state.mjs').AccessToken} AccessToken */
/** @typedef {import('./index.d.mts').CloudSite} CloudSite */
/** @typedef {import('./index.d.mts').RequestVia} RequestVia */

/**
 * `scopes` (Cloud): what the credential may do, checked against scopes.mjs; null for a classic API
 * token, which is never scope-checked.
 * @typedef {{ kind: 'anonymous' }
 *   | { kind: 'user', via: 'pat', user: User, pat: Pat }
 *   | { kind: 'user', via: 'basic', user: User, scopes?: string[] | null }
 *   | { kind: 'user', via: 'bearer', user: User, scopes: string[] }
 *   | { kind: 'service-account', account: ServiceAccount, token: AccessToken }
 *   | { kind: 'basic-disabled' }
 *   | { kind: 'captcha' }
 *   | { kind: 'basic-failed' }
 *   | { kind: 'cloud-bearer' }
 *   | { kind: 'cloud-failed' }
 *   | { kind: 'gateway-bearer-unknown' }
 *   | { kind: 'gateway-token-expired' }} Principal
 */

/**
 * Where a Cloud request arrived: a site host or the gateway, and the site it is for.
 * @typedef {{ via: RequestVia, site: CloudSite | undefined }} CloudRoute
 */

/**
 * @param {string} trimmed
 * @returns {{ username: string, password: string } | undefined}
 */
export function parseBasic(trimmed) {
  const match = /^basic\s+(\S+)$/i.exec(trimmed)
  if (!match) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return { username: decoded, password: '' }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/**
 * Decide who the request is.
 * @param {StandinSettings} settings
 * @param {StandinState} state
 * @param {string | undefined} header the Authorization header as the request carried it
 * @param {string | null} rel the path inside the context path (null outside it)
 * @param {CloudRoute} [cloud] Cloud only: where the request arrived (default: a site host)
 * @returns {Principal}
 */
export function authenticate(settings, state, header, rel, cloud) {
  if (header === undefined) return { kind: 'anonymous' }
  return settings.platform === 'cloud'
    ? authenticateCloud(state, header.trim(), cloud ?? { via: 'site', site: undefined })
    : authenticateDc(settings, state, header, rel)
}

/**
 * @param {StandinState} state
 * @param {string} trimmed
 * @param {CloudRoute} cloud
 * @returns {Principal}
 */
function authenticateCloud(state, trimmed, cloud) {
  const gateway = cloud.via === 'gateway'
  const bearer = /^bearer(?:\s+(\S+))?$/i.exec(trimmed)
  if (bearer) return gateway ? gatewayBearer(state, bearer[1] ?? '') : { kind: 'cloud-bearer' }
  if (/^bearer\s/i.test(trimmed))
    return gateway ? { kind: 'gateway-bearer-unknown' } : { kind: 'cloud-bearer' }
  const basic = parseBasic(trimmed)
  if (!basic) return { kind: 'anonymous' }
  const found = liveApiToken(state, basic.password, basic.username)
  if (!found) return { kind: 'cloud-failed' }
  const { user, token } = found
  if (!gateway) {
    const siteTakesIt = token.scopes === null && (cloud.site?.classicTokens ?? true)
    return siteTakesIt
      ? { kind: 'user', via: 'basic', user, scopes: null }
      : { kind: 'cloud-failed' }
  }
  return { kind: 'user', via: 'basic', user, scopes: token.scopes }
}

/**
 * An API token that still works, and its owner, when `email` (if given) is the owner's.
 * @param {StandinState} state
 * @param {string} raw
 * @param {string | undefined} email
 */
function liveApiToken(state, raw, email) {
  const token = state.apiTokens.get(raw)
  if (!token || token.revoked || token.expiringAt <= Date.now()) return undefined
  if (email !== undefined && token.email.toLowerCase() !== email.toLowerCase()) return undefined
  const user = state.findUserByEmail(token.email)
  if (!user || !user.active) return undefined
  return { user, token }
}

/**
 * @param {StandinState} state
 * @param {string} value
 * @returns {Principal}
 */
function gatewayBearer(state, value) {
  const access = state.lookupCloudAccessToken(value)
  if (access)
    return access.live
      ? { kind: 'user', via: 'bearer', user: access.user, scopes: access.token.scopes }
      : { kind: 'gateway-token-expired' }
  const apiToken = liveApiToken(state, value, undefined)
  if (apiToken && apiToken.user.appType === 'service' && apiToken.token.scopes !== null)
    return { kind: 'user', via: 'bearer', user: apiToken.user, scopes: apiToken.token.scopes }
  // A JWT the stand-in did not issue fails its signature check like an expired one [guess].
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return { kind: 'gateway-token-expired' }
  return { kind: 'gateway-bearer-unknown' }
}

/**
 * @param {StandinSettings} settings
 * @param {StandinState} state
 * @param {string} header
 * @param {string | null} rel
 * @returns {Principal}
 */
function authenticateDc(settings, state, header, rel) {
  const trimmed = header.trim()
  if (settings.basicAuthDisabled && /^basic/i.test(trimmed)) return { kind: 'basic-disabled' }

  if (trimmed.startsWith('Bearer')) {
    // Exactly one space-separated token after the scheme; `Bearer a b` is no PAT.
    const parts = header.split(' ').filter((part) => part !== '')
    if (parts.length === 2) {
      if (settings.patsEnabled && supportsPats(settings.version)) {
        const found = state.lookupPat(parts[1])
        if (found) return { kind: 'user', via: 'pat', user: found.user, pat: found.pat }
      }
      if (rel !== null && rel.startsWith('/rest/api/2/')) {
        const issued = state.lookupAccessToken(parts[1])
        if (issued) return { kind: 'service-account', ...issued }
      }
    }
  }

  const basic = parseBasic(trimmed)
  if (!basic) return { kind: 'anonymous' }
  return seraphBasic(settings, state, basic)
}

/**
 * @param {StandinSettings} settings
 * @param {StandinState} state
 * @param {{ username: string, password: string }} basic
 * @returns {Principal}
 */
function seraphBasic(settings, state, basic) {
  const counterKey = basic.username.toLowerCase()
  const failures = state.failedLogins.get(counterKey) ?? 0
  const threshold = settings.captchaThreshold
  if (threshold !== null && threshold > 0 && failures >= threshold) {
    state.failedLogins.set(counterKey, failures + 1)
    return { kind: 'captcha' }
  }
  const user = state.findUserByName(basic.username)
  if (user && user.active && user.password !== undefined && user.password === basic.password) {
    state.failedLogins.delete(counterKey)
    return { kind: 'user', via: 'basic', user }
  }
  state.failedLogins.set(counterKey, failures + 1)
  return { kind: 'basic-failed' }
}

/**
 * The user whose data an answer shows, for principals that are someone.
 * @param {Principal} principal
 * @returns {User | undefined}
 */
export function principalUser(principal) {
  if (principal.kind === 'user') return principal.user
  if (principal.kind === 'service-account') return principal.account.user
  return undefined
}
