/** Small readers shared by the settings parser, the domain normaliser and the secrets list. */
import type { Failure } from '../findings.js'
import type { SettingName } from './rotate-schema.js'

/** An input that cannot be used; parseSettings turns it into a missing-input or invalid-input result. */
export class InputError extends Error {
  constructor(readonly failure: Extract<Failure, { code: 'missing-input' | 'invalid-input' }>) {
    super(failure.detail)
    this.name = 'InputError'
  }
}

export function invalid(input: SettingName, detail: string, suggestion?: string): InputError {
  return new InputError({ code: 'invalid-input', input, detail, suggestion })
}

export function missing(input: SettingName, detail: string): InputError {
  return new InputError({ code: 'missing-input', input, detail })
}

export const UNEXPANDED_EXPRESSION = /\$\{\{/
export const SHELL_VARIABLE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/
export const UPPER_SHELL_VARIABLE = /^\$\{?[A-Z_][A-Z0-9_]*\}?$/
/** A shell variable anywhere in a value, e.g. https://$HOST/jira. */
export const EMBEDDED_SHELL_VARIABLE = /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/

/**
 * Never a real credential: a workflow expression or a shell variable that nobody expanded. With
 * Basic auth the value may be a password, and `$Winter2026` is a plausible one, so there only the
 * upper-case names that environment variables use count as unexpanded.
 */
export function isUnexpanded(value: string, basic: boolean): boolean {
  return (
    UNEXPANDED_EXPRESSION.test(value) || (basic ? UPPER_SHELL_VARIABLE : SHELL_VARIABLE).test(value)
  )
}

/** A value wrapped in one pair of matching quotes, a common copy mistake, without them. */
export function unquote(value: string): string {
  const match = /^(["'])([\s\S]*)\1$/.exec(value)
  return match ? match[2].trim() : value
}

export function stripBearer(token: string): { token: string; stripped: boolean } {
  const match = /^bearer(?:\s+|$)/i.exec(token)
  return match
    ? { token: token.slice(match[0].length), stripped: true }
    : { token, stripped: false }
}

export interface CharacterRules {
  /** A Basic password may hold spaces. */
  spaces?: boolean
  /** A Basic password and a user name are UTF-8 inside base64, so any letter is fine there. */
  nonAscii?: boolean
  /** false: a quote is a copy mistake (in a Bearer token). */
  quotes?: boolean
}

/** Names a character that has no place in a URL or a header, without echoing the value. */
export function describeBadCharacter(
  value: string,
  allow: CharacterRules = {}
): { index: number; name: string } | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029)
      return { index, name: 'a line break' }
    if (code === 0x09) return { index, name: 'a tab' }
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
      return { index, name: `the control character U+${hex(code)}` }
    if (code === 0x20 && !allow.spaces) return { index, name: 'a space' }
    // No token has quotes in it (PATs are base64, Cloud tokens base64url, OAuth tokens JWTs): a
    // stray one is left over from copying a quoted value.
    if ((code === 0x22 || code === 0x27) && allow.quotes === false)
      return { index, name: `a quote (${value[index]})` }
    if (code > 0x7e && !allow.nonAscii)
      return { index, name: `the non-ASCII character U+${hex(code)}` }
  }
  return undefined
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0')
}

export function trimPath(pathname: string): string {
  return pathname.replace(/\/+$/, '')
}
