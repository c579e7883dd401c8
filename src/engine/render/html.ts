/** The job summary: identity, server, token, permissions and verdict, every Jira value escaped. */
import type { Diagnosis } from '../diagnosis/catalogue.js'
import type { Platform } from '../diagnosis/platform.js'
import { CLOUD_TOKEN_PAGE, isCloud, patPage } from '../diagnosis/hints.js'
import { describeFinding } from '../diagnosis/policy.js'
import { expiryLevel } from '../expiry.js'
import type { Settings } from '../settings/parse.js'
import { untrusted } from '../untrusted.js'
import type { CheckResult, CredentialKind } from '../verdict.js'

/** Jira's values (display names, titles) go into HTML: neutralise and escape every one of them. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return untrusted(value, Number.MAX_SAFE_INTEGER)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

type Row = [string, string]

function table(rows: Row[]): string {
  const body = rows
    .filter(([, value]) => value !== '')
    .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${value}</td></tr>`)
    .join('')
  return body ? `<table>${body}</table>\n` : ''
}

function verdictLine(result: CheckResult): string {
  if (result.status === 'ok') return '✅ The token works'
  if (result.status === 'warning') return '⚠️ The token works, with a warning'
  return `❌ Failed: <code>${escapeHtml(result.failure?.code)}</code>`
}

function identitySection(result: CheckResult): string {
  const user = result.user
  if (!user) return ''
  return (
    '<h3>Identity</h3>\n' +
    table([
      ['Display name', escapeHtml(user.displayName)],
      ['Username', escapeHtml(user.name)],
      ['User key', escapeHtml(user.key)],
      ['Account ID', escapeHtml(user.accountId)],
      [
        'Account type',
        result.serviceAccount
          ? `service account${user.accountType ? ` (${escapeHtml(user.accountType)})` : ''}`
          : escapeHtml(user.accountType)
      ],
      ['Email', escapeHtml(user.emailAddress)],
      ['Active', user.active === undefined ? '' : user.active ? 'yes' : '<b>no</b>']
    ])
  )
}

function serverSection(result: CheckResult, settings: Settings | undefined): string {
  const server = result.server
  if (!server && !settings) return ''
  // The gateway's own links point at api.atlassian.com: people get the site's URL, and the
  // gateway's only as the base for REST calls.
  const site = settings?.baseUrl ?? result.context.baseUrl
  return (
    '<h3>Server</h3>\n' +
    table([
      ['URL', escapeHtml(site)],
      [
        'REST API base',
        result.apiBaseUrl && result.apiBaseUrl !== site ? escapeHtml(result.apiBaseUrl) : ''
      ],
      ['Cloud ID', escapeHtml(result.cloudId)],
      ['Version', escapeHtml(server?.version)],
      ['Deployment type', escapeHtml(server?.deploymentType)],
      ['Title', escapeHtml(server?.serverTitle)]
    ])
  )
}

const KIND_LABELS: Record<CredentialKind, string> = {
  pat: 'personal access token',
  'bearer-token': 'Bearer token (not a personal access token)',
  password: 'password (Basic auth)',
  'api-token': 'API token',
  'scoped-api-token': 'scoped API token (works only through the API gateway)',
  'oauth-client-credentials': 'OAuth 2.0 client credentials'
}

function tokenSection(result: CheckResult, settings: Settings | undefined, p: Platform): string {
  const expiry = result.expiry
  const kind = result.credentialKind ? escapeHtml(KIND_LABELS[result.credentialKind]) : ''
  const access = result.accessToken
    ? `obtained, masked in the log${result.accessToken.expiresAt ? `; expires ${escapeHtml(result.accessToken.expiresAt)}` : ''}`
    : ''
  if (!expiry) {
    return kind || access
      ? '<h3>Token</h3>\n' +
          table([
            ['Kind', kind],
            ['Access token', access]
          ])
      : ''
  }
  let expires: string
  if (expiry.nonExpiring) expires = 'never'
  else if (expiry.expiresAt) {
    const left = expiry.daysLeft ?? 0
    // The same thresholds as the verdict: expiryLevel is the only place they are applied.
    const short = settings
      ? expiryLevel(expiry, settings.expiryWarningDays, settings.expiryErrorDays) !== 'ok'
      : false
    const days = `${left} day${left === 1 ? '' : 's'} left`
    expires = `${escapeHtml(expiry.expiresAt.slice(0, 10))} (${short ? `⚠️ <b>${days}</b>` : days})`
  } else {
    // Jira exposes no expiry for Cloud API tokens and passwords: say how to track it anyway.
    const hint =
      result.context.authScheme === 'basic' && expiry.matchedBy !== 'input'
        ? `; set ${p.setting('token-expires-on')} to track it`
        : ''
    expires = `unknown: ${escapeHtml(expiry.unknownBecause)}${escapeHtml(hint)}`
  }
  const matched: Record<string, string> = {
    name: `by ${p.setting('token-name')}`,
    'only-token': "the account's only token",
    guess: `guessed: the most recently used token (set ${p.setting('token-name')})`,
    input: `from ${p.setting('token-expires-on')}`
  }
  return (
    '<h3>Token</h3>\n' +
    table([
      ['Kind', kind],
      ['Name', escapeHtml(expiry.name)],
      ['Expires', expires],
      ['Access token', access],
      ['Found', expiry.matchedBy ? escapeHtml(matched[expiry.matchedBy]) : '']
    ])
  )
}

function permissionsSection(result: CheckResult, settings: Settings | undefined): string {
  const permissions = result.permissions
  if (!permissions || permissions.length === 0) return ''
  const scope = settings?.project ? ` in ${escapeHtml(settings.project)}` : ''
  const rows = permissions
    .map((p) => {
      const mark = p.granted ? '✅' : p.unknown ? '❓ unknown key' : '❌'
      return `<tr><td><code>${escapeHtml(p.key)}</code></td><td>${mark}</td></tr>`
    })
    .join('')
  return `<h3>Permissions${scope}</h3>\n<table><tr><th>Permission</th><th>Held</th></tr>${rows}</table>\n`
}

/** Token hygiene: each finding with its fix, or that there are none; nothing with token-policy off. */
function hygieneSection(result: CheckResult, p: Platform): string {
  if (!result.policy) return ''
  if (result.policy.length === 0) return '<h3>Token hygiene</h3>\n<p>✅ No findings.</p>\n'
  const rows = result.policy
    .map((finding) => describeFinding(finding, result.context, p))
    .map(
      (words) =>
        `<tr><td><code>${escapeHtml(words.code)}</code></td><td>${escapeHtml(words.message)}</td><td>${escapeHtml(words.fix)}</td></tr>`
    )
    .join('')
  return `<h3>Token hygiene</h3>\n<table><tr><th>Finding</th><th>What</th><th>Fix</th></tr>${rows}</table>\n`
}

