/**
 * The rotation, for the rotate action: check → create → verify → write the secret → revoke the old
 * token, built so that nothing is lost. At every step the secret holds a token that works: the old
 * one until GitHub has acknowledged the new one, and the old one is revoked only after that. A
 * step that fails takes back what this run created, unless taking it back could break the secret.
 *
 * One deadline (timeout-seconds) bounds the run; the forward steps stop a reserve short of it, so
 * that undoing a half-done rotation always has time left.
 */
import { checkToken } from '../check-token.js'
import type { Platform } from '../diagnosis/platform.js'
import type { Failure, Note } from '../findings.js'
import { createClient, type JiraRequest, type Logger } from '../jira/client.js'
import { PATHS } from '../jira/endpoints.js'
import type { ProxyEnv } from '../jira/proxy.js'
import type { JiraUser } from '../jira/types.js'
import {
  parseRotateSettings,
  type RotateSettings,
  type SecretTarget
} from '../settings/rotate-parse.js'
import type { RawRotateSettings } from '../settings/rotate-schema.js'
import { describeIdentity, type CheckResult } from '../verdict.js'
import { currentToken, decide, nameClashes, tokenRef } from './decide.js'
import type {
  AnyFailure,
  Cleanup,
  Decision,
  GithubEvidence,
  PublicKey,
  RotateResult,
  RotationContext,
  RotationEvent,
  RotationFailure,
  RotationStep,
  RotationWarning,
  Rollback,
  SecretInfo,
  SecretStore,
  TokenRef
} from './findings.js'
import { createToken, listTokens, revokeToken, sameUser, whoIs } from './jira-tokens.js'
import { writeSecret } from './write.js'

export interface RotateDeps {
  platform: Platform
  proxyEnv: ProxyEnv
  log: Logger
  userAgent: string
  /** When the process started: timeout-seconds counts from there. */
  startedAt: number
  now?: () => Date
  /** Notes the front-end made before the run. */
  notes?: readonly Note[]
  /** Masks a secret; called with the new token the moment Jira returns it. */
  mask: (secret: string) => void
  /** GitHub, for the one secret. */
  openStore: (target: SecretTarget, githubToken: string) => Promise<SecretStore>
  onEvent?: (event: RotationEvent) => void
  onDeadline?: (deadlineAt: number) => void
  /** Clients to use instead of the real ones (tests): the forward steps', and undoing's. */
  request?: JiraRequest
  cleanupRequest?: JiraRequest
  sleep?: (ms: number) => Promise<void>
}

export interface RotateOutcome {
  result: RotateResult
  /** Undefined when the settings themselves were refused. */
  settings?: RotateSettings
}

/** How much of the deadline the forward steps leave for undoing: a third, at most 15 s. */
export function undoReserveMs(timeoutSeconds: number): number {
  return Math.min(15_000, (timeoutSeconds * 1000) / 3)
}

export async function rotateToken(
  raw: RawRotateSettings,
  deps: RotateDeps
): Promise<RotateOutcome> {
  const earlier = deps.notes ?? []
  const parsed = parseRotateSettings(raw, deps.platform)
  if (!parsed.ok) {
    const result: RotateResult = {
      status: 'failed',
      step: 'inputs',
      failure: parsed.failure,
      warnings: [],
      notes: [...earlier, ...parsed.notes],
      dryRun: false,
      rotated: false,
      oldRevoked: false,
      context: {}
    }
    return { result }
  }
  const { settings } = parsed
  const deadlineAt = deps.startedAt + settings.jira.timeoutSeconds * 1000
  deps.onDeadline?.(deadlineAt)
  const forwardAt = deadlineAt - undoReserveMs(settings.jira.timeoutSeconds)
  const client = (at: number): JiraRequest =>
    createClient({
      baseUrl: settings.jira.baseUrl,
      authorization: `Bearer ${settings.jira.token}`,
      userAgent: deps.userAgent,
      deadlineAt: at,
      retries: settings.jira.retries,
      proxyEnv: deps.proxyEnv,
      log: deps.log
    })
  const rotation = new Rotation(settings, deps, {
    forward: deps.request ?? client(forwardAt),
    undo: deps.cleanupRequest ?? client(deadlineAt),
    forwardAt,
    deadlineAt
  })
  return { result: await rotation.run(earlier), settings }
}

interface Clients {
  /** Bounded by the forward deadline. */
  forward: JiraRequest
  /** Bounded by the whole deadline: undoing, and the steps after the secret was written. */
  undo: JiraRequest
  forwardAt: number
  deadlineAt: number
}

/** What the check step found, for the steps after it. */
interface Checked {
  check: CheckResult
  user: JiraUser
  old: TokenRef & { id: number }
  decision: Decision
  /** Token ids that existed before this run created anything. */
  before: Set<number>
}

interface Github {
  store: SecretStore
  key: PublicKey
  record: SecretInfo
}

type Ending = Pick<RotateResult, 'status' | 'step'> &
  Partial<Pick<RotateResult, 'failure' | 'created' | 'oldRevoked' | 'rotated' | 'confirmedBy'>>

