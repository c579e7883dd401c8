import type { PatToken, TokenExpiry } from './jira/types.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** Jira stores a non-expiring PAT as 9999-12-31T00:00:00.000+00:00 (TokenDTO.NON_EXPIRING_DATE). */
export function isNonExpiring(date: Date): boolean {
  return date.getUTCFullYear() >= 9999
}

/** Whole days left, rounded down; negative once expired. */
export function daysLeft(expiresAt: Date, now: Date): number {
  return Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS)
}

export type TokenPick =
  | {
      kind: 'picked'
      token: PatToken
      matchedBy: 'name' | 'only-token' | 'guess'
      /** How many tokens carry the picked one's name (Jira does not make names unique). */
      namesakes: number
    }
  | { kind: 'not-found'; names: string[] }
  | { kind: 'none' }

/**
 * Finds the token in use in the PAT list. The PAT string does not encode the list's `id`, so the
 * name is the only exact key. Without one, a lone token is unambiguous; otherwise the most recently
 * used is a guess, because Jira writes `lastAccessedAt` in one-minute batches.
 */
export function pickToken(tokens: readonly PatToken[], tokenName: string): TokenPick {
  if (tokenName) {
    // Jira does not make names unique. Of several namesakes, report the one that expires first:
    // the expiry that matters is the earliest one the pipeline might be using.
    const named = tokens.filter((candidate) => candidate.name === tokenName)
    return named.length > 0
      ? {
          kind: 'picked',
          token: expiringFirst(named),
          matchedBy: 'name',
          namesakes: named.length
        }
      : { kind: 'not-found', names: tokens.map((t) => t.name) }
  }
  if (tokens.length === 0) return { kind: 'none' }
  if (tokens.length === 1)
    return { kind: 'picked', token: tokens[0], matchedBy: 'only-token', namesakes: 1 }
  const guess = mostRecentlyUsed(tokens)
  return {
    kind: 'picked',
    token: guess,
    matchedBy: 'guess',
    namesakes: tokens.filter((t) => t.name === guess.name).length
  }
}

function mostRecentlyUsed(tokens: readonly PatToken[]): PatToken {
  const lastUse = (token: PatToken): number => Date.parse(token.lastAccessedAt ?? '') || 0
  return [...tokens].sort((a, b) => lastUse(b) - lastUse(a))[0]
}

function expiringFirst(tokens: readonly PatToken[]): PatToken {
  // A date Jira did not give (or garbled) sorts last: it is no earlier expiry.
  const expiry = (token: PatToken): number => Date.parse(token.expiringAt ?? '') || Infinity
  return [...tokens].sort((a, b) => expiry(a) - expiry(b))[0]
}

export function expiryOfDate(
  expiresAt: Date | undefined,
  now: Date,
  extra: Pick<TokenExpiry, 'name' | 'matchedBy'>
): TokenExpiry {
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) {
    return { ...extra, unknownBecause: 'Jira did not give an expiry date for it' }
  }
  if (isNonExpiring(expiresAt)) return { ...extra, nonExpiring: true }
  return { ...extra, expiresAt: expiresAt.toISOString(), daysLeft: daysLeft(expiresAt, now) }
}

export function expiryOfToken(
  token: PatToken,
  matchedBy: TokenExpiry['matchedBy'],
  now: Date
): TokenExpiry {
  const expiresAt = token.expiringAt ? new Date(token.expiringAt) : undefined
  const expiry = expiryOfDate(expiresAt, now, { name: token.name, matchedBy })
  const createdAt = isoDate(token.createdAt)
  const lastUsedAt = isoDate(token.lastAccessedAt)
  return {
    ...expiry,
    ...(token.id !== undefined && { id: token.id }),
    ...(createdAt && { createdAt }),
    ...(lastUsedAt && { lastUsedAt })
  }
}

/** A date of the PAT list as ISO 8601, or undefined when Jira sent none or garbled it. */
function isoDate(value: string | undefined): string | undefined {
  const ms = Date.parse(value ?? '')
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

export type ExpiryLevel = 'ok' | 'warning' | 'error'

/** A threshold of 0 turns that level off. */
export function expiryLevel(
  expiry: TokenExpiry | undefined,
  warningDays: number,
  errorDays: number
): ExpiryLevel {
  const left = expiry?.daysLeft
  if (left === undefined) return 'ok'
  if (errorDays > 0 && left <= errorDays) return 'error'
  if (warningDays > 0 && left <= warningDays) return 'warning'
  return 'ok'
}
