import { describe, it, expect } from '@jest/globals'
import {
  daysLeft,
  expiryLevel,
  expiryOfDate,
  expiryOfToken,
  isNonExpiring,
  pickToken
} from '../../src/engine/expiry.js'
import type { PatToken } from '../../src/engine/jira/types.js'

const NOW = new Date('2026-05-01T12:00:00.000Z')

describe('isNonExpiring', () => {
  it("recognises Jira's 9999-12-31 and nothing earlier", () => {
    expect(isNonExpiring(new Date('9999-12-31T00:00:00.000+00:00'))).toBe(true)
    expect(isNonExpiring(new Date('9998-12-31T23:59:59.000Z'))).toBe(false)
    expect(isNonExpiring(new Date('2027-01-01T00:00:00Z'))).toBe(false)
  })
})

describe('daysLeft', () => {
  it.each([
    ['2026-05-01T12:00:00Z', 0],
    ['2026-05-02T11:59:59Z', 0],
    ['2026-05-02T12:00:00Z', 1],
    ['2026-06-30T12:00:00Z', 60],
    ['2026-05-01T11:59:59Z', -1],
    ['2026-04-21T12:00:00Z', -10]
  ])('%s → %d whole days', (date, days) => {
    expect(daysLeft(new Date(date), NOW)).toBe(days)
  })
})

describe('pickToken', () => {
  const a: PatToken = { id: 1, name: 'ci', lastAccessedAt: '2026-04-01T10:00:00.000+00:00' }
  const b: PatToken = { id: 2, name: 'laptop', lastAccessedAt: '2026-04-30T10:00:00.000+00:00' }
  const c: PatToken = { id: 3, name: 'never-used' }

  it('finds the token by exact name', () => {
    expect(pickToken([a, b, c], 'ci')).toEqual({
      kind: 'picked',
      token: a,
      matchedBy: 'name',
      namesakes: 1
    })
  })

  it('is case-sensitive and lists the names when the name is absent', () => {
    expect(pickToken([a, b, c], 'CI')).toEqual({
      kind: 'not-found',
      names: ['ci', 'laptop', 'never-used']
    })
    expect(pickToken([], 'ci')).toEqual({ kind: 'not-found', names: [] })
  })

  it('picks the one that expires first of several tokens with the same name', () => {
    const later: PatToken = {
      id: 4,
      name: 'ci',
      lastAccessedAt: '2026-04-29T10:00:00.000+00:00',
      expiringAt: '2026-09-01T00:00:00.000+00:00'
    }
    const sooner: PatToken = {
      id: 5,
      name: 'ci',
      lastAccessedAt: '2026-03-01T10:00:00.000+00:00',
      expiringAt: '2026-06-01T00:00:00.000+00:00'
    }
    const undated: PatToken = { id: 6, name: 'ci' }
    expect(pickToken([later, b, undated, sooner], 'ci')).toEqual({
      kind: 'picked',
      token: sooner,
      matchedBy: 'name',
      namesakes: 3
    })
  })

  it('returns none for an empty list without a name', () => {
    expect(pickToken([], '')).toEqual({ kind: 'none' })
  })

  it('picks a lone token', () => {
    expect(pickToken([c], '')).toEqual({
      kind: 'picked',
      token: c,
      matchedBy: 'only-token',
      namesakes: 1
    })
  })

  it('guesses the most recently used of several', () => {
    expect(pickToken([a, c, b], '')).toEqual({
      kind: 'picked',
      token: b,
      matchedBy: 'guess',
      namesakes: 1
    })
    expect(pickToken([c, a], '')).toMatchObject({ token: a, matchedBy: 'guess' })
  })

  it("does not reorder the caller's list", () => {
    const list = [a, c, b]
    pickToken(list, '')
    expect(list).toEqual([a, c, b])
  })
})

describe('expiryOfDate / expiryOfToken', () => {
  it('gives the ISO date and the days left', () => {
    expect(expiryOfDate(new Date('2026-06-30T12:00:00Z'), NOW, { matchedBy: 'input' })).toEqual({
      matchedBy: 'input',
      expiresAt: '2026-06-30T12:00:00.000Z',
      daysLeft: 60
    })
  })

  it('says unknown for no date or an invalid one', () => {
    expect(expiryOfDate(undefined, NOW, { name: 'x', matchedBy: 'name' })).toEqual({
      name: 'x',
      matchedBy: 'name',
      unknownBecause: 'Jira did not give an expiry date for it'
    })
    expect(expiryOfDate(new Date('garbage'), NOW, {}).unknownBecause).toBeDefined()
  })

  it('marks a non-expiring token without days', () => {
    const expiry = expiryOfToken(
      { id: 1, name: 'forever', expiringAt: '9999-12-31T00:00:00.000+00:00' },
      'name',
      NOW
    )
    expect(expiry).toEqual({ name: 'forever', id: 1, matchedBy: 'name', nonExpiring: true })
  })

  it("reads Jira's +00:00 date format", () => {
    const expiry = expiryOfToken(
      { id: 1, name: 'ci', expiringAt: '2026-05-06T12:00:00.000+00:00' },
      'only-token',
      NOW
    )
    expect(expiry).toEqual({
      name: 'ci',
      id: 1,
      matchedBy: 'only-token',
      expiresAt: '2026-05-06T12:00:00.000Z',
      daysLeft: 5
    })
  })

  it("carries the token's id only when Jira gave a number (the rotation revokes by it)", () => {
    const fromList = expiryOfToken({ id: 58, name: 'ci' }, 'name', NOW)
    expect(fromList.id).toBe(58)
    const noId = expiryOfToken(
      { name: 'ci', expiringAt: '2026-05-06T12:00:00.000+00:00' },
      'name',
      NOW
    )
    expect(noId).not.toHaveProperty('id')
  })

  it('is unknown for a token without expiringAt', () => {
    expect(expiryOfToken({ id: 1, name: 'ci' }, 'guess', NOW).unknownBecause).toBe(
      'Jira did not give an expiry date for it'
    )
  })
})

describe('expiryLevel', () => {
  it.each([
    [60, 14, 0, 'ok'],
    [15, 14, 0, 'ok'],
    [14, 14, 0, 'warning'],
    [5, 14, 0, 'warning'],
    [0, 14, 0, 'warning'],
    [-3, 14, 0, 'warning'],
    [7, 14, 7, 'error'],
    [8, 14, 7, 'warning'],
    [5, 0, 0, 'ok'],
    [5, 0, 7, 'error'],
    [-1, 0, 1, 'error']
  ] as const)('%d days left, warn %d, error %d → %s', (left, warn, error, level) => {
    expect(expiryLevel({ daysLeft: left }, warn, error)).toBe(level)
  })

  it('is ok when the expiry is unknown or never', () => {
    expect(expiryLevel(undefined, 14, 7)).toBe('ok')
    expect(expiryLevel({ nonExpiring: true }, 14, 7)).toBe('ok')
    expect(expiryLevel({ unknownBecause: 'x' }, 14, 7)).toBe('ok')
  })
})
