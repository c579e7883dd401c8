// Creating and revoking Data Center PATs through the pats-plugin REST resource: pats-plugin 1.4.7
// `TokensResource`, read in the decompiled jars of a Confluence 9.1.1 install (ngannk-fptu/
// Decompiled-Files; Jira ships the same cross-product plugin). Every method only calls
// `enforceAuthenticated()`, so a PAT can create and revoke PATs; on a real Jira DC 10.3.19 "the API
// can list and create tokens, but only for a caller who already holds one".
import {
  JSON_TYPE,
  PAT_EXCEPTION,
  PAT_MESSAGE,
  PAT_SERVER_ERROR,
  patCreatedJson,
  patError,
  supportsPats
} from './bodies.mjs'
import {
  anonymous401,
  commonHeaders,
  identityHeaders,
  json,
  notFound,
  realm,
  reply
} from './respond.mjs'
import { StandinState } from './state.mjs'

/** @typedef {import('./index.d.mts').StandinSettings} StandinSettings */
/** @typedef {import('./auth.mjs').Principal} Principal */
/** @typedef {import('./state.mjs').User} User */
/** @typedef {import('./server.mjs').RequestContext} RequestContext */

/** `atlassian.pats.token.name.length` default (pats-plugin 1.4.7 `SystemProperty`). */
const PAT_NAME_MAX_LENGTH = 40

/**
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {Record<string, string>} headers
 * @param {string} exception
 * @param {string} error
 */
function patFailure(ctx, status, headers, exception, error) {
  return reply(
    ctx,
    status,
    { ...headers, 'Content-Type': JSON_TYPE },
    json(patError(exception, error))
  )
}

/**
 * `POST /rest/pat/latest/tokens` (pats-plugin 1.4.7 `TokensResource.createToken`): any authenticated
 * user, PAT or Basic alike; `RestValidator.verifyCreateTokenRequest` decides, in its order.
 * @param {RequestContext} ctx
 * @param {Principal} principal
 * @param {() => Record<string, string>} okHeaders
 */
export async function createToken(ctx, principal, okHeaders) {
  const { jira } = ctx
  if (!supportsPats(jira.settings.version)) return notFound(ctx)
  if (principal.kind !== 'user') return anonymous401(ctx)
  const refusal = unreadableContentType(ctx)
  if (refusal) return refusal
  const parsed = readTokenRequest(ctx.body)
  if ('status' in parsed) {
    if (parsed.status === 500) return reply(ctx, 500, okHeaders(), json(PAT_SERVER_ERROR))
    return patFailure(ctx, parsed.status, okHeaders(), parsed.exception, parsed.error)
  }
  const valid = validateTokenRequest(jira.settings, jira.state, principal.user, parsed)
  if ('status' in valid)
    return patFailure(ctx, valid.status, okHeaders(), valid.exception, valid.error)
  const pat = jira.state.createPat(principal.user.name, valid.name, valid.expirationDuration)
  return reply(ctx, 201, okHeaders(), json(patCreatedJson(pat)))
}

/**
 * The resource `@Consumes(application/json)`. Before Jersey matches that, atlassian-rest's
 * `XsrfResourceFilter` refuses a POST whose content type a browser form could send (none,
 * form-urlencoded, multipart, text/plain) unless it carries `X-Atlassian-Token: no-check`.
 * The 403 text follows the "XSRF check failed" reports (cypress#8091); its content type and the
 * 415 page are [guess].
 * @param {RequestContext} ctx
 */
