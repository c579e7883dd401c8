/** The rotate action's job summary: the decision, both tokens, the secret, the verdict; every value escaped. */
import { decisionText, dryRunPlan } from '../diagnosis/rotation-progress.js'
import { secretLabel, tokenText, type RotationDiagnosis } from '../diagnosis/rotation.js'
import type { Platform } from '../diagnosis/platform.js'
import type { RotateResult } from '../rotate/findings.js'
import { describeIdentity } from '../verdict.js'
import { escapeHtml } from './html.js'

function verdictLine(result: RotateResult): string {
  if (result.status === 'failed')
    return `❌ Failed: <code>${escapeHtml(result.failure?.code)}</code>`
  if (result.dryRun) return '🧪 Dry run: nothing was changed'
  if (result.rotated && result.status === 'warning') return '⚠️ Rotated; the old token still works'
  return result.rotated ? '✅ Rotated' : '✅ Not due: nothing was changed'
}

function rows(entries: Array<[string, string]>): string {
  const body = entries
    .filter(([, value]) => value !== '')
    .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${value}</td></tr>`)
    .join('')
  return body ? `<table>${body}</table>\n` : ''
}

function section(diagnosis: RotationDiagnosis, docsUrl: string): string {
  const steps = diagnosis.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('')
  return (
    `<h3>${escapeHtml(diagnosis.title)}</h3>\n` +
    `<p>${escapeHtml(diagnosis.headline)}</p>\n` +
    (diagnosis.explanation ? `<p>${escapeHtml(diagnosis.explanation)}</p>\n` : '') +
    `<p><b>${escapeHtml(diagnosis.step)}.</b> ${escapeHtml(diagnosis.state)}</p>\n` +
    (steps ? `<ol>${steps}</ol>\n` : '') +
    `<p><a href="${escapeHtml(`${docsUrl}#${diagnosis.code}`)}">Troubleshooting: ${escapeHtml(diagnosis.code)}</a></p>\n`
  )
}

export function renderRotateSummary(
  result: RotateResult,
  diagnoses: readonly RotationDiagnosis[],
  p: Platform
): string {
  const c = result.context
  const user = result.check?.user
  const plan = result.dryRun ? dryRunPlan(result, p) : []
  return (
    `<h2>Jira token rotation</h2>\n<p>${verdictLine(result)}</p>\n` +
    rows([
      ['Account', user ? escapeHtml(describeIdentity(user)) : ''],
      ['Secret', escapeHtml(secretLabel(c.secret))],
      [
        result.rotated ? 'Old token' : 'Current token',
        c.old
          ? escapeHtml(tokenText(c.old, true)) +
            (result.rotated ? (result.oldRevoked ? ': revoked' : ': <b>still valid</b>') : '')
          : ''
      ],
      ['Decision', result.decision ? escapeHtml(decisionText(result.decision, p)) : ''],
      ['New token', result.created ? escapeHtml(tokenText(result.created, true)) : '']
    ]) +
    (plan.length > 0 ? `<p>${plan.map((line) => escapeHtml(line)).join('<br>')}</p>\n` : '') +
    diagnoses.map((diagnosis) => section(diagnosis, p.docsUrl)).join('')
  )
}
