import { describe, expect, it } from '@jest/globals'
import { currentToken, decide, nameClashes, tokenRef } from '../../src/engine/rotate/decide.js'
import type { PatToken } from '../../src/engine/jira/types.js'

const old: PatToken = { id: 58, name: 'deploy-bot', expiringAt: '2026-12-10T10:00:00.000+00:00' }
const laptop: PatToken = { id: 12, name: 'laptop', expiringAt: '2027-01-01T00:00:00.000+00:00' }

describe('decide', () => {
  it.each<[string, Parameters<typeof decide>[0], number, string]>([
    ['within the window', { daysLeft: 5, expiresAt: '2026-12-06T00:00:00.000Z' }, 14, 'due'],
    ['exactly at the window', { daysLeft: 14, expiresAt: '2026-12-15T00:00:00.000Z' }, 14, 'due'],
    ['one day beyond it', { daysLeft: 15, expiresAt: '2026-12-16T00:00:00.000Z' }, 14, 'not-due'],
    [
      'already expired (Jira still lists it)',
      { daysLeft: -2, expiresAt: '2026-11-29T00:00:00.000Z' },
      14,
      'due'
    ],
    ['0 means every run', { daysLeft: 300, expiresAt: '2027-09-01T00:00:00.000Z' }, 0, 'always'],
    ['a token that never expires is not due', { nonExpiring: true }, 14, 'not-due'],
    ['0 rotates even a token that never expires', { nonExpiring: true }, 0, 'always'],
    [
      'no expiry Jira could give is rotated to be safe',
      { unknownBecause: 'garbled' },
      14,
      'expiry-unknown'
    ]
  ])('%s', (_name, expiry, within, reason) => {
    const decision = decide(expiry, within)
    expect(decision.reason).toBe(reason)
    expect(decision.withinDays).toBe(within)
    expect(decision.daysLeft).toBe(expiry.daysLeft)
  })
})

describe('currentToken', () => {
  it('finds exactly one token by its exact, case-sensitive name', () => {
    expect(currentToken([laptop, old], 'deploy-bot')).toEqual({ kind: 'one', token: old })
    expect(currentToken([laptop, old], 'Deploy-Bot')).toEqual({ kind: 'none' })
  })

  it('refuses to choose between namesakes', () => {
    const twin = { ...old, id: 59 }
    expect(currentToken([old, laptop, twin], 'deploy-bot')).toEqual({
      kind: 'many',
      tokens: [old, twin]
    })
  })
})

describe('nameClashes: tokens that would share the new name after the run', () => {
  it('none when the old token takes its name with it', () => {
    expect(nameClashes([old, laptop], 'deploy-bot', old, true)).toEqual([])
  })

  it('the old token itself when it stays', () => {
    expect(nameClashes([old, laptop], 'deploy-bot', old, false)).toEqual([old])
  })

  it('any other token of that name', () => {
    expect(nameClashes([old, laptop], 'laptop', old, true)).toEqual([laptop])
  })
})

describe('tokenRef', () => {
  it('neutralises the name Jira sent, and gives the expiry as ISO', () => {
    expect(tokenRef({ id: 3, name: 'ci\n::warning::x', expiringAt: old.expiringAt })).toEqual({
      id: 3,
      name: 'ci\ufffd::warning::x',
      expiresAt: '2026-12-10T10:00:00.000Z'
    })
  })

  it("drops Jira's never-expiring date and a garbled one", () => {
    expect(tokenRef({ name: 'forever', expiringAt: '9999-12-31T00:00:00.000+00:00' })).toEqual({
      name: 'forever'
    })
    expect(tokenRef({ id: 1, name: 'odd', expiringAt: 'soon' })).toEqual({ id: 1, name: 'odd' })
  })
})
