/** What the check step decides, from plain values: which token is current, whether to rotate, and whether the new name is free. */
import { isNonExpiring } from '../expiry.js'
import type { PatToken, TokenExpiry } from '../jira/types.js'
import { untrusted } from '../untrusted.js'
import type { Decision, TokenRef } from './findings.js'

/** A list entry as sentences name it: the name neutralised (it comes from Jira), the date as ISO. */
export function tokenRef(token: PatToken): TokenRef {
  const date = token.expiringAt ? new Date(token.expiringAt) : undefined
  const valid = date && !Number.isNaN(date.getTime()) && !isNonExpiring(date)
  return {
    name: untrusted(token.name, 60),
    ...(token.id !== undefined && { id: token.id }),
    ...(valid && { expiresAt: date.toISOString() })
  }
}

export type CurrentToken =
  { kind: 'one'; token: PatToken } | { kind: 'none' } | { kind: 'many'; tokens: PatToken[] }

/**
 * The token in use, by its exact name. Jira does not make names unique, and the PAT string does
 * not say which entry it is, so a name held by two tokens cannot be rotated safely: revoking the
 * wrong one would break whoever uses it.
 */
export function currentToken(list: readonly PatToken[], tokenName: string): CurrentToken {
  const named = list.filter((token) => token.name === tokenName)
  if (named.length === 0) return { kind: 'none' }
  return named.length === 1 ? { kind: 'one', token: named[0] } : { kind: 'many', tokens: named }
}

/**
 * Tokens that would share the new token's name once the run is over: every other token of that
 * name, and the current one too if it stays (revoke-old false).
 */
export function nameClashes(
  list: readonly PatToken[],
  newTokenName: string,
  current: PatToken,
  revokeOld: boolean
): PatToken[] {
  return list.filter((token) => token.name === newTokenName && (token !== current || !revokeOld))
}

/** Rotate now? `withinDays` 0 means on every run; a token with no usable expiry is rotated. */
export function decide(expiry: TokenExpiry, withinDays: number): Decision {
  const known = {
    withinDays,
    ...(expiry.expiresAt !== undefined && { expiresAt: expiry.expiresAt }),
    ...(expiry.daysLeft !== undefined && { daysLeft: expiry.daysLeft }),
    ...(expiry.nonExpiring && { nonExpiring: true })
  }
  if (withinDays === 0) return { ...known, reason: 'always' }
  if (expiry.nonExpiring) return { ...known, reason: 'not-due' }
  if (expiry.daysLeft === undefined) return { ...known, reason: 'expiry-unknown' }
  return { ...known, reason: expiry.daysLeft <= withinDays ? 'due' : 'not-due' }
}
