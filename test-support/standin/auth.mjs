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
// Cloud: a Bearer API token is refused on every path, serverInfo included (pycontribs/jira#1897);
// Basic email:api-token works; anything else fails (and anonymous-capable endpoints still answer 200).

import { supportsPats } from './bodies.mjs'

/** @typedef {import('./index.d.mts').StandinSettings} StandinSettings */
/** @typedef {import('./state.mjs').StandinState} StandinState */
/** @typedef {import('./state.mjs').User} User */
/** @typedef {import('./state.mjs').Pat} Pat */
/** @typedef {import('./state.mjs').ServiceAccount} ServiceAccount */
/** @typedef {import('./state.mjs').AccessToken} AccessToken */

/**
 * @typedef {{ kind: 'anonymous' }
 *   | { kind: 'user', via: 'pat', user: User, pat: Pat }
 *   | { kind: 'user', via: 'basic', user: User }
 *   | { kind: 'service-account', account: ServiceAccount, token: AccessToken }
 *   | { kind: 'basic-disabled' }
 *   | { kind: 'captcha' }
 *   | { kind: 'basic-failed' }
 *   | { kind: 'cloud-bearer' }
 *   | { kind: 'cloud-failed' }} Principal
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
 * @returns {Principal}
 */
export function authenticate(settings, state, header, rel) {
  if (header === undefined) return { kind: 'anonymous' }
  return settings.platform === 'cloud'
    ? authenticateCloud(state, header.trim())
    : authenticateDc(settings, state, header, rel)
}

/**
 * @param {StandinState} state
 * @param {string} trimmed
 * @returns {Principal}
 */
function authenticateCloud(state, trimmed) {
  if (/^bearer(\s|$)/i.test(trimmed)) return { kind: 'cloud-bearer' }
  const basic = parseBasic(trimmed)
  if (!basic) return { kind: 'anonymous' }
  const token = state.apiTokens.get(basic.password)
  const user = state.findUserByEmail(basic.username)
  if (
    token &&
    user &&
    user.active &&
    !token.revoked &&
    token.expiringAt > Date.now() &&
    token.email.toLowerCase() === basic.username.toLowerCase()
  ) {
    return { kind: 'user', via: 'basic', user }
  }
  return { kind: 'cloud-failed' }
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
