/**
 * RawSettings (strings) → Settings (typed, validated, frozen), or the missing-input/invalid-input
 * failure that names the setting and shows a good value. Pure: masking happened before, from
 * secrets.ts, and nothing here reads the environment.
 */
import type { Platform } from '../diagnosis/platform.js'
import type { Failure, Note } from '../findings.js'
import { GATEWAY_HOST } from '../jira/endpoints.js'
import { POLICY_CODES, type PolicyCode } from '../policy.js'
import { normaliseDomain } from './domain.js'
import { TOKEN_POLICIES, type InputName, type RawSettings } from './schema.js'
import {
  InputError,
  SHELL_VARIABLE,
  UNEXPANDED_EXPRESSION,
  UPPER_SHELL_VARIABLE,
  describeBadCharacter,
  invalid,
  missing,
  stripBearer,
  unquote
} from './values.js'

export interface Settings {
  /** Normalised base URL with any context path and no trailing slash. */
  readonly baseUrl: string
  /** The token or password, trimmed, without a pasted "Bearer " or wrapping quotes; '' with client credentials. */
  readonly token: string
  /** The Basic user name; empty for Bearer. */
  readonly username: string
  /**
   * bearer: a PAT or another token Jira takes as Bearer; basic: username:token (a Cloud API token
   * or a password); client-credentials: a service account's OAuth 2.0 client id and secret.
   */
  readonly authScheme: 'bearer' | 'basic' | 'client-credentials'
  readonly clientId: string
  readonly clientSecret: string
  /** The Cloud site's cloudId: from `cloud-id`, or from a gateway `domain`; '' when unknown. */
  readonly cloudId: string
  /** `domain` is the Cloud gateway itself, https://api.atlassian.com/ex/jira/{cloudId}. */
  readonly gateway: boolean
  /** The deadline for the whole check, from process start. */
  readonly timeoutSeconds: number
  /** Extra attempts for transient failures. */
  readonly retries: number
  readonly allowInsecureHttp: boolean
  /** Write a job summary (action only). */
  readonly summary: boolean
  /** Accounts the token may belong to: username, key, email or accountId. */
  readonly expectedUsers: readonly string[]
  /** Permission keys, upper-cased. */
  readonly requiredPermissions: readonly string[]
  /** A project key (upper-cased) or numeric id that scopes the permissions; '' for none. */
  readonly project: string
  /** The PAT's name in Jira, to find its expiry. */
  readonly tokenName: string
  /** From `token-expires-on`, for tokens whose expiry Jira does not expose. */
  readonly tokenExpiresOn?: Date
  readonly expiryWarningDays: number
  readonly expiryErrorDays: number
  /** Token hygiene: report findings (warn), fail on them (fail), or neither check nor report (off). */
  readonly tokenPolicy: (typeof TOKEN_POLICIES)[number]
  /** 0: no limit. */
  readonly maxTokenLifetimeDays: number
  /** 0: no stale-token review. */
  readonly staleTokenDays: number
  readonly tokenPolicyIgnore: readonly PolicyCode[]
}

/** A permission gate is set: `required-permissions`, or `project` alone (BROWSE_PROJECTS). */
export function hasPermissionGate(settings: Settings): boolean {
  return settings.requiredPermissions.length > 0 || settings.project !== ''
}

export const MAX_RETRIES = 10
export const MAX_TIMEOUT_SECONDS = 600

/**
 * Real tokens are 44 characters (Data Center PAT) to a few hundred (Cloud API token); OAuth access
 * tokens run to about 2,000. Tomcat, in front of every Data Center, refuses headers over 8 KiB by
 * default, so a longer value is not a token: more likely a file or several secrets pasted together.
 */
export const MAX_TOKEN_LENGTH = 4096

export type ParseResult =
  | { ok: true; settings: Settings; notes: Note[] }
  | {
      ok: false
      failure: Extract<Failure, { code: 'missing-input' | 'invalid-input' }>
      notes: Note[]
    }

