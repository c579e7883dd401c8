// JSON bodies the stand-in answers with: /myself on both platforms, serverInfo, the pats-plugin's token
// shapes and error entity, and the OAuth 2.0 token response. Pure functions of their arguments.

/** @typedef {import('./index.d.mts').StandinSettings} StandinSettings */
/** @typedef {import('./state.mjs').User} User */
/** @typedef {import('./state.mjs').Pat} Pat */

export const DAY = 24 * 60 * 60 * 1000
/** pats-plugin 1.4.7 `TokenDTO.NON_EXPIRING_DATE`: a token created without expiry lasts until 9999-12-31. */
export const NON_EXPIRING = Date.UTC(9999, 11, 31)
/** atlassian-rest-module 7.1.9 `AuthenticatedResourceFilter` text; measured verbatim on Jira DC 10.3.19. */
export const AUTH_REQUIRED = 'Client must be authenticated to access this resource.'
export const JSON_TYPE = 'application/json;charset=UTF-8'
export const HTML_TYPE = 'text/html;charset=UTF-8'

/**
 * The pats-plugin REST date format, yyyy-MM-dd'T'HH:mm:ss.SSS+00:00, always UTC (pats-plugin 1.4.7
 * `DateAdapter`; the list measured on Jira DC 10.3.19 shows `"expiringAt":"2026-12-03T22:35:14.728+00:00"`).
 * @param {number} ms
 */
export function patDate(ms) {
  if (ms >= NON_EXPIRING) return '9999-12-31T00:00:00.000+00:00'
  return new Date(ms).toISOString().replace('Z', '+00:00')
}

/**
 * serverInfo's date format, yyyy-MM-dd'T'HH:mm:ss.SSS+0000 (real instances print their own offset).
 * @param {number} ms
 */
export function serverDate(ms) {
  return new Date(ms).toISOString().replace('Z', '+0000')
}

/**
 * DC build numbers encode the version, as observed in real serverInfo bodies: 8.5.3 → 805003,
 * 9.12.12 → 9120012 (login page `ajs-build-number`), 10.3.19 → 10030019. Other versions: [guess].
 * @param {string} version
 */
export function versionInfo(version) {
  const numbers = version.split('.').map((part) => Number.parseInt(part, 10) || 0)
  while (numbers.length < 3) numbers.push(0)
  const [major, minor, patch] = numbers
  const buildNumber =
    major >= 9 ? major * 1_000_000 + minor * 10_000 + patch : major * 100_000 + minor * 1000 + patch
  return { versionNumbers: numbers.slice(0, 3), buildNumber }
}

/**
 * PATs exist from Jira 8.14 on ("Using Personal Access Tokens", Atlassian docs: "Jira Core/Software 8.14
 * and later"). Older instances answer /rest/pat with 404 and ignore Bearer.
 * @param {string} version
 */
export function supportsPats(version) {
  const [major, minor] = versionInfo(version).versionNumbers
  return major > 8 || (major === 8 && minor >= 14)
}

/**
 * The DC user bean of /rest/api/2/myself: field set of the DC 10.x OpenAPI `User` model; groups and
 * applicationRoles are `{size, items: []}` unless expanded (a real DC `/rest/api/2/user` body shows this).
 * @param {User} user
 * @param {string} base
 * @param {URLSearchParams} query
 */
export function dcUserBody(user, base, query) {
  const expand = (query.get('expand') ?? '').split(',').map((s) => s.trim())
  const avatar = (/** @type {string} */ size) =>
    `${base}/secure/useravatar?${size ? `size=${size}&` : ''}avatarId=${user.avatarId ?? 10122}`
  /** @type {Record<string, unknown>} */
  const body = {
    self: `${base}/rest/api/2/user?username=${encodeURIComponent(user.name)}`,
    key: user.key,
    name: user.name
  }
  if (user.emailAddress !== null && user.emailAddress !== undefined)
    body.emailAddress = user.emailAddress
  Object.assign(body, {
    avatarUrls: {
      '48x48': avatar(''),
      '24x24': avatar('small'),
      '16x16': avatar('xsmall'),
      '32x32': avatar('medium')
    },
    displayName: user.displayName,
    active: user.active,
    deleted: false,
    timeZone: user.timeZone,
    locale: user.locale,
    groups: {
      size: user.groups.length,
      items: expand.includes('groups')
        ? user.groups.map((group) => ({
            name: group,
            self: `${base}/rest/api/2/group?groupname=${encodeURIComponent(group)}`
          }))
        : []
    },
    applicationRoles: {
      size: user.applicationRoles.length,
      items: expand.includes('applicationRoles')
        ? user.applicationRoles.map((role) => ({ key: role, name: 'Jira Software' }))
        : []
    },
    expand: 'groups,applicationRoles'
  })
  return body
}

