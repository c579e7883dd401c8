/** Plain-text renderings: the failure annotation or report block, and the success line. */
import type { Diagnosis } from '../diagnosis/catalogue.js'
import { untrusted } from '../untrusted.js'
import { describeIdentity, type CheckResult } from '../verdict.js'

/** Headline, explanation, numbered steps, and the docs link. */
export function formatDiagnosis(diagnosis: Diagnosis, docsUrl: string): string {
  const lines = [diagnosis.headline]
  if (diagnosis.explanation) lines.push(diagnosis.explanation)
  if (diagnosis.steps.length > 0) {
    lines.push('What to do:')
    diagnosis.steps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`))
  }
  lines.push(`More: ${docsUrl}#${diagnosis.code}`)
  return lines.join('\n')
}

/** "Authenticated to Jira 10.3.19 as CI Bot (ci-bot, ci-bot@example.com)". */
export function successLine(result: CheckResult): string {
  const version = result.server?.version ? ` ${untrusted(result.server.version, 60)}` : ''
  return `Authenticated to Jira${version} as ${result.user ? describeIdentity(result.user) : 'an unknown user'}`
}