function unreadableContentType(ctx) {
  const type = String(ctx.req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase()
  if (type === 'application/json') return undefined
  const formLike = ['', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']
  const noCheck = String(ctx.req.headers['x-atlassian-token'] ?? '').toLowerCase() === 'no-check'
  const headers = commonHeaders(ctx.jira)
  if (formLike.includes(type) && !noCheck) {
    return reply(
      ctx,
      403,
      { ...headers, 'Content-Type': 'text/plain;charset=UTF-8' },
      'XSRF check failed'
    )
  }
  return reply(
    ctx,
    415,
    { ...headers, 'Content-Type': 'text/html;charset=utf-8', 'Content-Language': 'en' },
    ''
  )
}

/**
 * Jackson 1 reading `RestNewTokenRequest {String name; Integer expirationDuration}`: scalars coerce
 * to the field types (numbers to text, numeric text and floats to int), anything else is a mapping
 * error. A literal `null` body reaches the validator as null and fails with the generic 500. The
 * exception messages are [guess].
 * @param {Buffer} body
 * @returns {{ name: string | null, expirationDuration: number | null }
 *   | { status: 400 | 500, exception: string, error: string }}
 */
function readTokenRequest(body) {
  const text = body.toString('utf8')
  const mapping = (/** @type {string} */ error) => ({
    status: /** @type {const} */ (400),
    exception: PAT_EXCEPTION.jsonMapping,
    error
  })
  if (text.trim() === '') return mapping('No content to map to Object due to end of input')
  /** @type {unknown} */
  let value
  try {
    value = JSON.parse(text)
  } catch {
    return {
      status: 400,
      exception: PAT_EXCEPTION.jsonParse,
      error: 'Unexpected character in the request body'
    }
  }
  if (value === null) return { status: 500, exception: '', error: '' }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return mapping('Can not deserialize instance of RestNewTokenRequest out of a non-object value')
  }
  const fields = /** @type {Record<string, unknown>} */ (value)
  const name = fields.name
  if (name !== undefined && name !== null && typeof name === 'object')
    return mapping('Can not deserialize instance of java.lang.String out of START_OBJECT token')
  const days = toInteger(fields.expirationDuration)
  if (days === undefined)
    return mapping('Can not construct instance of java.lang.Integer from the given value')
  return {
    name: name === undefined || name === null ? null : String(name),
    expirationDuration: days
  }
}

/**
 * @param {unknown} value
 * @returns {number | null | undefined} null when absent, undefined when not an int
 */
function toInteger(value) {
  if (value === undefined || value === null || value === '') return null
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined
  const whole = Math.trunc(number)
  return whole >= -2147483648 && whole <= 2147483647 ? whole : undefined
}

/**
 * `RestValidator.verifyCreateTokenRequest`, checks in the plugin's order: feature switch, name text,
 * name length, maximum then minimum expiry, the per-user limit (it counts the tokens still stored,
 * expired ones included until pruned), then eternal tokens.
 * @param {StandinSettings} settings
 * @param {StandinState} state
 * @param {User} user
 * @param {{ name: string | null, expirationDuration: number | null }} request
 * @returns {{ name: string, expirationDuration: number | null }
 *   | { status: number, exception: string, error: string }}
 */
function validateTokenRequest(settings, state, user, request) {
  const { name, expirationDuration: days } = request
  const bad = (/** @type {string} */ error) => ({
    status: 400,
    exception: PAT_EXCEPTION.illegalArgument,
    error
  })
  if (!settings.patsEnabled) return bad(PAT_MESSAGE.featureDisabled)
  if (name === null || !/\S/.test(name)) return bad(PAT_MESSAGE.emptyName)
  if (name.length > PAT_NAME_MAX_LENGTH) return bad(PAT_MESSAGE.nameLength(PAT_NAME_MAX_LENGTH))
  if (days !== null && days > settings.patMaxExpiryDays)
    return bad(PAT_MESSAGE.maxExpiry(settings.patMaxExpiryDays))
  if (days !== null && days <= 0) return bad(PAT_MESSAGE.minExpiry)
  if (state.listedPats(user.name).length >= settings.patMaxTokensPerUser) {
    return {
      status: 403,
      exception: PAT_EXCEPTION.tokenLimit,
      error: PAT_MESSAGE.tooManyTokens(settings.patMaxTokensPerUser)
    }
  }
  if (days === null && !settings.patEternalAllowed) return bad(PAT_MESSAGE.eternalDisabled)
  return { name, expirationDuration: days }
}

/**
 * `DELETE /rest/pat/latest/tokens/{id}` (`TokensResource.deleteToken`): 204 whether or not anything
 * was deleted. A token of someone else is refused with the mapper's 401 unless the caller is an
 * administrator (here: the ADMINISTER or SYSTEM_ADMIN permission knob [guess]).
 * @param {RequestContext} ctx
 * @param {Principal} principal
 */
export async function revokeToken(ctx, principal) {
  const { jira } = ctx
  if (!supportsPats(jira.settings.version)) return notFound(ctx)
  if (principal.kind !== 'user') return anonymous401(ctx)
  const id = Number(/\/tokens\/(\d+)\/?$/.exec(ctx.url.pathname)?.[1])
  const now = Date.now()
  const pat = jira.state.pats.find((p) => p.id === id && StandinState.isListed(p, now))
  const headers = { ...commonHeaders(jira), ...identityHeaders(jira.settings, principal) }
  const admin =
    jira.settings.permissions.ADMINISTER === true || jira.settings.permissions.SYSTEM_ADMIN === true
  if (pat && pat.user !== principal.user.name && !admin) {
    // `String.format("User: [%s] has no access to token!", userKey)`; the key's rendering is [guess].
    return patFailure(
      ctx,
      401,
      { ...headers, 'WWW-Authenticate': realm(jira) },
      PAT_EXCEPTION.authorisation,
      `User: [${principal.user.key}] has no access to token!`
    )
  }
  if (pat) pat.revoked = true
  return reply(ctx, 204, headers)
}