/**
 * The Cloud user of /rest/api/3/myself, shaped like the example in the Jira Cloud OpenAPI
 * (`accountType: "atlassian"`, empty `key` and `name`, avatars on the avatar-management CDN). A
 * service account is `accountType: "app"` with `appType: "service"` (the OpenAPI `User.appType`:
 * "service Service Account, agent Rovo Agent Account"); where `appType` sits in the field order is
 * [guess].
 * @param {User} user
 * @param {string} base
 * @param {string} apiVersion
 */
export function cloudUserBody(user, base, apiVersion) {
  const profile = {
    displayName: user.displayName,
    timeZone: user.timeZone,
    locale: user.locale,
    ...(user.cloud ?? {})
  }
  const initials = String(profile.displayName)
    .split(/\s+/)
    .map((word) => word[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase()
  const avatar = (/** @type {number} */ size) =>
    `https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/${initials}-5.png?size=${size}&s=${size}`
  /** @type {Record<string, unknown>} */
  const body = {
    self: `${base}/rest/api/${apiVersion}/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    accountType: user.accountType,
    ...(user.appType ? { appType: user.appType } : {}),
    key: '',
    name: ''
  }
  if (user.emailAddress !== null && user.emailAddress !== undefined)
    body.emailAddress = user.emailAddress
  Object.assign(body, {
    avatarUrls: {
      '48x48': avatar(48),
      '24x24': avatar(24),
      '16x16': avatar(16),
      '32x32': avatar(32)
    },
    displayName: profile.displayName,
    active: user.active,
    timeZone: profile.timeZone,
    locale: profile.locale,
    groups: { size: user.groups.length, items: [] },
    applicationRoles: { size: user.applicationRoles.length, items: [] },
    expand: 'groups,applicationRoles'
  })
  return body
}

/**
 * serverInfo. DC 10.x reports `deploymentType: "Server"` (measured on 10.3.19 and 10.3.1); Cloud's body
 * follows the capture in ankitpokhrel/jira-cli `pkg/jira/testdata/serverinfo.json`.
 * @param {StandinSettings} settings
 * @param {string} baseUrl
 */
export function serverInfoBody(settings, baseUrl) {
  if (settings.platform === 'cloud') {
    return {
      baseUrl,
      version: '1001.0.0-SNAPSHOT',
      versionNumbers: [1001, 0, 0],
      deploymentType: 'Cloud',
      buildNumber: 100204,
      buildDate: '2022-08-12T12:59:12.000+0200',
      serverTime: serverDate(Date.now()),
      scmInfo: '948b370c557f4bbf768b92203f3aca5d86ee9758',
      serverTitle: 'Jira',
      defaultLocale: { locale: 'en_US' }
    }
  }
  const { versionNumbers, buildNumber } = versionInfo(settings.version)
  return {
    baseUrl,
    version: settings.version,
    versionNumbers,
    deploymentType: 'Server',
    buildNumber,
    buildDate: '2026-04-03T00:00:00.000+0000',
    databaseBuildNumber: buildNumber,
    serverTime: serverDate(Date.now()),
    scmInfo: '95508b3a08ac0f09fbef8676c203b44bdc6e1a12',
    serverTitle: 'Jira Stand-in'
  }
}

/**
 * The 404 of mypermissions for a project or issue the instance does not have. The project text is
 * Jira's standard one (`No project could be found with key 'VULN'.`, tenable/integration-jira-cloud#165).
 * @param {string[]} projects visible project keys
 * @param {URLSearchParams} query
 */
export function projectProblem(projects, query) {
  const projectKey = query.get('projectKey')
  if (projectKey !== null && !projects.includes(projectKey.toUpperCase())) {
    return { errorMessages: [`No project could be found with key '${projectKey}'.`], errors: {} }
  }
  const issueKey = query.get('issueKey')
  if (issueKey !== null && !projects.includes(issueKey.split('-')[0].toUpperCase())) {
    return { errorMessages: ['Issue Does Not Exist'], errors: {} } // [guess]
  }
  return undefined
}

/**
 * One entry of GET /rest/pat/latest/tokens: pats-plugin 1.4.7 `RestToken` in field order, null fields
 * omitted (a never-used token has no `lastAccessedAt`).
 * @param {Pat} pat
 * @returns {import('./index.d.mts').PatJson}
 */
export function patJson(pat) {
  // Built in field order: expiringAt comes after lastAccessedAt.
  const out = /** @type {import('./index.d.mts').PatJson} */ ({
    id: pat.id,
    name: pat.name,
    createdAt: patDate(pat.createdAt)
  })
  if (pat.lastAccessedAt !== null) out.lastAccessedAt = patDate(pat.lastAccessedAt)
  out.expiringAt = patDate(pat.expiringAt)
  return out
}

/**
 * The 201 body of POST /rest/pat/latest/tokens: the same `RestToken`, now with `rawToken`, the only
 * time the secret is ever returned (pats-plugin 1.4.7 `TokensResource.createToken`).
 * @param {Pat} pat
 */
export function patCreatedJson(pat) {
  return {
    id: pat.id,
    name: pat.name,
    createdAt: patDate(pat.createdAt),
    expiringAt: patDate(pat.expiringAt),
    rawToken: pat.raw
  }
}

/**
 * The pats-plugin's error entity (`RestError`): the exception's class name and its localised message,
 * written by `PersonalTokenExceptionMapper`.
 * @param {string} exception
 * @param {string} error
 */
export function patError(exception, error) {
  return { exception, error }
}

/**
 * Exception classes the pats-plugin's mapper names in `exception`: Spring's `Assert` and the eternal-token
 * check throw IllegalArgumentException (400), the token limit its own exception (403), a token of
 * someone else AuthorisationException (401), a body Jackson 1 cannot read its exceptions (400).
 */
export const PAT_EXCEPTION = {
  illegalArgument: 'java.lang.IllegalArgumentException',
  tokenLimit: 'com.atlassian.pats.exception.UserTokenLimitExceededException',
  authorisation: 'com.atlassian.sal.api.permission.AuthorisationException',
  jsonParse: 'org.codehaus.jackson.JsonParseException',
  jsonMapping: 'org.codehaus.jackson.map.JsonMappingException'
}

/**
 * The texts behind `RestValidator`'s i18n keys. The plugin's properties file was not found, so all but
 * one are [guess]; `rest.error.too.many.tokens` reads "You can't create more than 10 tokens." in a
 * public harness run against a real Jira DC 8.17.1 (quoted as
 * `UserTokenLimitExceededException: You can't create more than 10 tokens.`).
 */
export const PAT_MESSAGE = {
  /** rest.error.feature.disabled [guess] */
  featureDisabled: 'Personal access tokens are disabled.',
  /** rest.error.empty.token.name [guess] */
  emptyName: 'Token name cannot be empty.',
  /** rest.error.token.name.length [guess] */
  nameLength: (/** @type {number} */ max) => `Token name cannot be longer than ${max} characters.`,
  /** rest.error.max.expiry.length.exceeded [guess] */
  maxExpiry: (/** @type {number} */ max) => `Token expiration cannot be longer than ${max} days.`,
  /** rest.error.min.expiry.length.exceeded [guess] */
  minExpiry: 'Token expiration must be at least 1 day.',
  /** rest.error.too.many.tokens (observed on 8.17.1, see above) */
  tooManyTokens: (/** @type {number} */ max) => `You can't create more than ${max} tokens.`,
  /** rest.error.eternal.tokens.disabled [guess] */
  eternalDisabled: 'Tokens without an expiration date are not allowed.'
}

/** `PersonalTokenExceptionMapper.handleGeneralException`: no `exception` field, a fixed sentence. */
export const PAT_SERVER_ERROR = {
  error: 'The server could not perform this operation - please check Application logs'
}

/**
 * A successful client-credentials exchange, RFC 6749 §5.1 with no refresh token (Atlassian, "Service
 * accounts overview": "Refresh tokens are not supported"). Field order and `scope` echo: [guess].
 * Data Center's; Cloud's is cloudTokenBody().
 * @param {string} accessToken
 * @param {number} expiresInSeconds
 * @param {string[]} scopes
 */
export function oauthTokenBody(accessToken, expiresInSeconds, scopes) {
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: expiresInSeconds,
    scope: scopes.join(' ')
  }
}

/**
 * An RFC 6749 §5.2 error. The descriptions the stand-in uses are [guess] unless the caller cites one.
 * @param {'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope'
 *   | 'unauthorized_client' | 'access_denied'} error
 * @param {string} description
 */
export function oauthError(error, description) {
  return { error, error_description: description }
}

/**
 * auth.atlassian.com's answer to a client-credentials exchange, in the order of Atlassian's 3LO docs
 * ("Implementing OAuth 2.0 (3LO)": `access_token`, `expires_in`, `scope`) with `token_type` as every
 * OAuth client expects; "valid for 60 minutes" (Atlassian, "Create OAuth 2.0 credential for service
 * accounts"). The exact field order is [guess].
 * @param {string} accessToken
 * @param {number} expiresInSeconds
 * @param {string[]} scopes
 */
export function cloudTokenBody(accessToken, expiresInSeconds, scopes) {
  return {
    access_token: accessToken,
    expires_in: expiresInSeconds,
    token_type: 'Bearer',
    scope: scopes.join(' ')
  }
}