/** Parses and validates every setting. Fails before any request is made. */
export function parseSettings(raw: RawSettings, p: Platform): ParseResult {
  const notes: Note[] = []
  try {
    return { ok: true, settings: parse(raw, p, notes), notes }
  } catch (error) {
    if (error instanceof InputError) return { ok: false, failure: error.failure, notes }
    throw error
  }
}

function parse(raw: RawSettings, p: Platform, notes: Note[]): Settings {
  const domain = withoutQuotes('domain', raw.domain.trim(), notes)
  const token = withoutQuotes('token', raw.token.trim(), notes)
  const clientId = withoutQuotes('client-id', raw['client-id'].trim(), notes)
  const clientSecret = withoutQuotes('client-secret', raw['client-secret'].trim(), notes)
  if (!domain) throw missing('domain', missingText('domain', p))
  const credentials = pickCredentials(token, clientId, clientSecret, p)

  const allowInsecureHttp = parseBoolean('allow-insecure-http', raw['allow-insecure-http'], p)
  const baseUrl = normaliseDomain(domain, allowInsecureHttp, notes, p)
  const username = parseUsername(withoutQuotes('username', raw.username.trim(), notes), p)
  if (credentials === 'client-credentials' && username) {
    throw invalid(
      'username',
      `${p.setting('username')} goes with ${p.setting('token')} (Basic auth); with ${p.setting('client-id')} and ${p.setting('client-secret')} the service account is named by its client credentials. Leave ${p.setting('username')} empty.`
    )
  }
  const cleanToken = credentials === 'token' ? parseToken(token, username !== '', notes, p) : ''
  const { cloudId, gateway } = parseCloudId(raw['cloud-id'].trim(), baseUrl, p)

  return Object.freeze({
    baseUrl,
    token: cleanToken,
    username,
    authScheme:
      credentials === 'client-credentials' ? 'client-credentials' : username ? 'basic' : 'bearer',
    clientId: credentials === 'client-credentials' ? parseClientId(clientId, p) : '',
    clientSecret: credentials === 'client-credentials' ? parseClientSecret(clientSecret, p) : '',
    cloudId,
    gateway,
    timeoutSeconds: parseTimeout(raw['timeout-seconds'], notes, p),
    retries: parseRetries(raw.retries, notes, p),
    allowInsecureHttp,
    summary: parseBoolean('summary', raw.summary, p),
    expectedUsers: Object.freeze(
      parseList('expected-user', raw['expected-user'], p).map(decodedAccountId)
    ),
    requiredPermissions: Object.freeze(parsePermissions(raw['required-permissions'], p)),
    project: parseProject(raw.project.trim(), p),
    tokenName: parseText('token-name', raw['token-name'].trim(), p),
    tokenExpiresOn: parseDate(raw['token-expires-on'].trim(), p),
    expiryWarningDays: parseDays('expiry-warning-days', raw['expiry-warning-days'], p),
    expiryErrorDays: parseDays('expiry-error-days', raw['expiry-error-days'], p),
    tokenPolicy: parseChoice('token-policy', raw['token-policy'], TOKEN_POLICIES, p),
    maxTokenLifetimeDays: parseDays('max-token-lifetime-days', raw['max-token-lifetime-days'], p),
    staleTokenDays: parseDays('stale-token-days', raw['stale-token-days'], p),
    tokenPolicyIgnore: Object.freeze(parsePolicyCodes(raw['token-policy-ignore'], p))
  } satisfies Settings)
}

/** Strips one pair of wrapping quotes, with a warning: they come from a copy, never from Jira. */
function withoutQuotes(input: InputName, value: string, notes: Note[]): string {
  const clean = unquote(value)
  if (clean !== value) notes.push({ code: 'quotes-removed', input })
  return clean
}

function missingText(input: 'domain' | 'token', p: Platform): string {
  const alternative =
    input === 'token'
      ? ` (For a service account's OAuth 2.0 credentials, give ${p.setting('client-id')} and ${p.setting('client-secret')} instead.)`
      : ''
  return `${p.setting(input)} is empty.${alternative} ${p.emptyValueCauses(input)}`
}

