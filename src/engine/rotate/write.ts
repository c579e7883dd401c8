/**
 * Writing the secret, the one step whose failure can be ambiguous. GitHub never returns a secret's
 * value, so a PUT that got no usable answer (a reset, the deadline, a 5xx that GitHub may have sent
 * after storing it) leaves the secret holding either token. The rules, in order:
 *
 * 1. A PUT is idempotent: while the outcome is open, send it again (the same value). One clear
 *    201/204 settles it, whatever the earlier attempts did, since every attempt carries the new token.
 * 2. A 4xx before any open attempt means nothing was written: the caller rolls back.
 * 3. Still open: read GitHub's record of the secret. A changed `updated_at` means the write landed.
 *    An unchanged one proves nothing was written only if every open attempt was answered (GitHub
 *    had finished with it) and the record was older than GitHub's clock when the rotation began
 *    writing; a request that got no answer may still land later.
 * 4. Otherwise the outcome stays unknown, and the caller keeps both tokens working.
 */
import type { GithubEvidence, PublicKey, SecretInfo, SecretStore } from './findings.js'

export type WriteVerdict =
  | { kind: 'written'; confirmedBy: 'answer' | 'record' }
  | { kind: 'not-written'; github: GithubEvidence; settledByRecord: boolean }
  | { kind: 'unknown'; github: GithubEvidence; record: 'unchanged' | 'unreadable' }

export interface WriteOptions {
  store: SecretStore
  value: string
  key: PublicKey
  /** The secret's record from the check step, before anything was written. */
  before: SecretInfo
  /** 1 + retries. */
  attempts: number
  /** For the PUTs. */
  deadlineAt: number
  /** For reading the record afterwards: the whole deadline, past the part kept for undoing. */
  settleDeadlineAt: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  onRetry?: (attempt: number, of: number, github: GithubEvidence) => void
}

const seconds = (iso: string | undefined): number | undefined => {
  const ms = iso ? Date.parse(iso) : NaN
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

/** Rule 3, on plain values: what GitHub's record after an open write says. */
export function judgeRecord(
  before: SecretInfo,
  after: SecretInfo | undefined,
  everyOpenAttemptAnswered: boolean
): 'changed' | 'unchanged-proven' | 'unchanged' | 'unreadable' {
  if (!after || after.updatedAt === undefined) return 'unreadable'
  if (after.updatedAt !== before.updatedAt) return 'changed'
  const updated = seconds(before.updatedAt)
  const clock = seconds(before.serverDate)
  // GitHub stamps updated_at in whole seconds: a write in the same second as the previous one
  // would leave it as it was, so only a record older than GitHub's clock at the start proves anything.
  const provable = updated !== undefined && clock !== undefined && updated < clock
  return everyOpenAttemptAnswered && provable ? 'unchanged-proven' : 'unchanged'
}

export async function writeSecret(options: WriteOptions): Promise<WriteVerdict> {
  const { store, value } = options
  let key = options.key
  let keyRefreshed = false
  let open = false
  let everyOpenAnswered = true
  let github: GithubEvidence | undefined
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const result = await store.write(value, key, options.deadlineAt)
    if (result.ok) return { kind: 'written', confirmedBy: 'answer' }
    github = { ...result.evidence, attempts: attempt }
    if (result.definite) {
      // A 422 may mean GitHub replaced the key since the check step: fetch it once, and retry.
      if (result.evidence.status === 422 && !keyRefreshed) {
        keyRefreshed = true
        const fresh = await store.publicKey(options.deadlineAt)
        if (fresh.ok && fresh.value.keyId !== key.keyId) {
          key = fresh.value
          attempt--
          continue
        }
      }
      if (!open) return { kind: 'not-written', github, settledByRecord: false }
      break
    }
    open = true
    if (result.evidence.status === undefined) everyOpenAnswered = false
    if (attempt === options.attempts) break
    const delay = 1000 * 2 ** (attempt - 1)
    if (options.deadlineAt - options.now() < delay + 1000) break
    options.onRetry?.(attempt + 1, options.attempts, github)
    await options.sleep(delay)
  }
  const after = await store.secretInfo(options.settleDeadlineAt)
  const record = judgeRecord(options.before, after.ok ? after.value : undefined, everyOpenAnswered)
  if (record === 'changed') return { kind: 'written', confirmedBy: 'record' }
  if (record === 'unchanged-proven')
    return { kind: 'not-written', github: github!, settledByRecord: true }
  return { kind: 'unknown', github: github!, record }
}
