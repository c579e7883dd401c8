/** Plain-text renderings: the failure annotation or report block, and the success line. */
import type { Diagnosis } from '../diagnosis/catalogue.js'
import { untrusted } from '../untrusted.js'
import { describeIdentity, type CheckResult, type CredentialKind } from '../verdict.js'

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

const KIND_WORDS: Record<CredentialKind, string> = {
  pat: 'a personal access token',
  'bearer-token': 'a Bearer token',
  password: 'a password',
  'api-token': 'an API token',
  'scoped-api-token': 'a scoped API token',
  'oauth-client-credentials': 'OAuth 2.0 client credentials'
}

/**
 * "Authenticated to Jira 10.3.19 as CI Bot (ci-bot, ci-bot@example.com) with a personal access
 * token", and for the gateway "…, through https://api.atlassian.com/ex/jira/<cloudId>".
 */
export function successLine(result: CheckResult): string {
  const version = result.server?.version ? ` ${untrusted(result.server.version, 60)}` : ''
  const who = result.user
    ? describeIdentity(result.user, result.serviceAccount)
    : result.serviceAccount
      ? 'a service account Jira did not name'
      : 'an unknown user'
  const kind = result.credentialKind ? ` with ${KIND_WORDS[result.credentialKind]}` : ''
  const route =
    result.context.viaGateway && result.apiBaseUrl ? `, through ${result.apiBaseUrl}` : ''
  return `Authenticated to Jira${version} as ${who}${kind}${route}`
}