/**
 * A Cloud account id as Cloud's X-AACCOUNTID header carries it, URL-encoded (712020%3A<uuid>), is
 * the same id as 712020:<uuid>.
 */
function decodedAccountId(entry: string): string {
  return /^\d+%3A[0-9a-f-]+$/i.test(entry) ? entry.replace(/%3A/i, ':') : entry
}

/** A token, or a client id and secret: one of the two, whole. */
function pickCredentials(
  token: string,
  clientId: string,
  clientSecret: string,
  p: Platform
): 'token' | 'client-credentials' {
  const client = clientId !== '' || clientSecret !== ''
  if (token && client) {
    throw invalid(
      'client-id',
      `${p.setting('token')} and ${p.setting('client-id')}/${p.setting('client-secret')} exclude each other: give a token, or a service account's client id and secret, not both.`
    )
  }
  if (!token && !client) throw missing('token', missingText('token', p))
  if (client && !clientSecret) {
    throw invalid(
      'client-secret',
      `${p.setting('client-id')} is set but ${p.setting('client-secret')} is empty: a client id needs its secret. ${p.emptyValueCauses('client-secret')}`
    )
  }
  if (client && !clientId) {
    throw invalid(
      'client-id',
      `${p.setting('client-secret')} is set but ${p.setting('client-id')} is empty: give the client id that goes with the secret.`
    )
  }
  return client ? 'client-credentials' : 'token'
}

function parseClientId(value: string, p: Platform): string {
  rejectUnexpanded('client-id', value, p)
  const bad = describeBadCharacter(value)
  if (bad) {
    throw invalid(
      'client-id',
      `${p.setting('client-id')} contains ${bad.name} at position ${bad.index + 1}. A client id is a single word of ASCII, as Atlassian showed it.`
    )
  }
  return value
}

