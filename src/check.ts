import type { Context, Failure } from './findings.js'
import { tokenShape } from './findings.js'
import type { JiraGet, ProbeResult } from './jira/client.js'
import type { JiraUser, PermissionResult, ServerInfo, TokenExpiry } from './jira/types.js'
import type { Note, Settings } from './settings.js'
import { parseMyself, parsePatList, parsePermissions, parseServerInfo } from './classify.js'
import { expiryLevel, expiryOfDate, expiryOfToken, pickToken } from './expiry.js'
import { untrusted } from './untrusted.js'

export const PATHS = {
  myself: '/rest/api/2/myself',
  serverInfo: '/rest/api/2/serverInfo',
  tokens: '/rest/pat/latest/tokens',
  myPermissions: '/rest/api/2/mypermissions'
} as const

export interface CheckResult {
  status: 'ok' | 'warning' | 'failed'
  failure?: Failure
  notes: Note[]
  httpStatus?: number
  user?: JiraUser
  /** /myself as compact JSON, for the `identity` output. */
  identityJson?: string
  server?: ServerInfo
  expiry?: TokenExpiry
  permissions?: PermissionResult[]
  context: Context
}

export interface CheckDeps {
  get: JiraGet
  now: () => Date
}

export function permissionsPath(
  settings: Pick<Settings, 'requiredPermissions' | 'project'>
): string {
  const query = new URLSearchParams()
  if (settings.project)
    query.set(/^\d+$/.test(settings.project) ? 'projectId' : 'projectKey', settings.project)
  // Cloud answers 400 without `permissions`; Data Center ignores it and lists every key.
  const keys =
    settings.requiredPermissions.length > 0 ? settings.requiredPermissions : ['BROWSE_PROJECTS']
  query.set('permissions', keys.join(','))
  return `${PATHS.myPermissions}?${query.toString()}`
}

/**
 * Runs the probes. With Bearer they go out as one concurrent wave: a bad PAT cannot lock the
 * account (the PAT filter never counts failed logins), so the whole check costs one round trip.
 * With Basic, /myself goes alone first: every failed Basic login counts toward Jira's CAPTCHA lockout.
 * serverInfo needs no login, so it is always sent without credentials.
 */
export async function runCheck(settings: Settings, deps: CheckDeps): Promise<CheckResult> {
  const wantPermissions = settings.requiredPermissions.length > 0 || settings.project !== ''
  const wantTokens =
    settings.authScheme === 'bearer' && !(settings.tokenExpiresOn && !settings.tokenName)
  const serverInfo = (): Promise<ProbeResult> => deps.get(PATHS.serverInfo, { anonymous: true })
  const context = baseContext(settings)

  let myself: ProbeResult
  let server: ProbeResult | undefined
  let tokens: ProbeResult | undefined
  let permissions: ProbeResult | undefined
  if (settings.authScheme === 'bearer') {
    ;[myself, server, tokens, permissions] = await Promise.all([
      deps.get(PATHS.myself),
      serverInfo(),
      wantTokens ? deps.get(PATHS.tokens) : undefined,
      wantPermissions ? deps.get(permissionsPath(settings)) : undefined
    ])
  } else {
    myself = await deps.get(PATHS.myself)
    const accepted = myself.outcome.kind === 'response' && myself.outcome.status === 200
    const answered = myself.outcome.kind === 'response'
    ;[server, permissions] = await Promise.all([
      // After a refused login, serverInfo (anonymous) still tells Cloud from Data Center for the diagnosis.
      answered ? serverInfo() : undefined,
      accepted && wantPermissions ? deps.get(permissionsPath(settings)) : undefined
    ])
  }

  const serverInfoValue = parseServerInfo(server)
  // Both end up in sentences ("This Jira is 8.13.0; ..."): neutralised like every Jira value.
  context.deploymentType =
    serverInfoValue?.deploymentType === undefined
      ? undefined
      : untrusted(serverInfoValue.deploymentType, 40)
  context.serverVersion =
    serverInfoValue?.version === undefined ? undefined : untrusted(serverInfoValue.version, 60)
  const result: CheckResult = {
    status: 'ok',
    notes: [],
    httpStatus: myself.outcome.kind === 'response' ? myself.outcome.status : undefined,
    server: serverInfoValue,
    context
  }
  const fail = (failure: Failure): CheckResult => ({ ...result, status: 'failed', failure })

  const myselfAnswer = parseMyself(myself)
  if (!myselfAnswer.ok) return fail(myselfAnswer.failure)
  const user = myselfAnswer.value.user
  result.user = user
  result.identityJson = myselfAnswer.value.json
  if (user.active === false) {
    result.notes.push({
      level: 'warning',
      message:
        'Jira says this account is not active ("active": false), yet it answered as it. Check the account in Jira user management before relying on it.'
    })
  }

  const mismatch = checkIdentity(user, settings.expectedUsers)
  if (mismatch) return fail(mismatch)

  if (permissions) {
    const parsed = parsePermissions(permissions, settings.requiredPermissions, settings.project)
    if (!parsed.ok) return fail(parsed.failure)
    result.permissions = parsed.value
  }

  const expiry = findExpiry(settings, tokens, deps.now(), result.notes, isCloudAnswer(result))
  if ('code' in expiry) return fail(expiry)
  result.expiry = expiry

  const missing = result.permissions?.filter((permission) => !permission.granted) ?? []
  if (missing.length > 0) {
    return fail({
      code: 'missing-permissions',
      evidence: {
        url: permissions ? permissions.url : undefined,
        project: settings.project || undefined,
        missingPermissions: missing.filter((p) => !p.unknown).map((p) => p.key),
        unknownPermissions: missing.filter((p) => p.unknown).map((p) => p.key)
      }
    })
  }

  const level = expiryLevel(expiry, settings.expiryWarningDays, settings.expiryErrorDays)
  if (level === 'error') {
    return fail({
      code: 'token-expiring',
      evidence: {
        daysLeft: expiry.daysLeft,
        expiresAt: expiry.expiresAt,
        tokenName: expiry.name === undefined ? undefined : untrusted(expiry.name, 60)
      }
    })
  }
  if (level === 'warning') result.status = 'warning'
  if (expiry.daysLeft !== undefined && expiry.daysLeft < 0) {
    result.notes.push({
      level: 'warning',
      message: `token-expires-on (${expiry.expiresAt?.slice(0, 10)}) is in the past, yet Jira accepted the token. Update the input to the token's real expiry.`
    })
  }
  return result
}

