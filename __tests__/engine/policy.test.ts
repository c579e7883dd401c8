import { describe, expect, it } from '@jest/globals'
import type { JiraUser, PatToken, TokenExpiry } from '../../src/engine/jira/types.js'
import { evaluatePolicy, POLICY_CODES, type PolicyFacts } from '../../src/engine/policy.js'
import type { Settings } from '../../src/engine/settings/parse.js'
import { settingsFor } from '../../__fixtures__/settings.js'

const NOW = new Date('2026-12-01T12:00:00.000Z')
const DAY = 24 * 60 * 60 * 1000
const ago = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString()
const ahead = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString()

const USER: JiraUser = { name: 'svc-deploy', displayName: 'Deploy' }
const IN_USE: PatToken = {
  id: 1,
  name: 'deploy',
  createdAt: ago(30),
  lastAccessedAt: ago(0),
  expiringAt: ahead(60)
}
const EXPIRY: TokenExpiry = {
  name: 'deploy',
  matchedBy: 'name',
  expiresAt: ahead(60),
  daysLeft: 60
}

function facts(overrides: Partial<PolicyFacts> = {}): PolicyFacts {
  return {
    user: USER,
    expiry: EXPIRY,
    tokens: [IN_USE],
    inUse: IN_USE,
    admin: [],
    cloud: false,
    classicApiToken: false,
    host: 'jira.example.com',
    ...overrides
  }
}
const codes = (s: Partial<Settings>, f: Partial<PolicyFacts> = {}): string[] =>
  evaluatePolicy(settingsFor(s), facts(f), NOW).map((finding) => finding.code)

describe('evaluatePolicy', () => {
  it('finds nothing for a healthy service-account PAT', () => {
    expect(codes({})).toEqual([])
  })

  it('off finds nothing, whatever holds', () => {
    expect(
      codes(
        { tokenPolicy: 'off' },
        { expiry: { ...EXPIRY, nonExpiring: true }, admin: ['ADMINISTER'], classicApiToken: true }
      )
    ).toEqual([])
  })

  it('no-expiry: a PAT that never expires, and only then', () => {
    expect(
      evaluatePolicy(
        settingsFor(),
        facts({ expiry: { name: 'deploy', matchedBy: 'name', nonExpiring: true } }),
        NOW
      )
    ).toEqual([{ code: 'no-expiry', tokenName: 'deploy' }])
    expect(codes({}, { expiry: { unknownBecause: 'Jira Cloud exposes no expiry' } })).toEqual([])
  })

  it.each([
    [90, 91, true],
    [90, 90, false],
    [0, 3000, false]
  ])('long-lifetime with a limit of %d and a lifetime of %d days: %s', (limit, lifetime, found) => {
    const token = { ...IN_USE, createdAt: ago(10), expiringAt: ahead(lifetime - 10) }
    const result = evaluatePolicy(
      settingsFor({ maxTokenLifetimeDays: limit }),
      facts({ inUse: token, tokens: [token], expiry: { ...EXPIRY, expiresAt: token.expiringAt } }),
      NOW
    )
    expect(result).toEqual(
      found
        ? [
            {
              code: 'long-lifetime',
              lifetimeDays: lifetime,
              limitDays: limit,
              from: 'pat-list',
              tokenName: 'deploy'
            }
          ]
        : []
    )
  })

  it('long-lifetime on Cloud: token-expires-on further ahead than the limit', () => {
    const expiry: TokenExpiry = { matchedBy: 'input', expiresAt: ahead(200), daysLeft: 200 }
    expect(
      evaluatePolicy(
        settingsFor(),
        facts({ expiry, tokens: undefined, inUse: undefined, cloud: true }),
        NOW
      )
    ).toContainEqual({
      code: 'long-lifetime',
      lifetimeDays: 200,
      limitDays: 90,
      from: 'token-expires-on'
    })
    expect(codes({}, { expiry: { ...expiry, expiresAt: ahead(30) }, tokens: undefined })).toEqual(
      []
    )
  })

  it('admin-rights names the permissions held', () => {
    expect(evaluatePolicy(settingsFor(), facts({ admin: ['SYSTEM_ADMIN'] }), NOW)).toEqual([
      { code: 'admin-rights', permissions: ['SYSTEM_ADMIN'] }
    ])
    expect(codes({}, { admin: undefined })).toEqual([])
  })

  it('stale-tokens: other tokens unused for stale-token-days, or never used; never the one in use', () => {
    const tokens: PatToken[] = [
      { ...IN_USE, lastAccessedAt: undefined },
      { id: 2, name: 'laptop', createdAt: ago(400), lastAccessedAt: ago(200) },
      { id: 3, name: 'recent', createdAt: ago(400), lastAccessedAt: ago(89) },
      { id: 4, name: 'boundary', createdAt: ago(400), lastAccessedAt: ago(90) },
      { id: 5, name: 'never', createdAt: ago(2) }
    ]
    const [finding] = evaluatePolicy(settingsFor(), facts({ tokens, inUse: tokens[0] }), NOW)
    expect(finding).toEqual({
      code: 'stale-tokens',
      staleDays: 90,
      tokens: [
        { name: 'laptop', lastUsedAt: ago(200) },
        { name: 'boundary', lastUsedAt: ago(90) },
        { name: 'never' }
      ]
    })
    expect(codes({ staleTokenDays: 0 }, { tokens, inUse: tokens[0] })).toEqual([])
  })

  it('personal-account and classic-api-token on Cloud only', () => {
    const person: JiraUser = { accountId: '712020:x', accountType: 'atlassian' }
    expect(codes({}, { user: person, cloud: true, classicApiToken: true })).toEqual([
      'personal-account',
      'classic-api-token'
    ])
    expect(codes({}, { user: person, cloud: false })).toEqual([])
    expect(codes({}, { user: { ...person, accountType: 'app' }, cloud: true })).toEqual([])
  })

  it('insecure-http only for an http:// domain with the opt-in', () => {
    expect(
      evaluatePolicy(
        settingsFor({ allowInsecureHttp: true, baseUrl: 'http://jira.internal:8080' }),
        facts({ host: 'jira.internal' }),
        NOW
      )
    ).toEqual([{ code: 'insecure-http', host: 'jira.internal' }])
    expect(codes({ allowInsecureHttp: true })).toEqual([])
  })

  it('token-policy-ignore drops the named findings', () => {
    const all = facts({
      expiry: { name: 'deploy', matchedBy: 'name', nonExpiring: true },
      admin: ['ADMINISTER']
    })
    expect(
      evaluatePolicy(settingsFor({ tokenPolicyIgnore: ['admin-rights'] }), all, NOW).map(
        (f) => f.code
      )
    ).toEqual(['no-expiry'])
  })

  it('neutralises token names, which users choose', () => {
    const tokens: PatToken[] = [
      IN_USE,
      { id: 9, name: 'x\n::error::forged', lastAccessedAt: ago(300) }
    ]
    const [finding] = evaluatePolicy(settingsFor(), facts({ tokens }), NOW)
    expect(JSON.stringify(finding)).not.toContain('\n')
  })

  it('names every code once', () => {
    expect(new Set(POLICY_CODES).size).toBe(7)
  })
})
