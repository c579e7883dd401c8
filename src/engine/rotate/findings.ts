/**
 * Every way a rotation can end, as data, like findings.ts for the check. A rotation failure carries
 * the evidence of its code and, once anything was created, what became of it: the catalogue
 * (diagnosis/rotation.ts) turns that into the step, the state things were left in, and what to do.
 */
import type { CheckResult } from '../verdict.js'
import type { Context, Failure, Note, ResponseEvidence } from '../findings.js'
import type { SecretTarget } from '../settings/rotate-parse.js'

/** The five steps, in order. */
export const ROTATION_STEPS = ['check', 'create', 'verify', 'write', 'revoke'] as const
export type RotationStep = (typeof ROTATION_STEPS)[number]

/**
 * The rotation's own codes. The check step reports the check's codes (unauthorized, token-not-found,
 * timeout, ...), and bad inputs missing-input and invalid-input, as the check does.
 */
export const ROTATION_ERROR_CODES = [
  'rotation-unsupported',
  'token-name-ambiguous',
  'new-token-name-taken',
  'github-unauthorized',
  'github-forbidden',
  'github-not-found',
  'secret-not-found',
  'github-error',
  'token-lifetime-too-long',
  'token-create-refused',
  'token-create-failed',
  'new-token-rejected',
  'new-token-user-mismatch',
  'secret-write-failed',
  'secret-write-unknown'
] as const
export type RotationErrorCode = (typeof ROTATION_ERROR_CODES)[number]

/** Warnings: the rotation succeeded, and something is left for a person to finish. */
export const ROTATION_WARNING_CODES = ['old-token-not-revoked'] as const

/** A token as sentences name it: its name (neutralised), id and expiry. Never its value. */
export interface TokenRef {
  name: string
  id?: number
  /** ISO 8601. */
  expiresAt?: string
}

/** What GitHub answered, or why nothing came. Never the token. */
export interface GithubEvidence {
  method: 'GET' | 'PUT'
  url: string
  status?: number
  /** GitHub's `message`, neutralised and cut short. */
  message?: string
  /** The network error: ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, ... */
  errno?: string
  /** The deadline ended the request. */
  timedOut?: boolean
  /** X-GitHub-Request-Id, for GitHub support. */
  requestId?: string
  /** How many times the request was sent (a write is retried when its answer was lost). */
  attempts?: number
}

/**
 * One GitHub call. `definite`: the request cannot have changed anything (GitHub refused it with a
 * 4xx, or it never left this machine); otherwise a write may have happened without an answer.
 */
export type GithubOutcome<T> =
  { ok: true; value: T } | { ok: false; evidence: GithubEvidence; definite: boolean }

/** The secret's public key, for crypto_box_seal. */
export interface PublicKey {
  keyId: string
  /** Base64, as GitHub serves it. */
  key: string
}

/** What GitHub says about a secret: never its value. */
export interface SecretInfo {
  /** GitHub's `updated_at`, whole seconds. */
  updatedAt?: string
  /** The answer's Date header: GitHub's clock when it answered. */
  serverDate?: string
}

/**
 * GitHub, as the rotation needs it: one secret of one repository or environment. The action
 * implements it with Octokit and libsodium; each call ends by `deadlineAt`.
 */
export interface SecretStore {
  publicKey(deadlineAt: number): Promise<GithubOutcome<PublicKey>>
  /** The secret's record; a 404 once the key was readable means the secret does not exist. */
  secretInfo(deadlineAt: number): Promise<GithubOutcome<SecretInfo>>
  /** Seals `value` with `key` and PUTs it. */
  write(value: string, key: PublicKey, deadlineAt: number): Promise<GithubOutcome<void>>
}

/** What became of a token this run created and then had to take back. */
export interface Rollback {
  token: TokenRef
  revoked: boolean
  /** Why revoking it failed. */
  cause?: Failure
}

/** After a create whose answer was lost: what the list showed, and what was revoked. */
export interface Cleanup {
  /** The list could be read afterwards. */
  listed: boolean
  /** Tokens named like the new one that were not there before, and whether each was revoked. */
  found: Array<TokenRef & { revoked: boolean }>
}

