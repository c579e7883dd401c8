import { describe, expect, it } from '@jest/globals'
import { compactJson, readJson } from '../../src/engine/json.js'

describe('readJson', () => {
  it('parses JSON and drops a leading byte-order mark', () => {
    expect(readJson('{"a":1}')).toEqual({ a: 1 })
    expect(readJson('\ufeff{"a":1}')).toEqual({ a: 1 })
  })

  it('returns undefined for what is not JSON', () => {
    expect(readJson('{"a":')).toBeUndefined()
    expect(readJson('<html>')).toBeUndefined()
    expect(readJson('')).toBeUndefined()
  })
})

describe('compactJson', () => {
  it('writes ordinary values as JSON.stringify does', () => {
    const value = { name: 'ci-bot', groups: { size: 2, items: [] }, active: true, n: null }
    expect(compactJson(value)).toBe(JSON.stringify(value))
  })

  it('cuts a value nested thousands of levels deep instead of overflowing the stack', () => {
    const deep = readJson(`{"a":${'['.repeat(100_000)}1${']'.repeat(100_000)}}`)
    expect(() => JSON.stringify(deep)).toThrow(RangeError)
    const text = compactJson(deep)
    expect(JSON.parse(text)).toHaveProperty('a')
    expect(text).toContain('"…"')
    expect(text.length).toBeLessThan(200)
  })
})
