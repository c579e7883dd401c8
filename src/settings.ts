import * as core from '@actions/core'
import type { Failure } from './findings.js'

/** The inputs as the runner hands them over, before any validation. */
export interface RawInputs {
  domain: string
  token: string
  username: string
  timeoutSeconds: string
  retries: string
  allowInsecureHttp: string
  summary: string
  expectedUser: string
  requiredPermissions: string
  project: string
  tokenName: string
  tokenExpiresOn: string
  expiryWarningDays: string
  expiryErrorDays: string
}

export interface Settings {
  /** Normalised base URL with any context path and no trailing slash. */
  readonly baseUrl: string
  readonly token: string
  readonly username: string
  readonly authScheme: 'bearer' | 'basic'
  readonly timeoutSeconds: number
  readonly retries: number
  readonly allowInsecureHttp: boolean
  readonly summary: boolean
  readonly expectedUsers: readonly string[]
  readonly requiredPermissions: readonly string[]
  readonly project: string
  readonly tokenName: string
  /** From `token-expires-on`, for tokens whose expiry Jira does not expose. */
  readonly tokenExpiresOn?: Date
  readonly expiryWarningDays: number
  readonly expiryErrorDays: number
}

export interface Note {
  level: 'notice' | 'warning'
  message: string
}

export const MAX_RETRIES = 10
export const MAX_TIMEOUT_SECONDS = 600

/** An input that cannot be used; becomes a missing-input or invalid-input failure. */
export class InputError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.evidence.detail)
    this.name = 'InputError'
  }
}

function invalid(input: string, detail: string, suggestion?: string): InputError {
  return new InputError({ code: 'invalid-input', evidence: { input, detail, suggestion } })
}

function missing(input: string, detail: string): InputError {
  return new InputError({ code: 'missing-input', evidence: { input, detail } })
}

/** Reads every input, falling back to the documented environment variables. */
export function readRawInputs(env: NodeJS.ProcessEnv = process.env): RawInputs {
  const get = (name: string): string => core.getInput(name)
  return {
    domain: get('domain') || env.JIRA_DOMAIN?.trim() || '',
    token: get('token') || env.JIRA_PAT?.trim() || '',
    username: get('username') || env.JIRA_USERNAME?.trim() || '',
    timeoutSeconds: get('timeout-seconds') || '30',
    retries: get('retries') || '2',
    allowInsecureHttp: get('allow-insecure-http') || 'false',
    summary: get('summary') || 'true',
    expectedUser: get('expected-user'),
    requiredPermissions: get('required-permissions'),
    project: get('project'),
    tokenName: get('token-name'),
    tokenExpiresOn: get('token-expires-on'),
    expiryWarningDays: get('expiry-warning-days') || '14',
    expiryErrorDays: get('expiry-error-days') || '0'
  }
}

/**
 * Every value that could reveal a secret, for masking before anything else runs: the raw token,
 * each whitespace-separated piece of it (the runner masks line by line), the value without a
 * pasted "Bearer " prefix or wrapping quotes, the Basic credential derived from it, and a password
 * written into `domain`. An unexpanded `${{ … }}` or `$VAR` is not a secret: masking it would
 * blank out the very fix the error message shows.
 */
export function secretsToMask(
  raw: Pick<RawInputs, 'token' | 'username'> & { domain?: string }
): string[] {
  const values = new Set<string>()
  for (const password of urlPasswords(raw.domain ?? '')) values.add(password)
  const token = raw.token.trim()
  const username = unquote(raw.username.trim())
  const bare = stripBearer(unquote(token)).token
  // Only the word "Bearer" and no token: nothing secret, and masking "Bearer" would blank the logs.
  if (!token || !bare || isUnexpanded(token, username !== '')) return [...values]
  values.add(raw.token)
  values.add(token)
  values.add(bare)
  // The runner masks a multi-line secret line by line; mask each piece of a token that (wrongly)
  // holds whitespace too. Short pieces are skipped so that common words do not vanish from logs.
  for (const piece of bare.split(/\s+/)) if (piece.length >= 8) values.add(piece)
  if (username) values.add(basicCredential(username, bare))
  return [...values].filter((value) => value.length > 0)
}

/** base64(username:secret), the Basic credential: the one place it is derived. */
export function basicCredential(username: string, secret: string): string {
  return Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')
}