class Rotation {
  private context: RotationContext
  private notes: Note[] = []
  private warnings: RotationWarning[] = []
  private check?: CheckResult
  private decision?: Decision

  constructor(
    private readonly settings: RotateSettings,
    private readonly deps: RotateDeps,
    private readonly clients: Clients
  ) {
    this.context = {
      secret: settings.secret,
      tokenName: settings.tokenName,
      newTokenName: settings.newTokenName,
      expirationDays: settings.expirationDays,
      revokeOld: settings.revokeOld
    }
  }

  private event(event: RotationEvent): void {
    this.deps.onEvent?.(event)
  }

  private end(ending: Ending): RotateResult {
    return {
      failure: undefined,
      rotated: false,
      oldRevoked: false,
      ...ending,
      warnings: this.warnings,
      notes: this.notes,
      check: this.check,
      decision: this.decision,
      dryRun: this.settings.dryRun,
      context: this.context
    }
  }

  private failed(step: RotationStep, failure: AnyFailure): RotateResult {
    return this.end({ status: 'failed', step, failure })
  }

  async run(earlier: readonly Note[]): Promise<RotateResult> {
    const checked = await this.checkStep(earlier)
    if ('status' in checked) return checked
    if (checked.decision.reason === 'not-due' && !this.settings.dryRun) {
      return this.end({ status: 'ok', step: 'check' })
    }
    const github = await this.githubStep()
    if ('status' in github) return github
    if (this.settings.dryRun) return this.end({ status: 'ok', step: 'check' })
    return this.rotate(checked, github)
  }

  /** Step 1: the engine's check, the current token by name, the decision. */
  private async checkStep(earlier: readonly Note[]): Promise<Checked | RotateResult> {
    const { settings, deps } = this
    const { result: check } = await checkToken(settings.checkRaw, {
      platform: deps.platform,
      proxyEnv: deps.proxyEnv,
      log: deps.log,
      userAgent: deps.userAgent,
      startedAt: deps.startedAt,
      now: deps.now,
      notes: earlier,
      request: this.clients.forward
    })
    this.check = check
    this.notes = [...check.notes]
    this.context = { ...check.context, ...this.context }
    if (check.user) this.context.user = describeIdentity(check.user)
    if (check.failure) return this.failed('check', check.failure)
    if (!check.patList || !check.user) {
      return this.failed('check', {
        code: 'rotation-unsupported',
        reason: check.expiry?.unknownBecause ?? 'the token list could not be read'
      })
    }
    const current = currentToken(check.patList, settings.tokenName)
    if (current.kind === 'many') {
      return this.failed('check', {
        code: 'token-name-ambiguous',
        tokenName: settings.tokenName,
        tokens: current.tokens.map(tokenRef)
      })
    }
    // The check fails with token-not-found first; this is the net under it.
    if (current.kind === 'none' || current.token.id === undefined) {
      return this.failed('check', this.listWithoutId())
    }
    const old = { ...tokenRef(current.token), id: current.token.id }
    this.context.old = old
    const clashes = nameClashes(
      check.patList,
      settings.newTokenName,
      current.token,
      settings.revokeOld
    )
    if (clashes.length > 0) {
      return this.failed('check', {
        code: 'new-token-name-taken',
        newTokenName: settings.newTokenName,
        tokens: clashes.map(tokenRef)
      })
    }
    const decision = decide(check.expiry ?? {}, settings.rotateWithinDays)
    this.decision = decision
    this.event({ kind: 'checked', check, old, decision, dryRun: settings.dryRun })
    const before = new Set(
      check.patList.flatMap((token) => (token.id === undefined ? [] : [token.id]))
    )
    return { check, user: check.user, old, decision, before }
  }

  private listWithoutId(): Failure {
    return {
      code: 'unexpected-response',
      response: { status: 200, url: `${this.settings.jira.baseUrl}${PATHS.tokens}` },
      detail: `the token list has no numeric id for "${this.settings.tokenName}", so it could not be revoked later`
    }
  }

  /** Still step 1: GitHub can be read, and the secret exists, before anything is created. */
  private async githubStep(): Promise<Github | RotateResult> {
    const { secret, githubToken } = this.settings
    const store = await this.deps.openStore(secret, githubToken)
    const key = await store.publicKey(this.clients.forwardAt)
    if (!key.ok) return this.failed('check', githubFailure(key.evidence, false))
    const info = await store.secretInfo(this.clients.forwardAt)
    if (!info.ok) return this.failed('check', githubFailure(info.evidence, true))
    this.event({ kind: 'github-ready', secret, updatedAt: info.value.updatedAt })
    return { store, key: key.value, record: info.value }
  }