/**
 * Within expiry-warning-days of expiry: the three steps of a rotation, in their order, so that the
 * secret never holds a token that does not work.
 */
function rotationChecklist(
  result: CheckResult,
  settings: Settings | undefined,
  p: Platform
): string {
  const left = result.expiry?.daysLeft
  if (!settings || left === undefined || settings.expiryWarningDays === 0) return ''
  if (left > settings.expiryWarningDays) return ''
  const cloud = isCloud(result.context)
  const create = cloud
    ? `Create the new API token now, before the old one expires (${CLOUD_TOKEN_PAGE}).`
    : `Create the new token now, before the old one expires: ${patPage(result.context)} › Create token.`
  const secret = settings.authScheme === 'client-credentials' ? 'client-secret' : 'token'
  const steps = [
    create,
    `Update ${p.secretSource(secret)} with it, and re-run this check.`,
    'Revoke the old token.'
  ]
  return `<h3>Rotation checklist</h3>\n<ol>${steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('')}</ol>\n`
}

function verdictSection(diagnosis: Diagnosis | undefined, link: string): string {
  if (!diagnosis) return ''
  const steps = diagnosis.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('')
  return (
    `<h3>Verdict: ${escapeHtml(diagnosis.title)}</h3>\n` +
    `<p>${escapeHtml(diagnosis.headline)}</p>\n` +
    (diagnosis.explanation ? `<p>${escapeHtml(diagnosis.explanation)}</p>\n` : '') +
    (steps ? `<ol>${steps}</ol>\n` : '') +
    `<p><a href="${escapeHtml(`${link}#${diagnosis.code}`)}">Troubleshooting: ${escapeHtml(diagnosis.code)}</a></p>\n`
  )
}

export function renderSummary(
  result: CheckResult,
  settings: Settings | undefined,
  diagnosis: Diagnosis | undefined,
  p: Platform
): string {
  const link = p.docsUrl
  return (
    `<h2>Jira token check</h2>\n<p>${verdictLine(result)}</p>\n` +
    identitySection(result) +
    serverSection(result, settings) +
    tokenSection(result, settings, p) +
    permissionsSection(result, settings) +
    hygieneSection(result, p) +
    rotationChecklist(result, settings, p) +
    verdictSection(diagnosis, link)
  )
}
