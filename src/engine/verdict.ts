/**
 * The probes' answers → the verdict: who the token belongs to, the gates (identity, permissions,
 * expiry), the status, and what was noticed along the way. Built once, never patched afterwards.
 */
import {
  classifyFailure,
  isScopeMismatch,
  parseMyself,
  parsePatList,
  parsePermissions,
  parseServerInfo,
  parseTokenAnswer,
  type PatListResult,
  responseEvidence
} from './classify.js'
import { expiryLevel, expiryOfDate, expiryOfToken, pickToken, type TokenPick } from './expiry.js'
import { describeOutcome } from './jira/client.js'
import { describeScopes } from './jira/scopes.js'
import { ADMIN_PERMISSIONS, evaluatePolicy, type PolicyFinding } from './policy.js'
import type { Context, Failure, Note, ScopedProbe } from './findings.js'
import { tokenShape } from './findings.js'
import type { ProbeResult } from './jira/client.js'
import type { JiraUser, PatToken, PermissionResult, ServerInfo, TokenExpiry } from './jira/types.js'
import type { ProbeAnswers } from './probes.js'
import { isCloudHost } from './settings/domain.js'
import { hasPermissionGate, type Settings } from './settings/parse.js'
import { untrusted } from './untrusted.js'

/** What the credential turned out to be (the `credential-kind` output). */
export type CredentialKind =
  | 'pat'
  | 'bearer-token'
  | 'password'
  | 'api-token'
  | 'scoped-api-token'
  | 'oauth-client-credentials'

/** The access token a client-credentials exchange obtained: masked as soon as it arrived. */
export interface ObtainedToken {
  readonly token: string
  /** ISO 8601, when the token endpoint said how long it lives. */
  readonly expiresAt?: string
}

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
  /** Known once Jira (or the token endpoint) accepted the credential. */
  readonly credentialKind?: CredentialKind
  /** The base URL later REST calls must use: the site, or the gateway when only it works. */
  readonly apiBaseUrl?: string
  readonly cloudId?: string
  readonly accessToken?: ObtainedToken
  /** The account is a service account (Cloud: accountType app and appType service). */
  readonly serviceAccount?: boolean
  /** Token hygiene findings; undefined with token-policy off or when the check stopped early. */
  readonly policy?: readonly PolicyFinding[]
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
export function describeIdentity(user: JiraUser, serviceAccount = false): string {
  const id = untrusted(user.name || user.accountId || user.key || '?')
  const email = user.emailAddress ? `, ${untrusted(user.emailAddress)}` : ''
  const kind = serviceAccount ? 'service account ' : ''
  return `${kind}${user.displayName ? untrusted(user.displayName) : id} (${id}${email})`
}

/** A Cloud service account: accountType app with appType service, or its reserved e-mail domain. */
export function isServiceAccount(user: JiraUser): boolean {
  return (
    (user.accountType === 'app' && user.appType === 'service') ||
    /@serviceaccount\.atlassian\.com$/i.test(user.emailAddress ?? '')
  )
}

/**
 * What the accepted credential is. Nothing in a Cloud API token tells scoped from classic: the
 * route tells it, as only the gateway takes a scoped one. A PAT has a shape of its own.
 */
function credentialKind(settings: Settings, answers: ProbeAnswers): CredentialKind {
  switch (settings.authScheme) {
    case 'client-credentials':
      return 'oauth-client-credentials'
    case 'basic':
      if (answers.viaGateway) return 'scoped-api-token'
      return answers.cloud ? 'api-token' : 'password'
    case 'bearer': {
      const shape = tokenShape(settings.token)
      if (answers.viaGateway)
        return shape === 'cloud-api-token' ? 'scoped-api-token' : 'bearer-token'
      return shape === 'data-center-pat' ? 'pat' : 'bearer-token'
    }
  }
}