/** A password in a URL (https://user:pw@host), as written and decoded. */
function urlPasswords(value: string): string[] {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@:]*:([^/?#@]*)@/.exec(value.trim())
  if (!match || !match[1]) return []
  let decoded = match[1]
  try {
    decoded = decodeURIComponent(match[1])
  } catch {
    // A raw "%": the value as written is what would leak.
  }
  return [...new Set([match[1], decoded])]
}

/** A value wrapped in one pair of matching quotes, a common copy mistake, without them. */
function unquote(value: string): string {
  const match = /^(["'])([\s\S]*)\1$/.exec(value)
  return match ? match[2].trim() : value
}

/**
 * Never a real credential: a workflow expression or a shell variable that nobody expanded. With
 * Basic auth the value may be a password, and `$Winter2026` is a plausible one, so there only the
 * upper-case names that environment variables use count as unexpanded.
 */
function isUnexpanded(value: string, basic: boolean): boolean {
  return (
    UNEXPANDED_EXPRESSION.test(value) || (basic ? UPPER_SHELL_VARIABLE : SHELL_VARIABLE).test(value)
  )
}

function stripBearer(token: string): { token: string; stripped: boolean } {
  const match = /^bearer(?:\s+|$)/i.exec(token)
  return match
    ? { token: token.slice(match[0].length), stripped: true }
    : { token, stripped: false }
}

const UNEXPANDED_EXPRESSION = /\$\{\{/
const SHELL_VARIABLE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/
const UPPER_SHELL_VARIABLE = /^\$\{?[A-Z_][A-Z0-9_]*\}?$/
/** A shell variable anywhere in a value, e.g. https://$HOST/jira. */
const EMBEDDED_SHELL_VARIABLE = /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/

/**
 * Real tokens are 44 characters (Data Center PAT) to a few hundred (Cloud API token); OAuth access
 * tokens run to about 2,000. Tomcat, in front of every Data Center, refuses headers over 8 KiB by
 * default, so a longer value is not a token: more likely a file or several secrets pasted together.
 */
export const MAX_TOKEN_LENGTH = 4096

function rejectUnexpanded(input: string, value: string, shellVariable = SHELL_VARIABLE): void {
  if (UNEXPANDED_EXPRESSION.test(value)) {
    throw invalid(
      input,
      `\`${input}\` contains "\${{", so a workflow expression was never expanded. ` +
        `Expressions work in \`with:\` and \`env:\` values, e.g. \`${input}: \${{ secrets.JIRA_PAT }}\`; ` +
        'they are not expanded inside a value that was already a string (a quoted secret, a file, a script).'
    )
  }
  if (shellVariable.test(value)) {
    throw invalid(
      input,
      `\`${input}\` is the literal text "${value.replace(/[{}]/g, '')}", a shell variable that was never ` +
        'expanded: the runner does not expand `$VAR` in `with:` values. ' +
        `Use an expression instead, e.g. \`${input}: \${{ env.${value.replace(/[${}]/g, '')} }}\` or \${{ secrets.… }}.`
    )
  }
}

interface CharacterRules {
  /** A Basic password may hold spaces. */
  spaces?: boolean
  /** A Basic password and a user name are UTF-8 inside base64, so any letter is fine there. */
  nonAscii?: boolean
  /** false: a quote is a copy mistake (in a Bearer token). */
  quotes?: boolean
}

/** Names a character that has no place in a URL or a header, without echoing the value. */
function describeBadCharacter(
  value: string,
  allow: CharacterRules = {}
): { index: number; name: string } | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029)
      return { index, name: 'a line break' }
    if (code === 0x09) return { index, name: 'a tab' }
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
      return { index, name: `the control character U+${hex(code)}` }
    if (code === 0x20 && !allow.spaces) return { index, name: 'a space' }
    // No token has quotes in it (PATs are base64, Cloud tokens base64url, OAuth tokens JWTs): a
    // stray one is left over from copying a quoted value.
    if ((code === 0x22 || code === 0x27) && allow.quotes === false)
      return { index, name: `a quote (${value[index]})` }
    if (code > 0x7e && !allow.nonAscii)
      return { index, name: `the non-ASCII character U+${hex(code)}` }
  }
  return undefined
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0')
}

/** Parses and validates every input. Throws InputError before any request is made. */
export function parseSettings(raw: RawInputs, notes: Note[] = []): Settings {
  const domain = withoutQuotes('domain', raw.domain.trim(), notes)
  const token = withoutQuotes('token', raw.token.trim(), notes)
  if (!domain)
    throw missing('domain', missingText('domain', 'JIRA_DOMAIN', 'https://jira.example.com'))
  if (!token) throw missing('token', missingText('token', 'JIRA_PAT', '${{ secrets.JIRA_PAT }}'))

  const allowInsecureHttp = parseBoolean('allow-insecure-http', raw.allowInsecureHttp)
  const baseUrl = normaliseDomain(domain, allowInsecureHttp, notes)
  const username = parseUsername(withoutQuotes('username', raw.username.trim(), notes))
  const cleanToken = parseToken(token, username !== '', notes)

  return Object.freeze({
    baseUrl,
    token: cleanToken,
    username,
    authScheme: username ? 'basic' : 'bearer',
    timeoutSeconds: parseTimeout(raw.timeoutSeconds, notes),
    retries: parseRetries(raw.retries, notes),
    allowInsecureHttp,
    summary: parseBoolean('summary', raw.summary),
    expectedUsers: Object.freeze(parseList('expected-user', raw.expectedUser)),
    requiredPermissions: Object.freeze(parsePermissions(raw.requiredPermissions)),
    project: parseProject(raw.project.trim()),
    tokenName: parseTokenName(raw.tokenName.trim()),
    tokenExpiresOn: parseDate(raw.tokenExpiresOn.trim()),
    expiryWarningDays: parseDays('expiry-warning-days', raw.expiryWarningDays),
    expiryErrorDays: parseDays('expiry-error-days', raw.expiryErrorDays)
  } satisfies Settings)
}

/** Strips one pair of wrapping quotes, with a warning: they come from a copy, never from Jira. */
function withoutQuotes(input: string, value: string, notes: Note[]): string {
  const clean = unquote(value)
  if (clean !== value) {
    notes.push({
      level: 'warning',
      message: `\`${input}\` was wrapped in quotes; they were removed. Store the value without quotes (in YAML, \`${input}: \${{ … }}\` needs none).`
    })
  }
  return clean
}

function missingText(input: string, variable: string, example: string): string {
  return (
    `\`${input}\` is empty, and so is the ${variable} environment variable it falls back to. ` +
    `Set it in the step, e.g. \`${input}: ${example}\`. If it comes from a secret, the secret was ` +
    'empty here: GitHub gives no secrets to workflows triggered from forks, Dependabot runs only see ' +
    'Dependabot secrets, and an environment secret is only in scope in a job that names that `environment:`.'
  )
}

export function normaliseDomain(value: string, allowInsecureHttp: boolean, notes: Note[]): string {
  rejectUnexpanded('domain', value)
  const variable = EMBEDDED_SHELL_VARIABLE.exec(value)
  if (variable) {
    throw invalid(
      'domain',
      `\`domain\` contains "${variable[0]}", a shell variable that was never expanded: the runner does ` +
        'not expand `$VAR` in `with:` values. Use an expression such as `${{ vars.JIRA_DOMAIN }}`.'
    )
  }
  const bad = describeBadCharacter(value)
  if (bad) {
    throw invalid(
      'domain',
      `\`domain\` contains ${bad.name} at position ${bad.index + 1}. A Jira base URL is plain ASCII ` +
        'such as https://jira.example.com; retype it rather than copying it from a document ' +
        '(look-alike letters from other alphabets are a common cause).'
    )
  }
  let text = value
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)
  if (!scheme) {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)/.test(text)) {
      throw invalid(
        'domain',
        `\`domain\` "${value}" is not an http(s) URL.`,
        'https://jira.example.com'
      )
    }
    text = `https://${text}`
  }
  rejectBadPort(value, text)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid(
      'domain',
      `\`domain\` "${value}" is not a valid URL` +
        (/^https?:\/\/[0-9a-f]*:[0-9a-f:]*:/i.test(text)
          ? '. An IPv6 address must be in brackets, e.g. https://[2001:db8::1]:8443.'
          : '.'),
      'https://jira.example.com'
    )
  }
  const protocol = url.protocol
  const origin = `${protocol}//${url.host}`
  const page = pagePath(url)
  // The base URL the user most likely meant: no credentials, no query or fragment, no page path.
  const base = `${origin}${page ? page.base : trimPath(url.pathname)}`
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw invalid(
      'domain',
      `\`domain\` uses ${protocol.replace(':', '')}://; Jira's REST API is served over https://.`,
      `https://${url.host}${page ? page.base : trimPath(url.pathname)}`
    )
  }
  if (url.username || url.password) {
    throw invalid(
      'domain',
      '`domain` contains credentials (user:password@). Pass the token in `token` (and the ' +
        'account in `username` for Jira Cloud), never in the URL.',
      base
    )
  }
  if (url.search || url.hash) {
    throw invalid(
      'domain',
      `\`domain\` has a ${url.search ? 'query string' : 'fragment'}${page ? ` and the page path "${page.path}"` : ''}; give only the Jira base URL.`,
      base
    )
  }
  if (page) {
    throw invalid(
      'domain',
      `\`domain\` includes the path "${page.path}"; give the Jira base URL ` +
        (page.cloud
          ? '(Jira Cloud has no context path: just the site) and the action adds the REST path itself.'
          : '(with its context path, if any) and the action adds the REST path itself.'),
      base
    )
  }
  if (protocol === 'http:' && !allowInsecureHttp) {
    throw invalid(
      'domain',
      '`domain` uses http://, which would send the token in clear text. Use https://, or set ' +
        '`allow-insecure-http: true` if this really is a trusted network.',
      `https://${url.host}${trimPath(url.pathname)}`
    )
  }
  if (!scheme) notes.push({ level: 'notice', message: `\`domain\` has no scheme; using ${base}.` })
  if (protocol === 'http:') {
    notes.push({
      level: 'warning',
      message: 'allow-insecure-http is on: the token travels in clear text to ' + url.host + '.'
    })
  }
  return base
}

