import type { CheckResult } from './check.js'
import type { Diagnosis } from './diagnosis.js'
import type { Settings } from './settings.js'
import { untrusted } from './untrusted.js'

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
      ['Email', escapeHtml(user.emailAddress)],
      ['Active', user.active === undefined ? '' : user.active ? 'yes' : '<b>no</b>']
    ])
  )
}

function serverSection(result: CheckResult, settings: Settings | undefined): string {
  const server = result.server
  if (!server && !settings) return ''
  return (
    '<h3>Server</h3>\n' +
    table([
      ['URL', escapeHtml(settings?.baseUrl ?? result.context.baseUrl)],
      ['Version', escapeHtml(server?.version)],
      ['Deployment type', escapeHtml(server?.deploymentType)],
      ['Title', escapeHtml(server?.serverTitle)]
    ])
  )
}

function tokenSection(result: CheckResult, settings: Settings | undefined): string {
  const expiry = result.expiry
  if (!expiry) return ''
  let expires: string
  if (expiry.nonExpiring) expires = 'never'
  else if (expiry.expiresAt) {
    const left = expiry.daysLeft ?? 0
    const short = settings
      ? left <= Math.max(settings.expiryWarningDays, settings.expiryErrorDays)
      : false
    const days = `${left} day${left === 1 ? '' : 's'} left`
    expires = `${escapeHtml(expiry.expiresAt.slice(0, 10))} (${short ? `⚠️ <b>${days}</b>` : days})`
  } else expires = `unknown: ${escapeHtml(expiry.unknownBecause)}`
  const matched: Record<string, string> = {
    name: 'by `token-name`',
    'only-token': "the account's only token",
    guess: 'guessed: the most recently used token (set `token-name`)',
    input: 'from `token-expires-on`'
  }
  return (
    '<h3>Token</h3>\n' +
    table([
      ['Name', escapeHtml(expiry.name)],
      ['Expires', expires],
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
  link: string
): string {
  return (
    `<h2>Jira token check</h2>\n<p>${verdictLine(result)}</p>\n` +
    identitySection(result) +
    serverSection(result, settings) +
    tokenSection(result, settings) +
    permissionsSection(result, settings) +
    verdictSection(diagnosis, link)
  )
}