  /** Steps 2 to 5. */
  private async rotate(checked: Checked, github: Github): Promise<RotateResult> {
    const { settings, deps, clients } = this
    // Step 2: create, once.
    const created = await createToken(
      clients.forward,
      settings.newTokenName,
      settings.expirationDays,
      deps.mask
    )
    if (created.kind === 'refused') return this.failed('create', created.failure)
    if (created.kind === 'lost') {
      const cleanup = await this.cleanUp(checked.before)
      return this.failed('create', { code: 'token-create-failed', cause: created.cause, cleanup })
    }
    const { token, raw } = created
    this.event({ kind: 'created', token })

    // Step 3: the new token works, for the same account.
    const who = await whoIs(clients.forward, raw)
    if (!who.ok) {
      const rollback = await this.takeBack(token)
      return this.failed('verify', { code: 'new-token-rejected', cause: who.cause, rollback })
    }
    if (!sameUser(checked.user, who.user)) {
      const rollback = await this.takeBack(token)
      return this.failed('verify', {
        code: 'new-token-user-mismatch',
        expected: describeIdentity(checked.user),
        actual: describeIdentity(who.user),
        rollback
      })
    }
    this.event({ kind: 'verified', user: describeIdentity(who.user) })

    // Step 4: the secret.
    const verdict = await writeSecret({
      store: github.store,
      value: raw,
      key: github.key,
      before: github.record,
      attempts: settings.jira.retries + 1,
      deadlineAt: clients.forwardAt,
      settleDeadlineAt: clients.deadlineAt,
      now: Date.now,
      sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      onRetry: (attempt, of, evidence) =>
        this.event({ kind: 'write-retry', attempt, of, github: evidence })
    })
    if (verdict.kind === 'not-written') {
      const rollback = await this.takeBack(token)
      const failure: RotationFailure = {
        code: 'secret-write-failed',
        github: verdict.github,
        rollback,
        ...(verdict.settledByRecord && { settledByRecord: true })
      }
      return this.failed('write', failure)
    }
    if (verdict.kind === 'unknown') {
      // Either token may be in the secret: revoking either could break it, so both stay.
      return this.failed('write', {
        code: 'secret-write-unknown',
        github: verdict.github,
        created: token,
        record: verdict.record
      })
    }
    this.event({ kind: 'written', secret: settings.secret, confirmedBy: verdict.confirmedBy })
    const done = { rotated: true, created: token, confirmedBy: verdict.confirmedBy }

    // Step 5: the old token, only now.
    if (!settings.revokeOld) {
      this.event({ kind: 'kept-old', token: checked.old })
      return this.end({ status: 'ok', step: 'revoke', ...done })
    }
    const revoked = await this.revokeOld(checked.old, raw)
    return this.end({
      status: revoked ? 'ok' : 'warning',
      step: 'revoke',
      ...done,
      oldRevoked: revoked
    })
  }

  /** Jira answers 204 whatever it deleted, so the list with the new token confirms it. */
  private async revokeOld(old: TokenRef & { id: number }, raw: string): Promise<boolean> {
    const auth = { authorization: `Bearer ${raw}` }
    const revoked = await revokeToken(this.clients.undo, old.id, auth)
    if (!revoked.ok) {
      this.warnings.push({ code: 'old-token-not-revoked', old, cause: revoked.cause })
      return false
    }
    const listed = await listTokens(this.clients.undo, auth)
    if (listed.ok && listed.tokens.some((token) => token.id === old.id)) {
      this.warnings.push({ code: 'old-token-not-revoked', old })
      return false
    }
    this.event({ kind: 'revoked', token: old, role: 'old' })
    return true
  }

  /** Revokes a token this run created, with the old token (the new one may not work). */
  private async takeBack(token: TokenRef): Promise<Rollback> {
    if (token.id === undefined) return { token, revoked: false }
    const revoked = await revokeToken(this.clients.undo, token.id)
    if (revoked.ok) this.event({ kind: 'revoked', token, role: 'new' })
    return revoked.ok ? { token, revoked: true } : { token, revoked: false, cause: revoked.cause }
  }

  /**
   * After a create whose answer was lost: any token of the new name that was not listed before
   * was made by this run, and nobody holds its value. Revoke it.
   */
  private async cleanUp(before: Set<number>): Promise<Cleanup> {
    const listed = await listTokens(this.clients.undo)
    if (!listed.ok) return { listed: false, found: [] }
    const found: Cleanup['found'] = []
    for (const token of listed.tokens) {
      if (token.name !== this.settings.newTokenName) continue
      if (token.id === undefined || before.has(token.id)) continue
      const revoked = await revokeToken(this.clients.undo, token.id)
      found.push({ ...tokenRef(token), revoked: revoked.ok })
      if (revoked.ok) this.event({ kind: 'revoked', token: tokenRef(token), role: 'stray' })
    }
    return { listed: true, found }
  }
}

/** A GitHub read at the check step that failed: which code says what to do about it. */
function githubFailure(evidence: GithubEvidence, secretRead: boolean): RotationFailure {
  const github = evidence
  if (evidence.status === 401) return { code: 'github-unauthorized', github }
  if (evidence.status === 403) return { code: 'github-forbidden', github }
  if (evidence.status === 404) {
    return secretRead ? { code: 'secret-not-found', github } : { code: 'github-not-found', github }
  }
  return { code: 'github-error', github }
}