function parseClientSecret(value: string, p: Platform): string {
  // As for a Basic password, only $UPPER_CASE counts as a variable: a secret may hold a "$".
  rejectUnexpanded('client-secret', value, p, UPPER_SHELL_VARIABLE)
  if (value.length > MAX_TOKEN_LENGTH) {
    throw invalid(
      'client-secret',
      `${p.setting('client-secret')} is ${value.length} characters long, more than any client secret: put only the secret in ${p.secretSource('client-secret')}.`
    )
  }
  const bad = describeBadCharacter(value)
  if (bad) {
    throw invalid(
      'client-secret',
      `${p.setting('client-secret')} contains ${bad.name} at position ${bad.index + 1} of ${value.length}: re-copy it and update ${p.secretSource('client-secret')}.`
    )
  }
  return value
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `cloud-id`, and the cloudId a gateway `domain` carries; they must agree. */
function parseCloudId(
  value: string,
  baseUrl: string,
  p: Platform
): { cloudId: string; gateway: boolean } {
  if (value) rejectUnexpanded('cloud-id', value, p)
  if (value && !UUID.test(value)) {
    throw invalid(
      'cloud-id',
      `${p.setting('cloud-id')} is "${value}"; a cloudId is a UUID such as 1324a887-45db-1bf4-1e99-ef0ff456d421 (https://<site>.atlassian.net/_edge/tenant_info shows it; an organization id is not a cloudId).`
    )
  }
  const url = new URL(baseUrl)
  if (url.hostname !== GATEWAY_HOST) return { cloudId: value.toLowerCase(), gateway: false }
  const inUrl = /^\/ex\/jira\/([^/]+)$/.exec(url.pathname)?.[1]
  if (!inUrl || !UUID.test(inUrl)) {
    throw invalid(
      'domain',
      `${p.setting('domain')} is Atlassian's API gateway, which needs the site's cloudId: https://api.atlassian.com/ex/jira/<cloudId>. Or give the site itself, https://<site>.atlassian.net, and the check finds the cloudId.`,
      'https://your-site.atlassian.net'
    )
  }
  if (value && value.toLowerCase() !== inUrl.toLowerCase()) {
    throw invalid(
      'cloud-id',
      `${p.setting('cloud-id')} (${value}) is not the cloudId in ${p.setting('domain')} (${inUrl}): give one of them, or the same one twice.`
    )
  }
  return { cloudId: inUrl.toLowerCase(), gateway: true }
}

function rejectUnexpanded(
  input: InputName,
  value: string,
  p: Platform,
  shellVariable = SHELL_VARIABLE
): void {
  if (UNEXPANDED_EXPRESSION.test(value)) {
    throw invalid(
      input,
      `${p.setting(input)} contains "\${{", so a workflow expression was never expanded. ${p.unexpandedExpression(input)}`
    )
  }
  if (shellVariable.test(value)) {
    throw invalid(
      input,
      `${p.setting(input)} is the literal text "${value.replace(/[{}]/g, '')}", a shell variable that was never expanded: ` +
        p.unexpandedVariable(input, value.replace(/[${}]/g, ''))
    )
  }
}

function parseUsername(value: string, p: Platform): string {
  if (!value) return ''
  rejectUnexpanded('username', value, p)
  const bad = describeBadCharacter(value, { nonAscii: true })
  if (bad) {
    throw invalid(
      'username',
      `${p.setting('username')} contains ${bad.name} at position ${bad.index + 1}.`
    )
  }
  if (value.includes(':')) {
    throw invalid(
      'username',
      `${p.setting('username')} contains ":", which Basic auth cannot carry. For Jira Cloud use the account email, ` +
        `e.g. ci-bot@example.com, and put the API token in ${p.setting('token')}.`
    )
  }
  return value
}

function parseToken(value: string, basic: boolean, notes: Note[], p: Platform): string {
  const ref = p.setting('token')
  const { token, stripped } = stripBearer(value)
  // After the prefix is off: "Bearer $JIRA_PAT" is as unexpanded as "$JIRA_PAT".
  rejectUnexpanded('token', token, p, basic ? UPPER_SHELL_VARIABLE : SHELL_VARIABLE)
  if (stripped) notes.push({ code: 'bearer-prefix-removed' })
  if (!token || /^bearer$/i.test(token))
    throw missing('token', `${ref} holds only the word "Bearer" and no token.`)
  if (token.length > MAX_TOKEN_LENGTH) {
    throw invalid(
      'token',
      `${ref} is ${token.length} characters long. Jira tokens are 44 (a Data Center PAT) to a few hundred ` +
        `characters (a Cloud API token); anything over ${MAX_TOKEN_LENGTH} is something else, such as a whole file ` +
        `or several values pasted into one secret. Put only the token in ${p.secretSource('token')}.`
    )
  }
  // A Basic password is UTF-8 inside base64, so it may hold any printable character; a Bearer
  // token travels as a header value as it is, and Jira splits it on spaces.
  const bad = describeBadCharacter(
    token,
    basic ? { spaces: true, nonAscii: true } : { quotes: false }
  )
  if (bad) {
    throw invalid(
      'token',
      `${ref} contains ${bad.name} at position ${bad.index + 1} of ${token.length}. A token is a ` +
        `single line of ${basic ? 'text' : 'ASCII'}: re-copy it from Jira and update ${p.secretSource('token')} (a stray newline or a ` +
        'second value pasted into the secret are the usual causes).'
    )
  }
  return token
}

function parseBoolean(input: InputName, value: string, p: Platform): boolean {
  const text = value.trim().toLowerCase()
  if (text === 'true') return true
  if (text === 'false') return false
  throw invalid(input, `${p.setting(input)} is "${value.trim()}"; use true or false.`)
}

function parseTimeout(value: string, notes: Note[], p: Platform): number {
  const text = value.trim()
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) {
    throw invalid(
      'timeout-seconds',
      `${p.setting('timeout-seconds')} is "${text}"; use a positive number of seconds, e.g. 30.`
    )
  }
  const seconds = Number(text)
  if (seconds > MAX_TIMEOUT_SECONDS) {
    notes.push({ code: 'timeout-capped', given: text, cap: MAX_TIMEOUT_SECONDS })
    return MAX_TIMEOUT_SECONDS
  }
  return seconds
}

