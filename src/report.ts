import * as core from '@actions/core'
import type { CheckResult } from './check.js'
import { describeIdentity } from './check.js'
import { diagnose, formatDiagnosis, type Diagnosis } from './diagnosis.js'
import type { Context, Failure } from './findings.js'
import type { Note, Settings } from './settings.js'
import { renderSummary } from './summary.js'
import { safeLines, untrusted } from './untrusted.js'

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
    | 'status'
    | 'failure'
    | 'httpStatus'
    | 'user'
    | 'identityJson'
    | 'server'
    | 'expiry'
    | 'permissions'
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
    identity: result.identityJson ?? '',
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

/** A line for the log. Every info line goes through here, so no Jira value can become a runner command. */
export function logLine(text: string, redact: (text: string) => string): void {
  core.info(safeLines(redact(text)))
}

/** A runner file (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) that could not be written. */
export interface RunnerFileProblem {
  variable: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY'
  path: string
  /** EISDIR, EACCES, ... or a phrase when Node gave no code. */
  reason: string
}

function runnerFileProblem(
  variable: RunnerFileProblem['variable'],
  error: unknown
): RunnerFileProblem {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const message = error instanceof Error ? error.message : String(error)
  const reason =
    code ??
    (/Missing file|Unable to access/i.test(message)
      ? 'the file does not exist or cannot be written'
      : untrusted(message, 160))
  return { variable, path: process.env[variable] ?? '', reason }
}

const REASONS: Record<string, string> = {
  EISDIR: 'it is a directory',
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full'
}

function reportRunnerFile(
  problem: RunnerFileProblem,
  result: CheckResult,
  redact: (text: string) => string
): void {
  const why = REASONS[problem.reason]
    ? `${problem.reason}: ${REASONS[problem.reason]}`
    : problem.reason
  const what =
    problem.variable === 'GITHUB_OUTPUT'
      ? "the step's outputs could not be written, so later steps will see none of them"
      : 'the job summary could not be written'
  const message =
    `${problem.variable} (${problem.path || 'unset'}) cannot be written (${why}): ${what}. ` +
    `This is a problem with the runner or the workflow that set ${problem.variable}, not with the Jira token. ` +
    `The check itself ended with status ${result.status}${result.failure ? ` (${result.failure.code})` : ''}.`
  const title = `The runner's ${problem.variable} file cannot be written`
  if (problem.variable === 'GITHUB_OUTPUT') core.error(redact(message), { title })
  else core.warning(redact(message), { title })
}

/** Every output, in order; stops at the first that cannot be written and says why. */
function writeOutputs(
  outputs: Outputs,
  redact: (text: string) => string
): RunnerFileProblem | undefined {
  for (const name of OUTPUT_NAMES) {
    try {
      core.setOutput(name, redact(outputs[name]))
    } catch (error) {
      return runnerFileProblem('GITHUB_OUTPUT', error)
    }
  }
  return undefined
}

/**
 * Everything the run leaves behind: outputs, annotations, the summary, the exit code. A failure is
 * one titled error annotation; the exit code is set without a second one (core.setFailed would
 * add it).
 */
export async function report(
  result: CheckResult,
  settings: Settings | undefined,
  secrets: readonly string[]
): Promise<void> {
  const redact = redactor(secrets)
  const outputsProblem = writeOutputs(outputsOf(result), redact)
  emitNotes(result.notes, redact)

  const link = docsUrl()
  let diagnosis: Diagnosis | undefined
  if (result.failure) {
    diagnosis = diagnose(result.failure, result.context)
    core.error(redact(formatDiagnosis(diagnosis, link)), { title: redact(diagnosis.title) })
  } else {
    logLine(successLine(result), redact)
    if (result.status === 'warning' && result.expiry) {
      const warning = expiryWarning(result, settings)
      core.warning(redact(formatDiagnosis(warning, link)), { title: warning.title })
    }
  }

  let summaryProblem: RunnerFileProblem | undefined
  if (settings?.summary !== false && process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary
        .addRaw(redact(renderSummary(result, settings, diagnosis, link)), true)
        .write()
    } catch (error) {
      summaryProblem = runnerFileProblem('GITHUB_STEP_SUMMARY', error)
    }
  }
  for (const problem of [outputsProblem, summaryProblem]) {
    if (problem) reportRunnerFile(problem, result, redact)
  }
  if (outputsProblem) {
    // The outputs carry the verdict to later steps; without them, the log is the only place left.
    logLine(
      `Verdict: status=${result.status}${result.failure ? `, error-code=${result.failure.code}` : ''}`,
      redact
    )
  }
  if (result.failure || outputsProblem) process.exitCode = 1
}

function successLine(result: CheckResult): string {
  const version = result.server?.version ? ` ${untrusted(result.server.version, 60)}` : ''
  return `Authenticated to Jira${version} as ${result.user ? describeIdentity(result.user) : 'an unknown user'}`
}

function expiryWarning(result: CheckResult, settings: Settings | undefined): Diagnosis {
  const expiry = result.expiry ?? {}
  const base = diagnose(
    {
      code: 'token-expiring',
      evidence: {
        daysLeft: expiry.daysLeft,
        expiresAt: expiry.expiresAt,
        tokenName: expiry.name === undefined ? undefined : untrusted(expiry.name, 60)
      }
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