export type RotationFailure =
  | { code: 'rotation-unsupported'; reason: string }
  | { code: 'token-name-ambiguous'; tokenName: string; tokens: TokenRef[] }
  | { code: 'new-token-name-taken'; newTokenName: string; tokens: TokenRef[] }
  | { code: 'github-unauthorized'; github: GithubEvidence }
  | { code: 'github-forbidden'; github: GithubEvidence }
  | { code: 'github-not-found'; github: GithubEvidence }
  | { code: 'secret-not-found'; github: GithubEvidence }
  | { code: 'github-error'; github: GithubEvidence }
  | {
      code: 'token-lifetime-too-long'
      requestedDays: number
      /** The maximum, when Jira's message names it. */
      maxDays?: number
      response: ResponseEvidence
    }
  | { code: 'token-create-refused'; response: ResponseEvidence }
  | { code: 'token-create-failed'; cause: Failure; cleanup: Cleanup }
  | { code: 'new-token-rejected'; cause: Failure; rollback: Rollback }
  | { code: 'new-token-user-mismatch'; expected: string; actual: string; rollback: Rollback }
  | {
      code: 'secret-write-failed'
      github: GithubEvidence
      rollback: Rollback
      /** The write's answer was lost, and GitHub's record of the secret showed it did not land. */
      settledByRecord?: boolean
    }
  | {
      code: 'secret-write-unknown'
      github: GithubEvidence
      created: TokenRef
      /** GitHub's record of the secret after the write: changed, unchanged, or not readable. */
      record: 'changed' | 'unchanged' | 'unreadable'
    }

export type RotationFailureOf<C extends RotationErrorCode> = Extract<RotationFailure, { code: C }>

/** Either kind of failure: the check's (at the check step, and bad inputs) or the rotation's. */
export type AnyFailure = Failure | RotationFailure

export type RotationWarning = {
  code: 'old-token-not-revoked'
  old: TokenRef
  /** Why the revoke failed; absent when Jira said 204 but still lists the token. */
  cause?: Failure
}

/** Why the run rotated, or would have, or did not. */
export interface Decision {
  reason: 'due' | 'always' | 'expiry-unknown' | 'not-due'
  /** The current token's expiry. */
  expiresAt?: string
  daysLeft?: number
  nonExpiring?: boolean
  /** rotate-within-days. */
  withinDays: number
}

/** What the catalogue needs to word any rotation result: the check's context and the rotation's. */
export interface RotationContext extends Context {
  secret?: SecretTarget
  /** The current token. */
  old?: TokenRef
  tokenName?: string
  newTokenName?: string
  expirationDays?: number
  /** The account, as describeIdentity gives it. */
  user?: string
  revokeOld?: boolean
}

/** What happened, as it happens: the front-end words each one for its log. */
export type RotationEvent =
  | { kind: 'checked'; check: CheckResult; old: TokenRef; decision: Decision; dryRun: boolean }
  | { kind: 'github-ready'; secret: SecretTarget; updatedAt?: string }
  | { kind: 'created'; token: TokenRef }
  | { kind: 'verified'; user: string }
  | { kind: 'write-retry'; attempt: number; of: number; github: GithubEvidence }
  | { kind: 'written'; secret: SecretTarget; confirmedBy: 'answer' | 'record' }
  | { kind: 'revoked'; token: TokenRef; role: 'old' | 'new' | 'stray' }
  | { kind: 'kept-old'; token: TokenRef }

export interface RotateResult {
  readonly status: 'ok' | 'warning' | 'failed'
  /**
   * The step the run ended in: where it failed, or the last it reached. 'inputs': no request was
   * made; 'unknown': a bug stopped the run (the log shows how far it got).
   */
  readonly step: RotationStep | 'inputs' | 'unknown'
  readonly failure?: AnyFailure
  readonly warnings: readonly RotationWarning[]
  readonly notes: readonly Note[]
  readonly check?: CheckResult
  readonly decision?: Decision
  readonly dryRun: boolean
  /** The secret holds a new token now. */
  readonly rotated: boolean
  /** The new token, once the secret holds it. */
  readonly created?: TokenRef
  readonly oldRevoked: boolean
  /** How the write was known to have landed. */
  readonly confirmedBy?: 'answer' | 'record'
  readonly context: RotationContext
}
