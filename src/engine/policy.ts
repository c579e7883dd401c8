/**
 * Token hygiene: the seed's best practices, checked on every run from what the check read anyway
 * (the PAT list, mypermissions, /myself, the route the credential took). Findings are data; the
 * words are in diagnosis/policy.ts.
 */
import type { JiraUser, PatToken, TokenExpiry } from './jira/types.js'
import type { Settings } from './settings/parse.js'
import { untrusted } from './untrusted.js'

export const POLICY_CODES = [
  'no-expiry',
  'long-lifetime',
  'admin-rights',
  'stale-tokens',
  'personal-account',
  'classic-api-token',
  'insecure-http'
] as const

export type PolicyCode = (typeof POLICY_CODES)[number]

/** The global permissions that make an account a Jira administrator. */
export const ADMIN_PERMISSIONS = ['ADMINISTER', 'SYSTEM_ADMIN'] as const

export interface StaleToken {
  name: string
  /** ISO 8601; undefined for a token never used. */
  lastUsedAt?: string
}

export type PolicyFinding =
  | { code: 'no-expiry'; tokenName?: string }
  | {
      code: 'long-lifetime'
      lifetimeDays: number
      limitDays: number
      /** The PAT list's createdAt and expiringAt, or token-expires-on counted from today. */
      from: 'pat-list' | 'token-expires-on'
      tokenName?: string
    }
  | { code: 'admin-rights'; permissions: string[] }
  | { code: 'stale-tokens'; tokens: StaleToken[]; staleDays: number }
  | { code: 'personal-account' }
  | { code: 'classic-api-token' }
  | { code: 'insecure-http'; host: string }

/** What the verdict learnt that the policy reads. */
export interface PolicyFacts {
  user: JiraUser
  expiry: TokenExpiry
  /** The PAT list, when it was read; `inUse` is the token the expiry came from. */
  tokens?: readonly PatToken[]
  inUse?: PatToken
  /** The admin permissions the account holds; undefined when mypermissions could not say. */
  admin?: readonly string[]
  cloud: boolean
  /** The credential worked on the Cloud site host itself: an unscoped, classic API token. */
  classicApiToken: boolean
  host: string
}

const DAY_MS = 24 * 60 * 60 * 1000

function date(value: string | undefined): number | undefined {
  const ms = Date.parse(value ?? '')
  return Number.isNaN(ms) ? undefined : ms
}

/** Every finding that holds, minus the ignored ones, in POLICY_CODES order. */
export function evaluatePolicy(settings: Settings, facts: PolicyFacts, now: Date): PolicyFinding[] {
  if (settings.tokenPolicy === 'off') return []
  const findings: PolicyFinding[] = []
  const { expiry } = facts
  const tokenName = expiry.name !== undefined ? untrusted(expiry.name, 60) : undefined
  const named = tokenName !== undefined ? { tokenName } : {}

  if (expiry.nonExpiring) findings.push({ code: 'no-expiry', ...named })

  const limit = settings.maxTokenLifetimeDays
  if (limit > 0 && !expiry.nonExpiring) {
    const created = date(facts.inUse?.createdAt)
    const expires = date(expiry.expiresAt)
    if (expiry.matchedBy === 'input' && expires !== undefined) {
      // Cloud shows no creation date: the expiry given lies further ahead than the limit allows.
      const lifetimeDays = Math.floor((expires - now.getTime()) / DAY_MS)
      if (lifetimeDays > limit)
        findings.push({
          code: 'long-lifetime',
          lifetimeDays,
          limitDays: limit,
          from: 'token-expires-on'
        })
    } else if (created !== undefined && expires !== undefined) {
      const lifetimeDays = Math.floor((expires - created) / DAY_MS)
      if (lifetimeDays > limit)
        findings.push({
          code: 'long-lifetime',
          lifetimeDays,
          limitDays: limit,
          from: 'pat-list',
          ...named
        })
    }
  }

  if (facts.admin && facts.admin.length > 0)
    findings.push({ code: 'admin-rights', permissions: [...facts.admin] })

  if (settings.staleTokenDays > 0 && facts.tokens) {
    const cutoff = now.getTime() - settings.staleTokenDays * DAY_MS
    const stale = facts.tokens
      .filter((token) => token !== facts.inUse)
      .filter((token) => {
        const used = date(token.lastAccessedAt)
        return used === undefined || used <= cutoff
      })
      .map((token): StaleToken => {
        const used = date(token.lastAccessedAt)
        return {
          name: untrusted(token.name, 60),
          ...(used !== undefined && { lastUsedAt: new Date(used).toISOString() })
        }
      })
    if (stale.length > 0)
      findings.push({ code: 'stale-tokens', tokens: stale, staleDays: settings.staleTokenDays })
  }

  if (facts.cloud && facts.user.accountType === 'atlassian')
    findings.push({ code: 'personal-account' })
  if (facts.classicApiToken) findings.push({ code: 'classic-api-token' })
  if (settings.allowInsecureHttp && new URL(settings.baseUrl).protocol === 'http:')
    findings.push({ code: 'insecure-http', host: facts.host })

  const ignored = new Set<string>(settings.tokenPolicyIgnore)
  return findings.filter((finding) => !ignored.has(finding.code))
}
