import type { IncomingHttpHeaders } from 'node:http'
import type { ErrorCode, Evidence, Failure } from './findings.js'
import type { ProbeResult } from './jira/client.js'
import type { HttpResponse } from './jira/transport.js'
import { retryAfterSeconds } from './jira/client.js'
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

/** A short, single-line excerpt of a body: the HTML title and Jira's reason line, or the text. */
export function excerpt(body: string, max = 200): string | undefined {
  if (!body.trim()) return undefined
  let text = body
  if (/<html|<!doctype/i.test(body)) {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim()
    const reason = /Basic Authentication Failure - Reason : \w+/.exec(body)?.[0]
    text = [title, reason].filter(Boolean).join(' — ') || body.replace(/<[^>]*>/g, ' ')
  }
  text = text.replace(/\s+/g, ' ').trim()
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

export function evidenceOf(probe: ProbeResult): Evidence {
  const { outcome } = probe
  const evidence: Evidence = {
    url: probe.url,
    attempts: probe.attempts,
    elapsedMs: probe.elapsedMs
  }
  if (outcome.kind === 'error') {
    evidence.errno = outcome.errno
    evidence.transportMessage = transportMessage(outcome.message)
  } else if (outcome.kind === 'timeout') {
    evidence.status = outcome.status
    evidence.detail = outcome.phase
  } else {
    const h = outcome.headers
    evidence.status = outcome.status
    evidence.seraphLoginReason = header(h, 'x-seraph-loginreason')
    evidence.deniedReason = header(h, 'x-authentication-denied-reason')
    evidence.ausername = header(h, 'x-ausername')
    evidence.location = header(h, 'location')
    evidence.retryAfterSeconds = retryAfterSeconds(h['retry-after'])
    evidence.contentType = header(h, 'content-type')
    evidence.bodyExcerpt = outcome.truncated
      ? 'the body was larger than 1 MiB and was cut'
      : excerpt(outcome.body)
  }
  return evidence
}

/** Node's message without OpenSSL's internals: "write EPROTO 80AC…:error:0A00010B:SSL routines:…:wrong version number:…". */
export function transportMessage(message: string): string {
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(message)
  const text = (openssl ? openssl[1] : message).replace(/\s+/g, ' ').trim()
  return text.length > 160 ? `${text.slice(0, 159)}…` : text
}

function isHtml(response: HttpResponse): boolean {
  const type = header(response.headers, 'content-type') ?? ''
  return /text\/html/i.test(type) || /^\s*<(!doctype|html)/i.test(response.body)
}

/** Any outcome that is not the answer we wanted, as a failure with its evidence. */
export function classifyFailure(probe: ProbeResult): Failure {
  const evidence = evidenceOf(probe)
  return { code: failureCode(probe), evidence }
}

function failureCode(probe: ProbeResult): ErrorCode {
  const { outcome } = probe
  if (outcome.kind === 'timeout') return 'timeout'
  if (outcome.kind === 'error') {
    if (outcome.phase === 'proxy') return 'proxy-error'
    if (DNS_ERRNO.has(outcome.errno)) return 'dns-error'
    if (
      TLS_ERRNO.has(outcome.errno) ||
      outcome.errno.startsWith('ERR_SSL') ||
      outcome.errno.startsWith('ERR_TLS')
    ) {
      return 'tls-error'
    }
    return 'connection-error'
  }
  const { status } = outcome
  if (status >= 300 && status < 400) return 'login-redirect'
  if (status === 401) return 'unauthorized'
  if (status === 403) {
    if (
      /CAPTCHA_CHALLENGE/i.test(header(outcome.headers, 'x-authentication-denied-reason') ?? '')
    ) {
      return 'captcha-required'
    }
    if (/Basic Authentication has been disabled/i.test(outcome.body)) return 'basic-auth-disabled'
    return 'forbidden'
  }
  if (status === 404) return 'not-found'
  if (status === 429) return 'rate-limited'
  if (status >= 500) return 'server-error'
  if (status === 200 && isHtml(outcome)) return 'login-redirect'
  return 'unexpected-response'
}

type Parsed<T> = { ok: true; value: T } | { ok: false; failure: Failure }

function parseJson(probe: ProbeResult): Parsed<unknown> {
  const { outcome } = probe
  if (outcome.kind !== 'response' || outcome.status !== 200 || isHtml(outcome)) {
    return { ok: false, failure: classifyFailure(probe) }
  }
  const unexpected = (detail: string): Parsed<unknown> => ({
    ok: false,
    failure: { code: 'unexpected-response', evidence: { ...evidenceOf(probe), detail } }
  })
  if (outcome.truncated) return unexpected('the body was larger than 1 MiB')
  if (!outcome.body.trim()) return unexpected('the body was empty')
  try {
    return { ok: true, value: JSON.parse(outcome.body) }
  } catch {
    return unexpected('the body was not valid JSON')
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** /myself answered with a user, or why not. */
export function parseMyself(probe: ProbeResult): Parsed<JiraUser> {
  const parsed = parseJson(probe)
  if (!parsed.ok) return parsed
  const user = parsed.value
  if (!isObject(user) || !(user.name || user.accountId || user.displayName || user.key)) {
    return {
      ok: false,
      failure: {
        code: 'unexpected-response',
        evidence: { ...evidenceOf(probe), detail: 'the JSON was not a Jira user' }
      }
    }
  }
  return { ok: true, value: user }
}

export function parseServerInfo(probe: ProbeResult | undefined): ServerInfo | undefined {
  if (!probe) return undefined
  const parsed = parseJson(probe)
  return parsed.ok && isObject(parsed.value) ? parsed.value : undefined
}

export type PatListResult =
  | { kind: 'tokens'; tokens: PatToken[] }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'failed'; failure: Failure }

export function parsePatList(probe: ProbeResult): PatListResult {
  const { outcome } = probe
  if (outcome.kind === 'response' && outcome.status === 404) {
    return {
      kind: 'unavailable',
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
  const parsed = parseJson(probe)
  if (!parsed.ok) return { kind: 'failed', failure: parsed.failure }
  if (!Array.isArray(parsed.value)) {
    return { kind: 'unavailable', reason: 'the token list was not the JSON array Jira sends' }
  }
  const tokens = parsed.value.filter(
    (token): token is PatToken => isObject(token) && typeof token.name === 'string'
  )
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
      failure: { code: 'project-not-found', evidence: { ...evidenceOf(probe), project } }
    }
  }
  if (outcome.kind === 'response' && outcome.status === 400) {
    return {
      ok: false,
      failure: {
        code: 'invalid-input',
        evidence: {
          ...evidenceOf(probe),
          input: 'required-permissions',
          detail: `Jira rejected the permission check: ${jiraMessage(outcome.body) ?? 'HTTP 400'}`
        }
      }
    }
  }
  const parsed = parseJson(probe)
  if (!parsed.ok) return parsed
  const answer = parsed.value as Partial<MyPermissions>
  if (!isObject(answer) || !isObject(answer.permissions)) {
    return {
      ok: false,
      failure: {
        code: 'unexpected-response',
        evidence: { ...evidenceOf(probe), detail: 'no "permissions" object' }
      }
    }
  }
  const permissions = answer.permissions
  return {
    ok: true,
    value: requested.map((key) => {
      const entry = permissions[key]
      return { key, granted: entry?.havePermission === true, unknown: !entry }
    })
  }
}

/** Jira's own error text: ErrorCollection `errorMessages`, or the REST Status `message`. */
export function jiraMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    if (!isObject(parsed)) return undefined
    if (Array.isArray(parsed.errorMessages) && parsed.errorMessages.length > 0) {
      return excerpt(parsed.errorMessages.join(' '))
    }
    return typeof parsed.message === 'string' ? excerpt(parsed.message) : undefined
  } catch {
    return excerpt(body)
  }
}