function isCloudAnswer(result: CheckResult): boolean {
  return (
    result.server?.deploymentType === 'Cloud' ||
    /\.atlassian\.net$/i.test(result.context.host ?? '')
  )
}

function baseContext(settings: Settings): Context {
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
    retries: settings.retries
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
  return {
    code: 'identity-mismatch',
    evidence: { actualIdentity: describeIdentity(user), expected: [...expected] }
  }
}

function findExpiry(
  settings: Settings,
  tokens: ProbeResult | undefined,
  now: Date,
  notes: Note[],
  cloud: boolean
): TokenExpiry | Failure {
  if (settings.tokenName && (cloud || settings.authScheme === 'basic')) {
    notes.push({
      level: 'warning',
      message: cloud
        ? '`token-name` is set, but Jira Cloud has no list of API tokens to find it in, so it was not checked. Set `token-expires-on` to the expiry Atlassian showed when the token was made.'
        : '`token-name` is set, but with `username` the token is sent as a Basic password, not as a personal access token, so there is no PAT to look up. Set `token-expires-on` to track its expiry.'
    })
  }
  if (settings.tokenExpiresOn && !settings.tokenName) {
    return expiryOfDate(settings.tokenExpiresOn, now, { matchedBy: 'input' })
  }
  if (!tokens) {
    if (settings.tokenExpiresOn)
      return expiryOfDate(settings.tokenExpiresOn, now, { matchedBy: 'input' })
    return {
      unknownBecause:
        settings.authScheme === 'basic'
          ? 'Jira exposes no expiry for API tokens or passwords; set `token-expires-on` to track it'
          : 'not checked'
    }
  }
  const list = parsePatList(tokens)
  if (list.kind === 'failed') {
    if (settings.tokenName) return list.failure
    notes.push({
      level: 'warning',
      message: `Could not read the token list, so the expiry is unknown.`
    })
    return { unknownBecause: 'the token list could not be read' }
  }
  if (list.kind === 'unavailable') {
    if (settings.tokenExpiresOn)
      return expiryOfDate(settings.tokenExpiresOn, now, { matchedBy: 'input' })
    if (settings.tokenName) {
      notes.push({
        level: 'warning',
        message: `\`token-name\` is set, but ${list.reason}: the name could not be checked and the expiry is unknown.`
      })
    } else if (!list.expected) {
      notes.push({
        level: 'warning',
        message: `The token's expiry is unknown: ${list.reason}. The token itself works.`
      })
    }
    return { unknownBecause: list.reason }
  }
  const pick = pickToken(list.tokens, settings.tokenName)
  if (pick.kind === 'not-found') {
    return {
      code: 'token-not-found',
      evidence: {
        url: tokens.url,
        tokenName: settings.tokenName,
        availableTokenNames: pick.names.map((name) => untrusted(name, 60))
      }
    }
  }
  if (pick.kind === 'none')
    return { unknownBecause: 'the account has no personal access tokens listed' }
  if (pick.matchedBy === 'guess') {
    notes.push({
      level: 'notice',
      message:
        `The account has ${list.tokens.length} tokens; assuming "${untrusted(pick.token.name, 60)}" (the most recently used) is this one. ` +
        'Jira records use only once a minute, so this is a guess: set `token-name` to be sure.'
    })
  }
  if (pick.namesakes > 1) {
    notes.push({
      level: 'warning',
      message:
        `${pick.namesakes} tokens of this account are named "${untrusted(pick.token.name, 60)}"; the expiry shown is that of the one that expires first. ` +
        'Give each token its own name, and revoke the ones no longer used.'
    })
  }
  return expiryOfToken(pick.token, pick.matchedBy, now)
}
