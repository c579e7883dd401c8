/**
 * The CLI's exit codes, from the catalogue's family of each error code, so that a pipeline can
 * retry on 3 and page someone on 1. This table is a contract: other tools rely on it.
 */
import { FAMILIES } from '../engine/diagnosis/catalogue.js'
import type { CheckResult } from '../engine/verdict.js'

export const EXIT_CODES = [
  { code: 0, when: 'ok or warning' },
  {
    code: 1,
    when: 'the credential or a gate failed (unauthorized, identity-mismatch, token-expiring, ...)'
  },
  { code: 2, when: 'bad input or usage: missing-input, invalid-input, an unknown flag' },
  { code: 3, when: 'Jira could not be reached or answered unexpectedly (timeout, dns-error, ...)' },
  { code: 4, when: 'warning, with --fail-on-warning' },
  { code: 70, when: 'internal-error: a bug in jira-auth-check' }
] as const

export const EXIT_USAGE = 2

const BY_FAMILY = { credential: 1, input: 2, unreachable: 3, bug: 70 } as const

export function exitCodeOf(result: CheckResult, failOnWarning: boolean): number {
  if (result.failure) return BY_FAMILY[FAMILIES[result.failure.code]]
  return result.status === 'warning' && failOnWarning ? 4 : 0
}
