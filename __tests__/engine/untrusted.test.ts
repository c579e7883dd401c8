import { describe, expect, it } from '@jest/globals'
import { MAX_UNTRUSTED_LENGTH, safeLines, untrusted } from '../../src/engine/untrusted.js'

describe('untrusted', () => {
  it.each([
    ['a line feed', 'Mia\n::error::x', 'Mia\ufffd::error::x'],
    ['a carriage return', 'Mia\r::error::x', 'Mia\ufffd::error::x'],
    ['CR LF', 'a\r\nb', 'a\ufffd\ufffdb'],
    ['an escape sequence', '\u001b[31mred', '\ufffd[31mred'],
    ['NUL and DEL', 'a\u0000b\u007fc', 'a\ufffdb\ufffdc'],
    ['a C1 next-line', 'a\u0085b', 'a\ufffdb'],
    ['the Unicode line and paragraph separators', 'a\u2028b\u2029c', 'a\ufffdb\ufffdc'],
    ['a bidi override', 'abc\u202edef', 'abc\ufffddef'],
    ['a BOM', '\ufeffx', '\ufffdx']
  ])('replaces %s with U+FFFD', (_name, value, expected) => {
    expect(untrusted(value)).toBe(expected)
  })

  it('turns tabs into spaces and keeps ordinary text, non-ASCII letters included', () => {
    expect(untrusted('Jörg\tÜnal 🚀')).toBe('Jörg Ünal 🚀')
  })

  it('stringifies numbers and booleans, and makes nothing of null', () => {
    expect(untrusted(42)).toBe('42')
    expect(untrusted(false)).toBe('false')
    expect(untrusted(null)).toBe('')
    expect(untrusted(undefined)).toBe('')
  })

  it('caps the length with an ellipsis', () => {
    const long = untrusted('x'.repeat(10_000))
    expect(long).toHaveLength(MAX_UNTRUSTED_LENGTH)
    expect(long.endsWith('…')).toBe(true)
    expect(untrusted('abcdef', 4)).toBe('abc…')
  })
})

describe('safeLines', () => {
  it('keeps the line breaks of our own text', () => {
    expect(safeLines('one\ntwo')).toBe('one\ntwo')
  })

  it.each(['::error::x', '  ::add-mask::Jira', '\t::stop-commands::t'])(
    'makes sure %j cannot start a workflow command',
    (line) => {
      const safe = safeLines(`first\n${line}`).split('\n')[1]
      expect(safe.trimStart().startsWith('::')).toBe(false)
      expect(safe).toContain(': :')
    }
  )

  it('drops carriage returns and neutralises controls inside a line', () => {
    expect(safeLines('a\r\nb\u001bc')).toBe('a\nb\ufffdc')
  })

  it('leaves "::" in the middle of a line alone', () => {
    expect(safeLines('Authenticated as Mia ::error::x')).toBe('Authenticated as Mia ::error::x')
  })
})
