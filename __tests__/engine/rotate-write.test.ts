/**
 * The write's rules on plain values: a scripted SecretStore answers each call from a list, and the
 * verdict says whether the secret holds the new token, does not, or nobody can tell.
 */
import { describe, expect, it } from '@jest/globals'
import type {
  GithubOutcome,
  PublicKey,
  SecretInfo,
  SecretStore
} from '../../src/engine/rotate/findings.js'
import { judgeRecord, writeSecret, type WriteOptions } from '../../src/engine/rotate/write.js'

const KEY: PublicKey = { keyId: '123', key: 'a2V5' }
const BEFORE: SecretInfo = {
  updatedAt: '2026-09-01T10:00:00Z',
  serverDate: 'Tue, 01 Dec 2026 23:00:00 GMT'
}
const URL = 'https://api.github.com/repos/acme/pipeline/actions/secrets/JIRA_PAT'

type Write = GithubOutcome<void>
const ok: Write = { ok: true, value: undefined }
const status = (code: number): Write => ({
  ok: false,
  evidence: { method: 'PUT', url: URL, status: code },
  definite: code < 500
})
const reset: Write = {
  ok: false,
  evidence: { method: 'PUT', url: URL, errno: 'ECONNRESET' },
  definite: false
}
const refusedConnection: Write = {
  ok: false,
  evidence: { method: 'PUT', url: URL, errno: 'ECONNREFUSED' },
  definite: true
}

interface Script {
  writes: Write[]
  keys?: Array<GithubOutcome<PublicKey>>
  after?: GithubOutcome<SecretInfo>
}

function store(script: Script): SecretStore & { writtenWith: string[]; infoReads: number } {
  const writes = [...script.writes]
  const keys = [...(script.keys ?? [])]
  const calls = { writtenWith: [] as string[], infoReads: 0 }
  return Object.assign(calls, {
    publicKey: async () => keys.shift() ?? { ok: true as const, value: KEY },
    secretInfo: async () => {
      calls.infoReads++
      return script.after ?? { ok: true as const, value: BEFORE }
    },
    write: async (_value: string, key: PublicKey) => {
      calls.writtenWith.push(key.keyId)
      return writes.shift() ?? ok
    }
  })
}

function options(secrets: SecretStore, extra: Partial<WriteOptions> = {}): WriteOptions {
  return {
    store: secrets,
    value: 'new-token',
    key: KEY,
    before: BEFORE,
    attempts: 3,
    deadlineAt: Date.now() + 60_000,
    settleDeadlineAt: Date.now() + 70_000,
    now: Date.now,
    sleep: async () => undefined,
    ...extra
  }
}

const changed: GithubOutcome<SecretInfo> = {
  ok: true,
  value: { updatedAt: '2026-12-01T23:00:05Z' }
}

describe('judgeRecord', () => {
  it.each<[string, SecretInfo | undefined, boolean, string]>([
    ['updated_at moved', { updatedAt: '2026-12-01T23:00:05Z' }, true, 'changed'],
    ['unchanged, older than the clock, every attempt answered', BEFORE, true, 'unchanged-proven'],
    ['unchanged, but an attempt got no answer', BEFORE, false, 'unchanged'],
    ['not readable', undefined, true, 'unreadable']
  ])('%s → %s', (_name, after, answered, verdict) => {
    expect(judgeRecord(BEFORE, after, answered)).toBe(verdict)
  })

  it('proves nothing when the record was written in the second the rotation began', () => {
    const sameSecond = {
      updatedAt: '2026-12-01T23:00:00Z',
      serverDate: 'Tue, 01 Dec 2026 23:00:00 GMT'
    }
    expect(judgeRecord(sameSecond, sameSecond, true)).toBe('unchanged')
  })

  it('proves nothing without GitHub\u2019s clock', () => {
    const noClock = { updatedAt: BEFORE.updatedAt }
    expect(judgeRecord(noClock, noClock, true)).toBe('unchanged')
  })
})

describe('writeSecret', () => {
  it('a clear answer settles it at once', async () => {
    const secrets = store({ writes: [ok] })
    expect(await writeSecret(options(secrets))).toEqual({ kind: 'written', confirmedBy: 'answer' })
    expect(secrets.infoReads).toBe(0)
  })

  it('a 4xx or a refused connection first: nothing was written', async () => {
    for (const refusal of [status(403), refusedConnection]) {
      const secrets = store({ writes: [refusal] })
      expect(await writeSecret(options(secrets))).toMatchObject({
        kind: 'not-written',
        settledByRecord: false,
        github: { attempts: 1 }
      })
      expect(secrets.writtenWith).toHaveLength(1)
    }
  })

  it('a lost answer is sent again, and a later clear answer settles it', async () => {
    const retries: number[] = []
    const secrets = store({ writes: [status(502), reset, ok] })
    const verdict = await writeSecret(
      options(secrets, { onRetry: (attempt) => retries.push(attempt) })
    )
    expect(verdict).toEqual({ kind: 'written', confirmedBy: 'answer' })
    expect(retries).toEqual([2, 3])
  })

  it('lost every time, and the record changed: written, by the record', async () => {
    const secrets = store({ writes: [status(500), status(500), status(500)], after: changed })
    expect(await writeSecret(options(secrets))).toEqual({ kind: 'written', confirmedBy: 'record' })
    expect(secrets.infoReads).toBe(1)
  })

  it('answered 5xx every time, record provably unchanged: not written, settled by the record', async () => {
    const secrets = store({ writes: [status(500), status(500), status(500)] })
    expect(await writeSecret(options(secrets))).toMatchObject({
      kind: 'not-written',
      settledByRecord: true,
      github: { status: 500, attempts: 3 }
    })
  })

  it('an attempt that got no answer may still land: unchanged is unknown', async () => {
    const secrets = store({ writes: [reset, status(500), status(500)] })
    expect(await writeSecret(options(secrets))).toMatchObject({
      kind: 'unknown',
      record: 'unchanged'
    })
  })

  it('a 4xx after a lost attempt cannot undo it: settle by the record', async () => {
    const secrets = store({
      writes: [reset, status(401)],
      after: { ok: false, evidence: { method: 'GET', url: URL, status: 401 }, definite: true }
    })
    expect(await writeSecret(options(secrets))).toMatchObject({
      kind: 'unknown',
      record: 'unreadable',
      github: { status: 401, attempts: 2 }
    })
  })

  it('a 422 fetches the key once: GitHub may have replaced it since the check', async () => {
    const fresh = { keyId: '456', key: 'bmV3' }
    const secrets = store({ writes: [status(422), ok], keys: [{ ok: true, value: fresh }] })
    expect(await writeSecret(options(secrets))).toEqual({ kind: 'written', confirmedBy: 'answer' })
    expect(secrets.writtenWith).toEqual(['123', '456'])
  })

  it('a 422 with the same key is a refusal', async () => {
    const secrets = store({ writes: [status(422)] })
    expect(await writeSecret(options(secrets))).toMatchObject({ kind: 'not-written' })
    expect(secrets.writtenWith).toEqual(['123'])
  })

  it('stops retrying when the deadline leaves no room, and settles by the record', async () => {
    const secrets = store({ writes: [status(503), ok], after: changed })
    const verdict = await writeSecret(options(secrets, { deadlineAt: Date.now() + 500 }))
    expect(verdict).toEqual({ kind: 'written', confirmedBy: 'record' })
    expect(secrets.writtenWith).toHaveLength(1)
  })
})