function parseRetries(value: string, notes: Note[], p: Platform): number {
  const text = value.trim()
  if (!/^\d+$/.test(text)) {
    throw invalid(
      'retries',
      `${p.setting('retries')} is "${text}"; use a whole number from 0 to ${MAX_RETRIES}, e.g. 2.`
    )
  }
  const retries = Number(text)
  if (retries > MAX_RETRIES) {
    notes.push({ code: 'retries-capped', given: text, cap: MAX_RETRIES })
    return MAX_RETRIES
  }
  return retries
}

function parseDays(input: InputName, value: string, p: Platform): number {
  const text = value.trim()
  if (!/^\d+$/.test(text)) {
    throw invalid(
      input,
      `${p.setting(input)} is "${text}"; use a whole number of days, e.g. 14 (0 turns it off).`
    )
  }
  return Number(text)
}

function parseChoice<T extends string>(
  input: InputName,
  value: string,
  choices: readonly T[],
  p: Platform
): T {
  const text = value.trim().toLowerCase()
  if ((choices as readonly string[]).includes(text)) return text as T
  throw invalid(
    input,
    `${p.setting(input)} is "${value.trim()}"; use one of ${choices.join(', ')}.`,
    choices[0]
  )
}

function parsePolicyCodes(value: string, p: Platform): PolicyCode[] {
  const codes = parseList('token-policy-ignore', value, p).map((code) => code.toLowerCase())
  for (const code of codes) {
    if (!(POLICY_CODES as readonly string[]).includes(code)) {
      const near = POLICY_CODES.find((known) => known.startsWith(code.slice(0, 4)))
      throw invalid(
        'token-policy-ignore',
        `${p.setting('token-policy-ignore')} has "${code}", which is no finding code. The codes are ${POLICY_CODES.join(', ')}.`,
        near
      )
    }
  }
  return codes as PolicyCode[]
}

/** Splits a comma- or newline-separated list, dropping blanks. */
function parseList(input: InputName, value: string, p: Platform): string[] {
  const items = value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
  for (const item of items) rejectUnexpanded(input, item, p)
  return [...new Set(items)]
}

function parsePermissions(value: string, p: Platform): string[] {
  const keys = parseList('required-permissions', value, p).map((key) => key.toUpperCase())
  for (const key of keys) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) {
      throw invalid(
        'required-permissions',
        `${p.setting('required-permissions')} has "${key}", which is not a Jira permission key. Keys look like ` +
          'BROWSE_PROJECTS or TRANSITION_ISSUES, separated by commas or new lines.'
      )
    }
  }
  return [...new Set(keys)]
}

function parseProject(value: string, p: Platform): string {
  if (!value) return ''
  rejectUnexpanded('project', value, p)
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value) && !/^\d+$/.test(value)) {
    throw invalid(
      'project',
      `${p.setting('project')} is "${value}"; use a project key such as ABC (letters, digits and _, starting with a letter) or a numeric project id.`
    )
  }
  return /^\d+$/.test(value) ? value : value.toUpperCase()
}

function parseText(input: InputName, value: string, p: Platform): string {
  if (value) rejectUnexpanded(input, value, p)
  return value
}

function parseDate(value: string, p: Platform): Date | undefined {
  if (!value) return undefined
  rejectUnexpanded('token-expires-on', value, p)
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(
    value
  )
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value)
  if (
    (!dateOnly && !dateTime) ||
    Number.isNaN(date.getTime()) ||
    (dateOnly && date.toISOString().slice(0, 10) !== value)
  ) {
    throw invalid(
      'token-expires-on',
      `${p.setting('token-expires-on')} is "${value}"; use an ISO date such as 2027-03-31 (or 2027-03-31T12:00:00Z).`
    )
  }
  return date
}
