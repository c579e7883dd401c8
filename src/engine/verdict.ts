/**
 * The probes' answers → the verdict: who the token belongs to, the gates (identity, permissions,
 * expiry), the status, and what was noticed along the way. Built once, never patched afterwards.
 */
import { parseMyself, parsePatList, parsePermissions, parseServerInfo } from './classify.js'
import { expiryLevel, expiryOfDate, expiryOfToken, pickToken } from './expiry.js'
import type { Context, Failure, Note } from './findings.js'
import { tokenShape } from './findings.js'
import type { ProbeResult } from './jira/client.js'
import type { JiraUser, PatToken, PermissionResult, ServerInfo, TokenExpiry } from './jira/types.js'
import type { ProbeAnswers } from './probes.js'
import { isCloudHost } from './settings/domain.js'
import type { Settings } from './settings/parse.js'
import { untrusted } from './untrusted.js'

export interface CheckResult {
  readonly status: 'ok' | 'warning' | 'failed'
  readonly failure?: Failure
  readonly notes: readonly Note[]
  /** The status /myself answered with, if it answered. */
  readonly httpStatus?: number
  readonly user?: JiraUser
  /** /myself as compact JSON, for the `identity` output. */
  readonly identityJson?: string
  readonly server?: ServerInfo
  readonly expiry?: TokenExpiry
  /** The account's PAT list as Jira sent it (names raw, not neutralised), when it could be read. */
  readonly patList?: readonly PatToken[]
  readonly permissions?: readonly PermissionResult[]
  readonly context: Context
}

/** A result for a failure before or outside the check: bad input, or a bug. */
export function failedResult(
  failure: Failure,
  notes: readonly Note[] = [],
  context: Context = {}
): CheckResult {
  return { status: 'failed', failure, notes, context }
}

export function contextOf(settings: Settings, proxy?: string): Context {
  const url = new URL(settings.baseUrl)
  return {
    baseUrl: settings.baseUrl,
    host: url.hostname,
    origin: url.origin,
    contextPath: url.pathname.replace(/\/+$/, ''),
    authScheme: settings.authScheme,
    tokenLength: settings.token.length,
    tokenShape: tokenShape(settings.token),
    timeoutSeconds: settings.timeoutSeconds,
    retries: settings.retries,
    ...(proxy && { proxy })
  }
}

/** The identities a user can be named by: DC name and key, email, Cloud accountId. */
export function identityKeys(user: JiraUser): string[] {
  return [user.name, user.key, user.emailAddress ?? undefined, user.accountId]
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .map((value) => value.toLowerCase())
}

/** "CI Bot (ci-bot, ci-bot@example.com)": every part neutralised, since users choose their own names. */
export function describeIdentity(user: JiraUser): string {
  const id = untrusted(user.name || user.accountId || user.key || '?')
  const email = user.emailAddress ? `, ${untrusted(user.emailAddress)}` : ''
  return `${user.displayName ? untrusted(user.displayName) : id} (${id}${email})`
}

function checkIdentity(user: JiraUser, expected: readonly string[]): Failure | undefined {
  if (expected.length === 0) return undefined
  const keys = identityKeys(user)
  if (expected.some((entry) => keys.includes(entry.toLowerCase()))) return undefined
  return { code: 'identity-mismatch', actual: describeIdentity(user), expected: [...expected] }
}

