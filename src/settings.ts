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
 * Every value that could reveal the token, for masking before anything else runs: the raw value,
 * each whitespace-separated piece of it (the runner masks line by line), the value without a
 * pasted "Bearer " prefix, and the Basic credential derived from it.
 */
export function secretsToMask(raw: Pick<RawInputs, 'token' | 'username'>): string[] {
  const values = new Set<string>()
  const token = raw.token.trim()
  if (!token) return []
  const bare = stripBearer(token).token
  // Only the word "Bearer" and no token: nothing secret, and masking "Bearer" would blank the logs.
  if (!bare) return []
  values.add(raw.token)
  values.add(token)
  values.add(bare)
  // The runner masks a multi-line secret line by line; mask each piece of a token that (wrongly)
  // holds whitespace too. Short pieces are skipped so that common words do not vanish from logs.
  for (const piece of bare.split(/\s+/)) if (piece.length >= 8) values.add(piece)
  if (raw.username.trim()) {
    const credential = Buffer.from(`${raw.username.trim()}:${bare}`, 'utf8').toString('base64')
    values.add(credential)
  }
  return [...values].filter((value) => value.length > 0)
}

function stripBearer(token: string): { token: string; stripped: boolean } {
  const match = /^bearer(?:\s+|$)/i.exec(token)
  return match
    ? { token: token.slice(match[0].length), stripped: true }
    : { token, stripped: false }
}

const UNEXPANDED_EXPRESSION = /\$\{\{/
const SHELL_VARIABLE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/

function rejectUnexpanded(input: string, value: string): void {
  if (UNEXPANDED_EXPRESSION.test(value)) {
    throw invalid(
      input,
      `\`${input}\` contains "\${{", so a workflow expression was never expanded. ` +
        `Expressions work in \`with:\` and \`env:\` values, e.g. \`${input}: \${{ secrets.JIRA_PAT }}\`; ` +
        'they are not expanded inside a value that was already a string (a quoted secret, a file, a script).'
    )
  }
  if (SHELL_VARIABLE.test(value)) {
    throw invalid(
      input,
      `\`${input}\` is the literal text "${value.replace(/[{}]/g, '')}", a shell variable that was never ` +
        'expanded: the runner does not expand `$VAR` in `with:` values. ' +
        `Use an expression instead, e.g. \`${input}: \${{ env.${value.replace(/[${}]/g, '')} }}\` or \${{ secrets.… }}.`
    )
  }
}

/** Names a character that has no place in a URL or a header, without echoing the value. */
function describeBadCharacter(value: string): { index: number; name: string } | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code === 0x0a || code === 0x0d) return { index, name: 'a line break' }
    if (code === 0x09) return { index, name: 'a tab' }
    if (code === 0x20) return { index, name: 'a space' }
    if (code < 0x20 || code === 0x7f) return { index, name: `the control character U+${hex(code)}` }
    if (code > 0x7e) return { index, name: `the non-ASCII character U+${hex(code)}` }
  }
  return undefined
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0')
}

/** Parses and validates every input. Throws InputError before any request is made. */
export function parseSettings(raw: RawInputs, notes: Note[] = []): Settings {
  const domain = raw.domain.trim()
  const token = raw.token.trim()
  if (!domain)
    throw missing('domain', missingText('domain', 'JIRA_DOMAIN', 'https://jira.example.com'))
  if (!token) throw missing('token', missingText('token', 'JIRA_PAT', '${{ secrets.JIRA_PAT }}'))

  const allowInsecureHttp = parseBoolean('allow-insecure-http', raw.allowInsecureHttp)
  const baseUrl = normaliseDomain(domain, allowInsecureHttp, notes)
  const username = parseUsername(raw.username.trim())
  const cleanToken = parseToken(token, notes)

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
  const variable = /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/.exec(value)
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
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw invalid(
      'domain',
      `\`domain\` uses ${protocol.replace(':', '')}://; Jira's REST API is served over https://.`,
      `https://${url.host}${trimPath(url.pathname)}`
    )
  }
  const base = `${protocol}//${url.host}${trimPath(url.pathname)}`
  if (url.username || url.password) {
    if (url.password) core.setSecret(decodeURIComponent(url.password))
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
      '`domain` has a query string or fragment; give only the base URL.',
      base
    )
  }
  const restAt = url.pathname.search(/\/(rest|secure|browse|plugins\/servlet)\/|\/login\.jsp/i)
  if (restAt >= 0) {
    const suggestion = `${protocol}//${url.host}${trimPath(url.pathname.slice(0, restAt))}`
    throw invalid(
      'domain',
      `\`domain\` includes the path "${url.pathname.slice(restAt)}"; give the Jira base URL ` +
        '(with its context path, if any) and the action adds the REST path itself.',
      suggestion
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

function trimPath(pathname: string): string {
  return pathname.replace(/\/+$/, '')
}

function parseUsername(value: string): string {
  if (!value) return ''
  rejectUnexpanded('username', value)
  const bad = describeBadCharacter(value.replace(/[^\p{ASCII}]/gu, 'a'))
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

function parseToken(value: string, notes: Note[]): string {
  rejectUnexpanded('token', value)
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
  const bad = describeBadCharacter(token)
  if (bad) {
    throw invalid(
      'token',
      `\`token\` contains ${bad.name} at position ${bad.index + 1} of ${token.length}. A token is a ` +
        'single line of ASCII: re-copy it from Jira and update the secret (a stray newline or a ' +
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
