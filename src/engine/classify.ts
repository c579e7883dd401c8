import type { IncomingHttpHeaders } from 'node:http'
import type { Failure, NetworkEvidence, RequestEvidence, ResponseEvidence } from './findings.js'
import type { ProbeResult } from './jira/client.js'
import { MAX_BODY_BYTES, type HttpResponse, type TransportError } from './jira/transport.js'
import { retryAfterSeconds } from './jira/client.js'
import { compactJson, readJson } from './json.js'
import { untrusted } from './untrusted.js'
import type {
  JiraUser,
  MyPermissions,
  PatToken,
  PermissionResult,
  ServerInfo
} from './jira/types.js'

const TLS_ERRNO = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'EPROTO'
])
const DNS_ERRNO = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME'])

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

/** A header as evidence: untrusted, so neutralised before any sentence can carry it. */
function headerEvidence(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = header(headers, name)
  return value === undefined ? undefined : untrusted(value)
}

const BODY_LIMIT_TEXT = `${MAX_BODY_BYTES / 1024 / 1024} MiB`

/** A short, single-line excerpt of a body: the HTML title and Jira's reason line, or the text. */
export function excerpt(body: string, max = 200): string | undefined {
  if (!body.trim()) return undefined
  if (/^\s*[[{]/.test(body)) {
    // JSON: Jira's own error text if it has some, else the text itself.
    const message = jiraMessageOf(readJson(body))
    if (message) return untrusted(message.replace(/\s+/g, ' ').trim(), max)
  }
  let text = body
  if (/<html|<!doctype/i.test(body)) {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim()
    const reason = /Basic Authentication Failure - Reason : \w+/.exec(body)?.[0]
    text = [title, reason].filter(Boolean).join(' — ') || body.replace(/<[^>]*>/g, ' ')
  }
  return untrusted(text.replace(/\s+/g, ' ').trim(), max)
}

function requestEvidence(probe: ProbeResult): RequestEvidence {
  return {
    url: probe.url,
    ...(probe.method && { method: probe.method }),
    attempts: probe.attempts,
    elapsedMs: probe.elapsedMs
  }
}

/** What an answer said, every value from Jira neutralised. */
export function responseEvidence(probe: ProbeResult, response: HttpResponse): ResponseEvidence {
  const h = response.headers
  const evidence: ResponseEvidence = { ...requestEvidence(probe), status: response.status }
  const fields = {
    seraphLoginReason: 'x-seraph-loginreason',
    deniedReason: 'x-authentication-denied-reason',
    ausername: 'x-ausername',
    location: 'location',
    proxyAuthenticate: 'proxy-authenticate',
    contentType: 'content-type'
  } as const
  for (const [field, name] of Object.entries(fields) as Array<[keyof typeof fields, string]>) {
    const value = headerEvidence(h, name)
    if (value !== undefined) evidence[field] = value
  }
  const accountId = decodedAccountId(header(h, 'x-aaccountid'))
  if (accountId !== undefined) evidence.aaccountId = accountId
  const retryAfter = retryAfterSeconds(h['retry-after'])
  if (retryAfter !== undefined) evidence.retryAfterSeconds = retryAfter
  const body = response.truncated
    ? `the body was larger than ${BODY_LIMIT_TEXT} and was cut`
    : excerpt(response.body)
  if (body !== undefined) evidence.bodyExcerpt = body
  return evidence
}

/** Cloud sends X-AACCOUNTID URL-encoded (712020%3A…); a value that does not decode is kept as sent. */
function decodedAccountId(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined
  let decoded = value.trim()
  try {
    decoded = decodeURIComponent(decoded)
  } catch {
    // A stray "%": keep it as it came.
  }
  return untrusted(decoded, 80)
}

function networkEvidence(probe: ProbeResult, error: TransportError): NetworkEvidence {
  return {
    ...requestEvidence(probe),
    errno: error.errno,
    transportMessage: transportMessage(error.message),
    ...(error.proxyStatus !== undefined && { proxyStatus: error.proxyStatus })
  }
}

/** Node's message without OpenSSL's internals: "write EPROTO 80AC…:error:0A00010B:SSL routines:…:wrong version number:…". */
export function transportMessage(message: string): string {
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(message)
  // A certificate's names, a proxy's status line: parts of these messages come from the network.
  return untrusted((openssl ? openssl[1] : message).replace(/\s+/g, ' ').trim(), 160)
}

function isHtml(response: HttpResponse): boolean {
  const type = header(response.headers, 'content-type') ?? ''
  return /text\/html/i.test(type) || /^\s*<(!doctype|html)/i.test(response.body)
}

/** Any outcome that is not the answer we wanted, as a failure with exactly its evidence. */
export function classifyFailure(probe: ProbeResult): Failure {
  const { outcome } = probe
  switch (outcome.kind) {
    case 'timeout':
      return {
        code: 'timeout',
        timeout: {
          ...requestEvidence(probe),
          phase: outcome.phase,
          ...(outcome.status !== undefined && { status: outcome.status })
        }
      }
    case 'proxy-invalid':
      return {
        code: 'proxy-error',
        variable: outcome.variable,
        reason: outcome.reason,
        url: probe.url
      }
    // Each code below is one the union pairs with that evidence; TypeScript cannot see it through a
    // union-typed code, hence the assertion.
    case 'error':
      return { code: networkCode(outcome), network: networkEvidence(probe, outcome) } as Failure
    case 'response':
      return { code: responseCode(outcome), response: responseEvidence(probe, outcome) } as Failure
  }
}

function networkCode(
  error: TransportError
): 'proxy-error' | 'dns-error' | 'tls-error' | 'connection-error' {
  if (error.phase === 'proxy') return 'proxy-error'
  if (DNS_ERRNO.has(error.errno)) return 'dns-error'
  if (
    TLS_ERRNO.has(error.errno) ||
    error.errno.startsWith('ERR_SSL') ||
    error.errno.startsWith('ERR_TLS')
  ) {
    return 'tls-error'
  }
  return 'connection-error'
}

type AnsweredCode = Extract<Failure, { response: ResponseEvidence }>['code']

function responseCode(
  response: HttpResponse
): Exclude<AnsweredCode, 'invalid-input' | 'project-not-found'> {
  const { status } = response
  if (status >= 300 && status < 400) return 'login-redirect'
  if (status === 401) return 'unauthorized'
  // Cloud reads any Bearer value on a site host as a Connect session JWT: the credential is
  // malformed for Cloud (an API token sent as Bearer, or without the account email), not forbidden.
  if (status === 403 && isConnectSessionRefusal(response)) return 'unauthorized'
  if (status === 403) {
    if (
      /CAPTCHA_CHALLENGE/i.test(header(response.headers, 'x-authentication-denied-reason') ?? '')
    ) {
      return 'captcha-required'
    }
    if (/Basic Authentication has been disabled/i.test(response.body)) return 'basic-auth-disabled'
    return 'forbidden'
  }
  if (status === 404) return 'not-found'
  // Jira never answers 407: a transparent proxy between the runner and Jira wants credentials.
  if (status === 407) return 'proxy-error'
  if (status === 429) return 'rate-limited'
  if (status >= 500) return 'server-error'
  if (status === 200 && isHtml(response)) return 'login-redirect'
  return 'unexpected-response'
}

/** Cloud's 403 `{"error": "Failed to parse Connect Session Auth Token"}`. */
export function isConnectSessionRefusal(response: HttpResponse): boolean {
  return (
    response.status === 403 && /Failed to parse Connect Session Auth Token/i.test(response.body)
  )
}

/**
 * The gateway's 401 `{"code":401,"message":"Unauthorized; scope does not match"}`: the credential
 * is valid, but lacks a scope of this endpoint.
 */
export function isScopeMismatch(probe: ProbeResult | undefined): boolean {
  const outcome = probe?.outcome
  return (
    outcome?.kind === 'response' &&
    outcome.status === 401 &&
    /scope does not match/i.test(jiraMessageOf(readJson(outcome.body)) ?? '')
  )
}

type Parsed<T> = { ok: true; value: T } | { ok: false; failure: Failure }

/** An answer that came but cannot be used, and why. */
function unexpectedAnswer(probe: ProbeResult, response: HttpResponse, detail: string): Failure {
  return { code: 'unexpected-response', response: responseEvidence(probe, response), detail }
}

function parseJson(probe: ProbeResult): Parsed<unknown> {
  const { outcome } = probe
  if (outcome.kind !== 'response' || outcome.status !== 200 || isHtml(outcome)) {
    return { ok: false, failure: classifyFailure(probe) }
  }
  const unexpected = (detail: string): Parsed<unknown> => ({
    ok: false,
    failure: unexpectedAnswer(probe, outcome, detail)
  })
  if (outcome.truncated) return unexpected(`the body was larger than ${BODY_LIMIT_TEXT}`)
  if (!outcome.body.replace(/^\ufeff/, '').trim()) return unexpected('the body was empty')
  const value = readJson(outcome.body)
  return value === undefined ? unexpected('the body was not valid JSON') : { ok: true, value }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A text field as Jira might send it: a string, or a number or boolean to stringify; anything else is dropped. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
    return String(value)
  return undefined
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 'true' || value === 'false') return value === 'true'
  return undefined
}

const USER_TEXT_FIELDS = [
  'self',
  'key',
  'name',
  'accountId',
  'accountType',
  'appType',
  'emailAddress',
  'displayName',
  'timeZone',
  'locale'
] as const

/** What /myself said, with a field of an odd type stringified or dropped rather than trusted. */
export interface Myself {
  user: JiraUser
  /** The whole answer as compact JSON, for the `identity` output. */
  json: string
}

/** /myself answered with a user, or why not. */
export function parseMyself(probe: ProbeResult): Parsed<Myself> {
  const parsed = parseJson(probe)
  if (!parsed.ok) return parsed
  const raw = parsed.value
  const answer = probe.outcome as HttpResponse
  const odd = (detail: string): Parsed<Myself> => ({
    ok: false,
    failure: unexpectedAnswer(probe, answer, detail)
  })
  if (!isObject(raw)) return odd(`the JSON was ${describeJson(raw)}, not a Jira user`)
  const user: JiraUser = {}
  const dropped: string[] = []
  for (const field of USER_TEXT_FIELDS) {
    const value = text(raw[field])
    if (value !== undefined) user[field] = value
    else if (raw[field] !== undefined && raw[field] !== null) dropped.push(field)
  }
  if (raw.emailAddress === null) user.emailAddress = null
  const active = flag(raw.active)
  if (active !== undefined) user.active = active
  if (!(user.name || user.accountId || user.displayName || user.key)) {
    return odd(
      'the JSON has no name, key, accountId or displayName' +
        (dropped.length > 0
          ? ` (${dropped.map((f) => `"${f}" is ${describeJson(raw[f])}`).join(', ')})`
          : '')
    )
  }
  return { ok: true, value: { user, json: compactJson(raw) } }
}

/** The kind of a JSON value, for a sentence: "an object", "a number", ... */
function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

export function parseServerInfo(probe: ProbeResult | undefined): ServerInfo | undefined {
  if (!probe) return undefined
  const parsed = parseJson(probe)
  if (!parsed.ok || !isObject(parsed.value)) return undefined
  const raw = parsed.value
  const info: ServerInfo = {}
  for (const field of ['baseUrl', 'version', 'deploymentType', 'serverTitle'] as const) {
    const value = text(raw[field])
    if (value !== undefined) info[field] = value
  }
  if (typeof raw.buildNumber === 'number') info.buildNumber = raw.buildNumber
  if (Array.isArray(raw.versionNumbers) && raw.versionNumbers.every((n) => typeof n === 'number'))
    info.versionNumbers = raw.versionNumbers
  return info
}

export type PatListResult =
  | { kind: 'tokens'; tokens: PatToken[] }
  /** `expected`: the platform has no PAT list at all (Cloud, Jira before 8.14), so it is no news. */
  | { kind: 'unavailable'; reason: string; expected?: boolean }
  | { kind: 'failed'; failure: Failure }

export function parsePatList(probe: ProbeResult): PatListResult {
  const { outcome } = probe
  if (outcome.kind === 'response' && outcome.status === 404) {
    return {
      kind: 'unavailable',
      expected: true,
      reason:
        'this Jira has no personal access token API (Jira Cloud, or Data Center/Server older than 8.14)'
    }
  }
  if (outcome.kind === 'response' && (outcome.status === 401 || outcome.status === 403)) {
    return {
      kind: 'unavailable',
      reason: `Jira refused to list the tokens (HTTP ${outcome.status})`
    }
  }
  // /myself worked with the same credentials, so a login page here is not a login problem: Data
  // Center answers REST paths that no plugin serves with a 302 to login.jsp.
  if (outcome.kind === 'response' && outcome.status >= 300 && outcome.status < 400) {
    return {
      kind: 'unavailable',
      reason: `Jira answered the token list with a redirect (HTTP ${outcome.status}), so no plugin serves it there`
    }
  }
  if (outcome.kind === 'response' && outcome.status === 200 && isHtml(outcome)) {
    return { kind: 'unavailable', reason: 'Jira answered the token list with an HTML page' }
  }
  const parsed = parseJson(probe)
  if (!parsed.ok) return { kind: 'failed', failure: parsed.failure }
  if (!Array.isArray(parsed.value)) {
    return { kind: 'unavailable', reason: 'the token list was not the JSON array Jira sends' }
  }
  const tokens = parsed.value.flatMap((entry): PatToken[] => {
    if (!isObject(entry)) return []
    const name = text(entry.name)
    if (name === undefined) return []
    const id = typeof entry.id === 'number' ? entry.id : Number(text(entry.id) ?? NaN)
    const token: PatToken = { id: Number.isFinite(id) ? id : undefined, name }
    for (const field of ['createdAt', 'lastAccessedAt', 'expiringAt'] as const) {
      if (typeof entry[field] === 'string') token[field] = entry[field]
    }
    return [token]
  })
  return { kind: 'tokens', tokens }
}

export type PermissionsParsed =
  { ok: true; value: PermissionResult[] } | { ok: false; failure: Failure }

/**
 * Reads mypermissions. Data Center returns every key whatever was asked; Cloud returns the asked
 * ones. A requested key absent from the answer is reported as unknown, never as a silent pass.
 */
export function parsePermissions(
  probe: ProbeResult,
  requested: readonly string[],
  project: string
): PermissionsParsed {
  const { outcome } = probe
  if (outcome.kind === 'response' && outcome.status === 404 && project) {
    return {
      ok: false,
      failure: { code: 'project-not-found', project, response: responseEvidence(probe, outcome) }
    }
  }
  if (outcome.kind === 'response' && outcome.status === 400) {
    return {
      ok: false,
      failure: {
        code: 'invalid-input',
        input: 'required-permissions',
        detail: `Jira rejected the permission check: ${jiraMessage(outcome.body) ?? 'HTTP 400'}`,
        response: responseEvidence(probe, outcome)
      }
    }
  }
  const parsed = parseJson(probe)
  if (!parsed.ok) return parsed
  const answer = parsed.value as Partial<MyPermissions>
  if (!isObject(answer) || !isObject(answer.permissions)) {
    return {
      ok: false,
      failure: unexpectedAnswer(probe, outcome as HttpResponse, 'no "permissions" object')
    }
  }
  const permissions = answer.permissions
  return {
    ok: true,
    value: requested.map((key) => {
      const entry: unknown = permissions[key]
      const held = isObject(entry) ? flag(entry.havePermission) : undefined
      return { key, granted: held === true, unknown: !isObject(entry) }
    })
  }
}

/** Jira's own error text: ErrorCollection `errorMessages`, the REST Status `message`, or an OAuth `error_description`. */
function jiraMessageOf(parsed: unknown): string | undefined {
  if (!isObject(parsed)) return undefined
  if (Array.isArray(parsed.errorMessages) && parsed.errorMessages.length > 0) {
    return parsed.errorMessages.map((message) => text(message) ?? '').join(' ')
  }
  return text(parsed.message) ?? text(parsed.error_description) ?? text(parsed.error)
}

export function jiraMessage(body: string): string | undefined {
  const parsed = readJson(body)
  if (parsed === undefined) return excerpt(body)
  const message = jiraMessageOf(parsed)
  return message === undefined ? undefined : untrusted(message.replace(/\s+/g, ' ').trim(), 200)
}

const CLOUD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `/_edge/tenant_info` → the cloudId, or undefined for any other answer (Data Center has no such path). */
export function parseTenantInfo(probe: ProbeResult | undefined): string | undefined {
  if (!probe) return undefined
  const parsed = parseJson(probe)
  if (!parsed.ok || !isObject(parsed.value)) return undefined
  const cloudId = text(parsed.value.cloudId)?.trim()
  // It becomes part of a URL the credential is sent to: only a UUID is taken.
  return cloudId && CLOUD_ID.test(cloudId) ? cloudId.toLowerCase() : undefined
}

/** An OAuth 2.0 access token, from a client-credentials exchange. */
export interface AccessToken {
  token: string
  /** Seconds it lives, as the token endpoint said; undefined when it did not say. */
  expiresIn?: number
  scope?: string
}

/** OAuth error codes that mean "these client credentials are wrong" (RFC 6749 §5.2). */
const CLIENT_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'access_denied',
  'invalid_grant'
])

