import { describe, it, expect } from '@jest/globals'
import { EXIT_CODES, EXIT_USAGE, exitCodeOf } from '../../src/cli/exit-codes.js'
import { ERROR_CODES, type ErrorCode, type Failure } from '../../src/engine/findings.js'
import { failedResult, type CheckResult } from '../../src/engine/verdict.js'

/** The contract, written out: other tools rely on it, so it is not derived from the source. */
const EXPECTED: Record<ErrorCode, number> = {
  'missing-input': 2,
  'invalid-input': 2,
  unauthorized: 1,
  'insufficient-scope': 1,
  'invalid-client': 1,
  'identity-unverified': 1,
  'captcha-required': 1,
  'basic-auth-disabled': 1,
  forbidden: 1,
  'login-redirect': 3,
  'not-found': 3,
  'rate-limited': 3,
  'server-error': 3,
  timeout: 3,
  'dns-error': 3,
  'connection-error': 3,
  'tls-error': 3,
  'proxy-error': 3,
  'unexpected-response': 3,
  'identity-mismatch': 1,
  'missing-permissions': 1,
  'project-not-found': 1,
  'token-not-found': 1,
  'token-expiring': 1,
  'token-policy': 1,
  'internal-error': 70
}

/** A failure of the code; exitCodeOf reads nothing but the code. */
const failed = (code: ErrorCode): CheckResult => failedResult({ code } as Failure)

const passed = (status: 'ok' | 'warning'): CheckResult => ({ status, notes: [], context: {} })

describe('exitCodeOf', () => {
  it('covers every error code', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ERROR_CODES].sort())
  })

  it.each(ERROR_CODES.map((code) => [code, EXPECTED[code]] as const))('%s → %d', (code, exit) => {
    expect(exitCodeOf(failed(code), false)).toBe(exit)
  })

  it.each(ERROR_CODES.map((code) => [code, EXPECTED[code]] as const))(
    '%s → %d with --fail-on-warning too',
    (code, exit) => {
      expect(exitCodeOf(failed(code), true)).toBe(exit)
    }
  )

  it('ok is 0, with or without --fail-on-warning', () => {
    expect(exitCodeOf(passed('ok'), false)).toBe(0)
    expect(exitCodeOf(passed('ok'), true)).toBe(0)
  })

  it('a warning is 0, or 4 with --fail-on-warning', () => {
    expect(exitCodeOf(passed('warning'), false)).toBe(0)
    expect(exitCodeOf(passed('warning'), true)).toBe(4)
  })

  it('the credential family is 1, input 2, unreachable 3, a bug 70', () => {
    const byExit = (exit: number): ErrorCode[] =>
      ERROR_CODES.filter((code) => EXPECTED[code] === exit)
    expect(byExit(2)).toEqual(['missing-input', 'invalid-input'])
    expect(byExit(70)).toEqual(['internal-error'])
    expect(byExit(1)).toContain('token-expiring')
    expect(byExit(3)).toContain('timeout')
  })
})

describe('EXIT_CODES', () => {
  it('is the table, exactly, each with what it means', () => {
    expect(EXIT_CODES.map(({ code }) => code)).toEqual([0, 1, 2, 3, 4, 70])
    for (const { when } of EXIT_CODES) expect(when.trim()).not.toBe('')
  })

  it('says what each code means in the words of the contract', () => {
    const when = Object.fromEntries(EXIT_CODES.map(({ code, when }) => [code, when]))
    expect(when[0]).toMatch(/ok or warning/)
    expect(when[1]).toMatch(/credential/)
    expect(when[2]).toMatch(/missing-input, invalid-input/)
    expect(when[3]).toMatch(/could not be reached/)
    expect(when[4]).toMatch(/--fail-on-warning/)
    expect(when[70]).toMatch(/internal-error/)
  })

  it('lists every code exitCodeOf returns, and usage errors share the input code', () => {
    const listed = new Set<number>(EXIT_CODES.map(({ code }) => code))
    for (const code of ERROR_CODES) expect(listed.has(exitCodeOf(failed(code), true))).toBe(true)
    expect(EXIT_USAGE).toBe(2)
  })
})
