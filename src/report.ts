import * as core from '@actions/core'
import type { CheckResult } from './check.js'
import { describeIdentity } from './check.js'
import { diagnose, formatDiagnosis, type Diagnosis } from './diagnosis.js'
import type { Context, Failure } from './findings.js'
import type { Note, Settings } from './settings.js'
import { renderSummary } from './summary.js'

export const OUTPUT_NAMES = [
  'status',
  'error-code',
  'http-status',
  'display-name',
  'email',
  'username',
  'user-key',
  'account-id',
  'active',
  'time-zone',
  'locale',
  'identity',
  'deployment-type',
  'server-version',
  'token-name',
  'token-expires-at',
  'token-days-left',
  'missing-permissions'
] as const

export type Outputs = Record<(typeof OUTPUT_NAMES)[number], string>

/** Replaces every secret with ***, whatever the runner's masking does: defence in depth. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const ordered = [...secrets]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
  return (text) => ordered.reduce((result, secret) => result.split(secret).join('***'), text)
}

/** The troubleshooting doc of the action version that is running, as google-github-actions/auth links its own. */
export function docsUrl(env: NodeJS.ProcessEnv = process.env): string {
  const repository = env.GITHUB_ACTION_REPOSITORY || 'jira-auth-check/jira-auth-check'
  const ref = env.GITHUB_ACTION_REF || 'v1'
  return `https://github.com/${repository}/blob/${ref}/docs/troubleshooting.md`
}

export function outputsOf(
  result: Pick<
    CheckResult,
    'status' | 'failure' | 'httpStatus' | 'user' | 'server' | 'expiry' | 'permissions'
  >
): Outputs {
  const user = result.user
  const missing =
    result.permissions?.filter((permission) => !permission.granted).map((p) => p.key) ?? []
  return {
    status: result.status,
    'error-code': result.failure?.code ?? '',
    'http-status': result.httpStatus !== undefined ? String(result.httpStatus) : '',
    'display-name': user?.displayName ?? '',
    email: user?.emailAddress ?? '',
    username: user?.name ?? '',
    'user-key': user?.key ?? '',
    'account-id': user?.accountId ?? '',
    active: typeof user?.active === 'boolean' ? String(user.active) : '',
    'time-zone': user?.timeZone ?? '',
    locale: user?.locale ?? '',
    identity: user ? JSON.stringify(user) : '',
    'deployment-type': result.server?.deploymentType ?? '',
    'server-version': result.server?.version ?? '',
    'token-name': result.expiry?.name ?? '',
    'token-expires-at': result.expiry?.expiresAt ?? '',
    'token-days-left': result.expiry?.daysLeft !== undefined ? String(result.expiry.daysLeft) : '',
    'missing-permissions': missing.join(',')
  }
}

export function emitNotes(notes: readonly Note[], redact: (text: string) => string): void {
  for (const note of notes) {
    if (note.level === 'warning') core.warning(redact(note.message))
    else core.notice(redact(note.message))
  }
}

/** Everything the run leaves behind: outputs, annotations, the summary, the exit code. */
export async function report(
  result: CheckResult,
  settings: Settings | undefined,
  secrets: readonly string[]
): Promise<void> {
  const redact = redactor(secrets)
  const outputs = outputsOf(result)
  for (const name of OUTPUT_NAMES) core.setOutput(name, redact(outputs[name]))
  emitNotes(result.notes, redact)

  const link = docsUrl()
  let diagnosis: Diagnosis | undefined
  if (result.failure) {
    diagnosis = diagnose(result.failure, result.context)
    core.error(redact(formatDiagnosis(diagnosis, link)), { title: redact(diagnosis.title) })
  } else {
    core.info(redact(successLine(result)))
    if (result.status === 'warning' && result.expiry) {
      const warning = expiryWarning(result, settings)
      core.warning(redact(formatDiagnosis(warning, link)), { title: warning.title })
    }
  }

  if (settings?.summary !== false && process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary
        .addRaw(redact(renderSummary(result, settings, diagnosis, link)), true)
        .write()
    } catch (error) {
      core.warning(
        `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
      )
    }
  }
  if (result.failure && diagnosis) {
    core.setFailed(
      redact(`Jira token check failed (${result.failure.code}): ${diagnosis.headline}`)
    )
  }
}

function successLine(result: CheckResult): string {
  const version = result.server?.version ? ` ${result.server.version}` : ''
  return `Authenticated to Jira${version} as ${result.user ? describeIdentity(result.user) : 'an unknown user'}`
}

function expiryWarning(result: CheckResult, settings: Settings | undefined): Diagnosis {
  const expiry = result.expiry ?? {}
  const base = diagnose(
    {
      code: 'token-expiring',
      evidence: { daysLeft: expiry.daysLeft, expiresAt: expiry.expiresAt, tokenName: expiry.name }
    },
    result.context
  )
  return {
    ...base,
    explanation: `That is within expiry-warning-days (${settings?.expiryWarningDays}); the step still passes.`
  }
}

/** A failure that happened before or outside the check: bad input, or a bug. */
export function failedResult(failure: Failure, context: Context = {}): CheckResult {
  return { status: 'failed', failure, notes: [], context }
}
