/** The words for every token-hygiene finding: what was found, and the fix. */
import type { Context } from '../findings.js'
import type { PolicyFinding } from '../policy.js'
import { CLOUD_TOKEN_PAGE, isCloud, patPage } from './hints.js'
import type { Platform } from './platform.js'

export interface FindingText {
  code: PolicyFinding['code']
  /** What was found, in one line. */
  message: string
  fix: string
}

type Entries = {
  [C in PolicyFinding['code']]: (
    finding: Extract<PolicyFinding, { code: C }>,
    context: Context,
    p: Platform
  ) => Omit<FindingText, 'code'>
}

const named = (name: string | undefined): string => (name !== undefined ? ` "${name}"` : '')

function day(iso: string): string {
  return iso.slice(0, 10)
}

const entries: Entries = {
  'no-expiry': (f, c) => ({
    message: `The personal access token${named(f.tokenName)} never expires.`,
    fix: `Create a token with an expiry (90 days is the recommendation) in ${patPage(c)}, update the secret, and revoke this one.`
  }),
  'long-lifetime': (f, c, p) => ({
    message:
      f.from === 'pat-list'
        ? `The token${named(f.tokenName)} lives ${f.lifetimeDays} days from creation to expiry, more than ${p.setting('max-token-lifetime-days')} (${f.limitDays}).`
        : `${p.setting('token-expires-on')} is ${f.lifetimeDays} days away, more than ${p.setting('max-token-lifetime-days')} (${f.limitDays}) allows.`,
    fix: isCloud(c)
      ? `At the next rotation, create the API token (${CLOUD_TOKEN_PAGE}) with an expiry at most ${f.limitDays} days ahead.`
      : `At the next rotation, create the token with an expiry at most ${f.limitDays} days ahead (${patPage(c)}).`
  }),
  'admin-rights': (f) => ({
    message: `The account holds the global ${f.permissions.join(' and ')} permission${f.permissions.length > 1 ? 's' : ''}: it is a Jira administrator.`,
    fix: 'A deploy token should not be an administrator: use a service account with only the project permissions the job needs.'
  }),
  'stale-tokens': (f, c) => ({
    message:
      `The account has ${f.tokens.length} other token${f.tokens.length > 1 ? 's' : ''} not used for ${f.staleDays} days or never: ` +
      f.tokens
        .slice(0, 10)
        .map(
          (token) =>
            `"${token.name}" (${token.lastUsedAt ? `last used ${day(token.lastUsedAt)}` : 'never used'})`
        )
        .join(', ') +
      (f.tokens.length > 10 ? `, and ${f.tokens.length - 10} more` : '') +
      '.',
    fix: `Review them and revoke the ones nobody uses: ${patPage(c)}.`
  }),
  'personal-account': () => ({
    message:
      'The credential belongs to a person\'s Atlassian account (accountType "atlassian"), not to a service account.',
    fix: 'Use a service account (admin.atlassian.com › Directory › Service accounts), so the pipeline does not break when the person leaves.'
  }),
  'classic-api-token': () => ({
    message:
      'The API token works on the site itself, so it is a classic (unscoped) token, which Atlassian is deprecating.',
    fix: `Create a scoped API token (${CLOUD_TOKEN_PAGE} › Create API token with scopes) with only the scopes the job needs; the check finds the gateway for it.`
  }),
  'insecure-http': (f, _c, p) => ({
    message: `${p.setting('allow-insecure-http')} is on: the token travels in clear text to ${f.host}.`,
    fix: `Serve Jira over HTTPS and turn ${p.setting('allow-insecure-http')} off.`
  })
}

export function describeFinding(
  finding: PolicyFinding,
  context: Context,
  p: Platform
): FindingText {
  const entry = entries[finding.code] as (
    finding: PolicyFinding,
    context: Context,
    p: Platform
  ) => Omit<FindingText, 'code'>
  return { code: finding.code, ...entry(finding, context, p) }
}