/** The scopes failure for a probe the gateway refused, naming the probes that ran. */
function scopeFailure(
  probe: ScopedProbe,
  answer: ProbeResult,
  answers: ProbeAnswers
): Failure | undefined {
  if (!isScopeMismatch(answer) || answer.outcome.kind !== 'response') return undefined
  const ran: ScopedProbe[] = ['myself']
  if (answers.permissions) ran.push('permissions')
  return {
    code: 'insufficient-scope',
    response: responseEvidence(answer, answer.outcome),
    probe,
    ran
  }
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
  const notes: Note[] = []
  const cloudId = answers.cloudId ?? (settings.cloudId || undefined)
  const where: Context = {
    ...known,
    ...(cloudId && { cloudId }),
    ...(answers.viaGateway && { viaGateway: true })
  }
  const myself = answers.myself ?? answers.exchange
  const base = {
    notes,
    httpStatus:
      answers.myself?.outcome.kind === 'response' ? answers.myself.outcome.status : undefined,
    server,
    context: where,
    ...(cloudId && { cloudId })
  }
  const failed = (failure: Failure, extra: Partial<CheckResult> = {}): CheckResult => ({
    ...base,
    ...extra,
    status: 'failed',
    failure
  })

  // Client credentials: the exchange comes first, and proves the client id and secret.
  let accessToken: ObtainedToken | undefined
  if (answers.exchange) {
    const platform = answers.cloud ? 'cloud' : 'data-center'
    const parsed = parseTokenAnswer(answers.exchange, platform)
    if (!parsed.ok) return failed(parsed.failure)
    const { expiresIn } = parsed.value
    accessToken = {
      token: parsed.value.token,
      ...(expiresIn !== undefined && {
        expiresAt: new Date(now.getTime() + expiresIn * 1000).toISOString()
      })
    }
  }
  const accepted = {
    ...(accessToken && { accessToken, credentialKind: credentialKind(settings, answers) }),
    ...(accessToken && answers.myself && { apiBaseUrl: answers.apiBase })
  }
  if (!myself || (answers.exchange && !answers.myself)) {
    // The exchange worked, but the gateway needs the site's cloudId and nobody said it.
    return failed(
      {
        code: 'missing-input',
        input: 'cloud-id',
        detail: `The client credentials work, but the gateway needs the site's cloudId and ${answers.gateway?.skipped ?? 'it is unknown'}.`
      },
      accepted
    )
  }

  const scopes = scopeFailure('myself', myself, answers)
  if (scopes) {
    // Only the gateway checks scopes, and it knew the credential: it is one the gateway takes.
    return failed(scopes, {
      ...accepted,
      credentialKind: credentialKind(settings, { ...answers, viaGateway: true })
    })
  }
  if (answers.siteMyself && !answers.viaGateway) {
    // The site refused, and so did the gateway: report the site's answer, and that both were tried.
    const failure = classifyFailure(answers.siteMyself)
    return failed(
      failure.code === 'unauthorized' && answers.gateway
        ? { ...failure, gateway: answers.gateway }
        : failure
    )
  }
  const myselfAnswer = parseMyself(myself)
  if (!myselfAnswer.ok) {
    const { failure } = myselfAnswer
    if (answers.gateway?.skipped && failure.code === 'unauthorized') {
      notes.push({ code: 'cloud-id-unknown', reason: answers.gateway.skipped })
    }
    // Data Center service accounts may not be principals /myself answers for (unverified).
    const dataCenter = !answers.cloud
    if (
      accessToken &&
      dataCenter &&
      (failure.code === 'unauthorized' || failure.code === 'forbidden')
    ) {
      return identityUnread(settings, answers, failure, { ...base, ...accepted }, notes)
    }
    return failed(failure, accepted)
  }
  const { user, json: identityJson } = myselfAnswer.value
  const serviceAccount = settings.authScheme === 'client-credentials' || isServiceAccount(user)
  const identified = {
    ...accepted,
    user,
    identityJson,
    credentialKind: credentialKind(settings, answers),
    apiBaseUrl: answers.apiBase,
    ...(serviceAccount && { serviceAccount })
  }
  if (user.active === false) notes.push({ code: 'account-inactive' })
  if (answers.viaGateway && !settings.gateway && settings.authScheme === 'basic') {
    notes.push({ code: 'gateway-only', gatewayUrl: answers.apiBase })
  }

  const mismatch = checkIdentity(user, settings.expectedUsers)
  if (mismatch) return failed(mismatch, identified)

  let permissions: PermissionResult[] | undefined
  const gate = hasPermissionGate(settings)
  if (answers.permissions && gate) {
    const permissionScopes = scopeFailure('permissions', answers.permissions, answers)
    if (permissionScopes) return failed(permissionScopes, identified)
    const parsed = parsePermissions(
      answers.permissions,
      settings.requiredPermissions,
      settings.project
    )
    if (!parsed.ok) return failed(parsed.failure, identified)
    permissions = parsed.value
  }
  const found = { ...identified, permissions }
  const admin = adminRights(settings, answers.permissions, notes)

  const cloud = answers.cloud || server?.deploymentType === 'Cloud' || isCloudHost(known.host ?? '')
  // The PAT list is parsed and its token picked once: the expiry and the policy read the same pick.
  const listed = answers.tokens ? pickedList(answers.tokens, settings.tokenName) : undefined
  const patList = listed?.kind === 'tokens' ? listed.tokens : undefined
  const picked = listed?.kind === 'tokens' ? listed.pick : undefined
  const expiry = findExpiry(settings, listed, now, notes, cloud)
  if ('code' in expiry) return failed(expiry, found)
  const policy =
    settings.tokenPolicy === 'off'
      ? undefined
      : evaluatePolicy(
          settings,
          {
            user,
            expiry,
            tokens: patList,
            inUse: picked?.kind === 'picked' ? picked.token : undefined,
            admin,
            cloud,
            classicApiToken: found.credentialKind === 'api-token',
            host: known.host ?? ''
          },
          now
        )
  const complete = {
    ...found,
    expiry,
    ...(patList && { patList }),
    ...(policy && { policy })
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
  // The other gates come first: a token that fails one of them is not worth a hygiene report.
  if (settings.tokenPolicy === 'fail' && policy && policy.length > 0) {
    return failed({ code: 'token-policy', findings: policy }, complete)
  }
  return { ...base, ...complete, status: level === 'warning' ? 'warning' : 'ok' }
}

/**
 * The administrator permissions the account holds, from the mypermissions answer the policy rode
 * on. When that answer cannot say (a refusal, a scope the token lacks), a note says the check was
 * not made; it never fails the check, which did not ask for it.
 */
function adminRights(
  settings: Settings,
  answer: ProbeResult | undefined,
  notes: Note[]
): string[] | undefined {
  if (settings.tokenPolicy === 'off' || settings.tokenPolicyIgnore.includes('admin-rights'))
    return undefined
  if (!answer) return undefined
  const parsed = parsePermissions(answer, ADMIN_PERMISSIONS, '')
  if (!parsed.ok) {
    const reason = isScopeMismatch(answer)
      ? `the token lacks the scope ${describeScopes('permissions')}`
      : `mypermissions answered ${describeOutcome(answer.outcome)}`
    notes.push({ code: 'admin-rights-unknown', reason })
    return undefined
  }
  return parsed.value.filter((permission) => permission.granted).map((permission) => permission.key)
}

/** The PAT list as parsed, with the token the check is taken to use; `url` for token-not-found. */
type PickedList = { url: string } & (
  | Exclude<PatListResult, { kind: 'tokens' }>
  | { kind: 'tokens'; tokens: PatToken[]; pick: TokenPick }
)

function pickedList(probe: ProbeResult, tokenName: string): PickedList {
  const list = parsePatList(probe)
  return list.kind === 'tokens'
    ? { ...list, url: probe.url, pick: pickToken(list.tokens, tokenName) }
    : { ...list, url: probe.url }
}

function findExpiry(
  settings: Settings,
  list: PickedList | undefined,
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
  if (!list) {
    return fromInput() ?? { unknownBecause: noExpiryBecause(settings, cloud) }
  }
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
  const { pick } = list
  if (pick.kind === 'not-found') {
    return {
      code: 'token-not-found',
      url: list.url,
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

/** Why there is no expiry to show, when the check had nothing to read it from. */
function noExpiryBecause(settings: Settings, cloud: boolean): string {
  if (settings.authScheme === 'client-credentials') {
    return 'client credentials have no expiry that Jira exposes (the access token obtained is short-lived by design)'
  }
  if (cloud) return 'Jira Cloud exposes no expiry for API tokens'
  return settings.authScheme === 'basic' ? 'Jira exposes no expiry for passwords' : 'not checked'
}

/**
 * The token endpoint accepted the client credentials, but Jira refused /myself as the access
 * token: that proves the credentials, not whose they are. A gate that needs the identity fails
 * rather than passing on an identity nobody read; without one, the check passes with a warning.
 */
function identityUnread(
  settings: Settings,
  answers: ProbeAnswers,
  failure: Failure,
  base: Omit<CheckResult, 'status'>,
  notes: Note[]
): CheckResult {
  const response = 'response' in failure && failure.response ? failure.response : undefined
  const permissionsRefused =
    answers.permissions !== undefined &&
    !(answers.permissions.outcome.kind === 'response' && answers.permissions.outcome.status === 200)
  const gates: Failure & { code: 'identity-unverified' } = {
    code: 'identity-unverified',
    response: response ?? { status: 0 },
    gates: [
      ...(settings.expectedUsers.length > 0 ? (['expected-user'] as const) : []),
      ...(permissionsRefused
        ? settings.requiredPermissions.length > 0
          ? (['required-permissions'] as const)
          : (['project'] as const)
        : [])
    ]
  }
  if (gates.gates.length > 0) return { ...base, status: 'failed', failure: gates }
  let permissions: PermissionResult[] | undefined
  if (answers.permissions) {
    const parsed = parsePermissions(
      answers.permissions,
      settings.requiredPermissions,
      settings.project
    )
    if (!parsed.ok) return { ...base, status: 'failed', failure: parsed.failure }
    permissions = parsed.value
    const lacking = permissions.filter((permission) => !permission.granted)
    if (lacking.length > 0) {
      return {
        ...base,
        permissions,
        status: 'failed',
        failure: {
          code: 'missing-permissions',
          url: answers.permissions.url,
          ...(settings.project && { project: settings.project }),
          missing: lacking.filter((p) => !p.unknown).map((p) => p.key),
          unknown: lacking.filter((p) => p.unknown).map((p) => p.key)
        }
      }
    }
  }
  notes.push({ code: 'identity-unread', ...(response && { status: response.status }) })
  return {
    ...base,
    ...(permissions && { permissions }),
    serviceAccount: true,
    expiry: { unknownBecause: noExpiryBecause(settings, answers.cloud) },
    status: 'warning'
  }
}