/**
 * The token endpoint's answer → an access token, or the failure. A 400 or 401 naming the client
 * is invalid-client; anything else is classified like any answer.
 */
export function parseTokenAnswer(
  probe: ProbeResult,
  platform: 'cloud' | 'data-center'
): Parsed<AccessToken> {
  const { outcome } = probe
  if (outcome.kind === 'response' && (outcome.status === 400 || outcome.status === 401)) {
    const body = readJson(outcome.body)
    const error = isObject(body) ? text(body.error) : undefined
    if (outcome.status === 401 || (error !== undefined && CLIENT_ERRORS.has(error))) {
      return {
        ok: false,
        failure: {
          code: 'invalid-client',
          response: responseEvidence(probe, outcome),
          ...(error !== undefined && { oauthError: untrusted(error, 40) }),
          platform
        }
      }
    }
    return {
      ok: false,
      failure: unexpectedAnswer(
        probe,
        outcome,
        `the token endpoint refused the exchange${error ? ` (${untrusted(error, 40)})` : ''}`
      )
    }
  }
  const parsed = parseJson(probe)
  if (!parsed.ok) return parsed
  const answer = parsed.value
  const odd = (detail: string): Parsed<AccessToken> => ({
    ok: false,
    failure: unexpectedAnswer(probe, outcome as HttpResponse, detail)
  })
  if (!isObject(answer)) return odd('the token answer was not a JSON object')
  const token = typeof answer.access_token === 'string' ? answer.access_token.trim() : ''
  // It goes into an Authorization header: a value with spaces or controls is not a token.
  if (!token || !/^[\x21-\x7e]+$/.test(token))
    return odd('the token answer has no usable access_token')
  const type = text(answer.token_type)
  if (type !== undefined && !/^bearer$/i.test(type))
    return odd(`the token type is "${untrusted(type, 30)}", not Bearer`)
  const seconds = Number(text(answer.expires_in))
  return {
    ok: true,
    value: {
      token,
      ...(Number.isFinite(seconds) && seconds > 0 && { expiresIn: Math.floor(seconds) }),
      ...(typeof answer.scope === 'string' && { scope: untrusted(answer.scope, 300) })
    }
  }
}
