/**
 * The pats-plugin calls a rotation makes besides the check: create, list and revoke a token, and
 * /myself with the new one. Jira's answers become plain outcomes; nothing here decides what to do.
 */
import { classifyFailure, parseMyself, parsePatList, responseEvidence } from '../classify.js'
import type { Failure } from '../findings.js'
import type { JiraRequest, ProbeResult, RequestOptions } from '../jira/client.js'
import { PATHS } from '../jira/endpoints.js'
import type { JiraUser, PatToken } from '../jira/types.js'
import { readJson } from '../json.js'
import { tokenRef } from './decide.js'
import type { RotationFailureOf, TokenRef } from './findings.js'

export type CreateOutcome =
  | { kind: 'created'; token: TokenRef; raw: string }
  /** Jira answered and refused: nothing was created. */
  | {
      kind: 'refused'
      failure: RotationFailureOf<'token-lifetime-too-long' | 'token-create-refused'>
    }
  /** No usable answer: Jira may or may not have created a token. */
  | { kind: 'lost'; cause: Failure }

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** "Token expiration cannot be longer than 365 days." and the like (the i18n text is unpublished). */
const LIFETIME_REFUSAL = /expir[\s\S]*(longer|more than|exceed|max|greater)/i

/**
 * POST /rest/pat/latest/tokens, sent once: a create must never happen twice. `onRawToken` runs the
 * moment the new token's value is read, before anything else happens with it (the front-end masks it).
 */
export async function createToken(
  request: JiraRequest,
  name: string,
  expirationDays: number,
  onRawToken: (raw: string) => void
): Promise<CreateOutcome> {
  const probe = await request(PATHS.tokens, {
    method: 'POST',
    body: {
      contentType: 'application/json',
      text: JSON.stringify({ name, expirationDuration: expirationDays })
    },
    retry: false
  })
  const { outcome } = probe
  if (outcome.kind === 'response' && outcome.status >= 400 && outcome.status < 500) {
    const response = responseEvidence(probe, outcome)
    const message = response.bodyExcerpt ?? ''
    if (outcome.status === 400 && LIFETIME_REFUSAL.test(message)) {
      const max = /(\d+)\s*days?/i.exec(message)?.[1]
      return {
        kind: 'refused',
        failure: {
          code: 'token-lifetime-too-long',
          requestedDays: expirationDays,
          ...(max !== undefined && { maxDays: Number(max) }),
          response
        }
      }
    }
    return { kind: 'refused', failure: { code: 'token-create-refused', response } }
  }
  if (outcome.kind !== 'response' || (outcome.status !== 201 && outcome.status !== 200)) {
    return { kind: 'lost', cause: classifyFailure(probe) }
  }
  const body = outcome.truncated ? undefined : readJson(outcome.body)
  const raw = isObject(body) && typeof body.rawToken === 'string' ? body.rawToken : ''
  if (raw) onRawToken(raw)
  const id = isObject(body) && typeof body.id === 'number' ? body.id : undefined
  if (!raw || id === undefined) {
    return {
      kind: 'lost',
      cause: {
        code: 'unexpected-response',
        response: responseEvidence(probe, { ...outcome, body: '' }),
        detail: raw ? 'the new token came without its id' : 'the answer did not carry the new token'
      }
    }
  }
  const fields = body as Record<string, unknown>
  const token = tokenRef({
    id,
    name: typeof fields.name === 'string' ? fields.name : name,
    ...(typeof fields.expiringAt === 'string' && { expiringAt: fields.expiringAt })
  })
  return { kind: 'created', token, raw }
}

export type Done = { ok: true } | { ok: false; cause: Failure }

/** DELETE /rest/pat/latest/tokens/{id}: 204 whether or not anything was deleted (TokensResource). */
export async function revokeToken(
  request: JiraRequest,
  id: number,
  auth?: RequestOptions['auth']
): Promise<Done> {
  const probe = await request(`${PATHS.tokens}/${id}`, { method: 'DELETE', ...(auth && { auth }) })
  const { outcome } = probe
  if (outcome.kind === 'response' && (outcome.status === 204 || outcome.status === 200)) {
    return { ok: true }
  }
  return { ok: false, cause: classifyFailure(probe) }
}

export type Listed = { ok: true; tokens: PatToken[] } | { ok: false; cause: Failure }

export async function listTokens(
  request: JiraRequest,
  auth?: RequestOptions['auth']
): Promise<Listed> {
  const probe: ProbeResult = await request(PATHS.tokens, auth ? { auth } : {})
  const list = parsePatList(probe)
  if (list.kind === 'tokens') return { ok: true, tokens: list.tokens }
  return { ok: false, cause: list.kind === 'failed' ? list.failure : classifyFailure(probe) }
}

export type Verified = { ok: true; user: JiraUser } | { ok: false; cause: Failure }

/** /myself with the new token alone. */
export async function whoIs(request: JiraRequest, raw: string): Promise<Verified> {
  const answer = parseMyself(
    await request(PATHS.myself, { auth: { authorization: `Bearer ${raw}` } })
  )
  return answer.ok ? { ok: true, user: answer.value.user } : { ok: false, cause: answer.failure }
}

/** The same account: the user key where both have one (it survives renames), else the name. */
export function sameUser(a: JiraUser, b: JiraUser): boolean {
  if (a.key && b.key) return a.key === b.key
  if (a.name && b.name) return a.name === b.name
  return !!a.accountId && a.accountId === b.accountId
}