/** The verdict, from the settings, the answers and the time. */
export function verdict(
  settings: Settings,
  answers: ProbeAnswers,
  now: Date,
  context: Context
): CheckResult {
  const server = parseServerInfo(answers.serverInfo)
  const known: Context = {
    ...context,
    // Both end up in sentences ("This Jira is 8.13.0; ..."): neutralised like every Jira value.
    ...(server?.deploymentType !== undefined && {
      deploymentType: untrusted(server.deploymentType, 40)
    }),
    ...(server?.version !== undefined && { serverVersion: untrusted(server.version, 60) })
  }
  const { myself } = answers
  const notes: Note[] = []
  const base = {
    notes,
    httpStatus: myself.outcome.kind === 'response' ? myself.outcome.status : undefined,
    server,
    context: known
  }
  const failed = (failure: Failure, extra: Partial<CheckResult> = {}): CheckResult => ({
    ...base,
    ...extra,
    status: 'failed',
    failure
  })

  const myselfAnswer = parseMyself(myself)
  if (!myselfAnswer.ok) return failed(myselfAnswer.failure)
  const { user, json: identityJson } = myselfAnswer.value
  const identified = { user, identityJson }
  if (user.active === false) notes.push({ code: 'account-inactive' })

  const mismatch = checkIdentity(user, settings.expectedUsers)
  if (mismatch) return failed(mismatch, identified)

  let permissions: PermissionResult[] | undefined
  if (answers.permissions) {
    const parsed = parsePermissions(
      answers.permissions,
      settings.requiredPermissions,
      settings.project
    )
    if (!parsed.ok) return failed(parsed.failure, identified)
    permissions = parsed.value
  }
  const found = { ...identified, permissions }

  const cloud = server?.deploymentType === 'Cloud' || isCloudHost(known.host ?? '')
  const expiry = findExpiry(settings, answers.tokens, now, notes, cloud)
  if ('code' in expiry) return failed(expiry, found)
  const listed = answers.tokens ? parsePatList(answers.tokens) : undefined
  const complete = {
    ...found,
    expiry,
    ...(listed?.kind === 'tokens' && { patList: listed.tokens })
  }

  const lacking = permissions?.filter((permission) => !permission.granted) ?? []
  if (lacking.length > 0) {
    return failed(
      {
        code: 'missing-permissions',
        url: answers.permissions?.url,
        ...(settings.project && { project: settings.project }),
        missing: lacking.filter((p) => !p.unknown).map((p) => p.key),
        unknown: lacking.filter((p) => p.unknown).map((p) => p.key)
      },
      complete
    )
  }

  const level = expiryLevel(expiry, settings.expiryWarningDays, settings.expiryErrorDays)
  if (level === 'error' && expiry.daysLeft !== undefined && expiry.expiresAt !== undefined) {
    return failed(
      {
        code: 'token-expiring',
        daysLeft: expiry.daysLeft,
        expiresAt: expiry.expiresAt,
        ...(expiry.name !== undefined && { tokenName: untrusted(expiry.name, 60) })
      },
      complete
    )
  }
  if (expiry.matchedBy === 'input' && expiry.daysLeft !== undefined && expiry.daysLeft < 0) {
    notes.push({ code: 'expiry-date-in-past', date: expiry.expiresAt?.slice(0, 10) ?? '' })
  }
  return { ...base, ...complete, status: level === 'warning' ? 'warning' : 'ok' }
}

function findExpiry(
  settings: Settings,
  tokens: ProbeResult | undefined,
  now: Date,
  notes: Note[],
  cloud: boolean
): TokenExpiry | Failure {
  if (settings.tokenName && cloud) notes.push({ code: 'token-name-on-cloud' })
  else if (settings.tokenName && settings.authScheme === 'basic')
    notes.push({ code: 'token-name-with-basic' })
  const fromInput = (): TokenExpiry | undefined =>
    settings.tokenExpiresOn
      ? expiryOfDate(settings.tokenExpiresOn, now, { matchedBy: 'input' })
      : undefined
  if (settings.tokenExpiresOn && !settings.tokenName) return fromInput()!
  if (!tokens) {
    return (
      fromInput() ?? {
        unknownBecause:
          settings.authScheme === 'basic'
            ? 'Jira exposes no expiry for API tokens or passwords'
            : 'not checked'
      }
    )
  }
  const list = parsePatList(tokens)
  if (list.kind === 'failed') {
    if (settings.tokenName) return list.failure
    notes.push({ code: 'pat-list-unreadable' })
    return { unknownBecause: 'the token list could not be read' }
  }
  if (list.kind === 'unavailable') {
    const given = fromInput()
    if (given) return given
    // On Cloud, token-name-on-cloud already said it; the missing PAT API is no news there.
    if ((settings.tokenName && !cloud) || !list.expected) {
      notes.push({
        code: 'pat-list-unavailable',
        reason: list.reason,
        tokenName: !!settings.tokenName
      })
    }
    return { unknownBecause: list.reason }
  }
  const pick = pickToken(list.tokens, settings.tokenName)
  if (pick.kind === 'not-found') {
    return {
      code: 'token-not-found',
      url: tokens.url,
      tokenName: settings.tokenName,
      available: pick.names.map((name) => untrusted(name, 60))
    }
  }
  if (pick.kind === 'none')
    return { unknownBecause: 'the account has no personal access tokens listed' }
  const name = untrusted(pick.token.name, 60)
  if (pick.matchedBy === 'guess')
    notes.push({ code: 'token-guessed', count: list.tokens.length, name })
  if (pick.namesakes > 1) notes.push({ code: 'token-namesakes', count: pick.namesakes, name })
  return expiryOfToken(pick.token, pick.matchedBy, now)
}