/** Port 0 is not a port, and the URL parser accepts it; above 65535 it fails with a vague message. */
function rejectBadPort(value: string, text: string): void {
  const port =
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?=[/?#]|$)/.exec(
      text
    )?.[1]
  if (port === undefined) return
  const number = Number(port)
  if (number >= 1 && number <= 65535) return
  throw invalid(
    'domain',
    `\`domain\` "${value}" has port ${port}; a port is a number from 1 to 65535 (HTTPS is 443, often left out; Jira's own default is 8080).`,
    text.replace(`:${port}`, '')
  )
}

/**
 * Paths of Jira pages and APIs, which people copy from the browser: everything from them on is
 * not part of the base URL. Jira Cloud has no context path at all, so there any path is a page.
 */
const PAGE_PATH =
  /\/(?:rest(?:\/|$)|secure\/|browse(?:\/|$)|projects\/[^/]|plugins\/servlet\/|servicedesk\/|issues(?:\/|$)|login\.jsp|logout(?:\/|$)|[^/]+\.jspa(?:$|[/?#]))/i

function pagePath(url: URL): { path: string; base: string; cloud: boolean } | undefined {
  const pathname = url.pathname
  if (isCloudHost(url.hostname)) {
    return trimPath(pathname) ? { path: pathname, base: '', cloud: true } : undefined
  }
  const at = pathname.search(PAGE_PATH)
  if (at < 0) return undefined
  return { path: pathname.slice(at), base: trimPath(pathname.slice(0, at)), cloud: false }
}

/** Jira Cloud sites: <site>.atlassian.net, and older <site>.jira.com. */
export function isCloudHost(hostname: string): boolean {
  return /\.(atlassian\.net|jira\.com)$/i.test(hostname)
}

function trimPath(pathname: string): string {
  return pathname.replace(/\/+$/, '')
}

function parseUsername(value: string): string {
  if (!value) return ''
  rejectUnexpanded('username', value)
  const bad = describeBadCharacter(value, { nonAscii: true })
  if (bad) {
    throw invalid('username', `\`username\` contains ${bad.name} at position ${bad.index + 1}.`)
  }
  if (value.includes(':')) {
    throw invalid(
      'username',
      '`username` contains ":", which Basic auth cannot carry. For Jira Cloud use the account email, ' +
        'e.g. ci-bot@example.com, and put the API token in `token`.'
    )
  }
  return value
}

function parseToken(value: string, basic: boolean, notes: Note[]): string {
  rejectUnexpanded('token', value, basic ? UPPER_SHELL_VARIABLE : SHELL_VARIABLE)
  const { token, stripped } = stripBearer(value)
  if (stripped) {
    notes.push({
      level: 'warning',
      message:
        '`token` starts with "Bearer "; the action adds that itself, so it was removed. Store only the token in the secret.'
    })
  }
  if (!token || /^bearer$/i.test(token))
    throw missing('token', '`token` holds only the word "Bearer" and no token.')
  if (token.length > MAX_TOKEN_LENGTH) {
    throw invalid(
      'token',
      `\`token\` is ${token.length} characters long. Jira tokens are 44 (a Data Center PAT) to a few hundred ` +
        `characters (a Cloud API token); anything over ${MAX_TOKEN_LENGTH} is something else, such as a whole file ` +
        'or several values pasted into one secret. Put only the token in the secret.'
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
      `\`token\` contains ${bad.name} at position ${bad.index + 1} of ${token.length}. A token is a ` +
        `single line of ${basic ? 'text' : 'ASCII'}: re-copy it from Jira and update the secret (a stray newline or a ` +
        'second value pasted into the secret are the usual causes).'
    )
  }
  return token
}

function parseBoolean(input: string, value: string): boolean {
  const text = value.trim().toLowerCase()
  if (text === 'true') return true
  if (text === 'false') return false
  throw invalid(input, `\`${input}\` is "${value.trim()}"; use true or false.`)
}

function parseTimeout(value: string, notes: Note[]): number {
  const text = value.trim()
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) {
    throw invalid(
      'timeout-seconds',
      `\`timeout-seconds\` is "${text}"; use a positive number of seconds, e.g. 30.`
    )
  }
  const seconds = Number(text)
  if (seconds > MAX_TIMEOUT_SECONDS) {
    notes.push({
      level: 'warning',
      message: `timeout-seconds ${text} is more than ${MAX_TIMEOUT_SECONDS}; using ${MAX_TIMEOUT_SECONDS}.`
    })
    return MAX_TIMEOUT_SECONDS
  }
  return seconds
}

function parseRetries(value: string, notes: Note[]): number {
  const text = value.trim()
  if (!/^\d+$/.test(text)) {
    throw invalid(
      'retries',
      `\`retries\` is "${text}"; use a whole number from 0 to ${MAX_RETRIES}, e.g. 2.`
    )
  }
  const retries = Number(text)
  if (retries > MAX_RETRIES) {
    notes.push({
      level: 'warning',
      message: `retries ${text} is more than ${MAX_RETRIES}; using ${MAX_RETRIES}. Retrying harder does not help a token that does not work.`
    })
    return MAX_RETRIES
  }
  return retries
}

function parseDays(input: string, value: string): number {
  const text = value.trim()
  if (!/^\d+$/.test(text)) {
    throw invalid(
      input,
      `\`${input}\` is "${text}"; use a whole number of days, e.g. 14 (0 turns it off).`
    )
  }
  return Number(text)
}

/** Splits a comma- or newline-separated list, dropping blanks. */
function parseList(input: string, value: string): string[] {
  const items = value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
  for (const item of items) rejectUnexpanded(input, item)
  return [...new Set(items)]
}

function parsePermissions(value: string): string[] {
  const keys = parseList('required-permissions', value).map((key) => key.toUpperCase())
  for (const key of keys) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) {
      throw invalid(
        'required-permissions',
        `\`required-permissions\` has "${key}", which is not a Jira permission key. Keys look like ` +
          'BROWSE_PROJECTS or TRANSITION_ISSUES, separated by commas or new lines.'
      )
    }
  }
  return [...new Set(keys)]
}

function parseProject(value: string): string {
  if (!value) return ''
  rejectUnexpanded('project', value)
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value) && !/^\d+$/.test(value)) {
    throw invalid(
      'project',
      `\`project\` is "${value}"; use a project key such as ABC (letters, digits and _, starting with a letter) or a numeric project id.`
    )
  }
  return /^\d+$/.test(value) ? value : value.toUpperCase()
}

function parseTokenName(value: string): string {
  if (value) rejectUnexpanded('token-name', value)
  return value
}

function parseDate(value: string): Date | undefined {
  if (!value) return undefined
  rejectUnexpanded('token-expires-on', value)
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
      `\`token-expires-on\` is "${value}"; use an ISO date such as 2027-03-31 (or 2027-03-31T12:00:00Z).`
    )
  }
  return date
}
