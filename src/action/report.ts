/**
 * Everything the action leaves behind: outputs, annotations, the job summary, the exit code.
 * Every line that reaches the log goes through safeLines, every value through the redactor.
 */
import * as core from '@actions/core'
import {
  diagnose,
  expiryWarning,
  policyWarning,
  type Diagnosis
} from '../engine/diagnosis/catalogue.js'
import { describeNote } from '../engine/diagnosis/notes.js'
import type { Platform } from '../engine/diagnosis/platform.js'
import type { Note } from '../engine/findings.js'
import { escapeHtml, renderSummary } from '../engine/render/html.js'
import { OUTPUT_NAMES, SECRET_OUTPUTS, outputsOf, type Outputs } from '../engine/render/outputs.js'
import { formatDiagnosis, successLine } from '../engine/render/text.js'
import type { Settings } from '../engine/settings/parse.js'
import { redactor } from '../engine/settings/secrets.js'
import { safeLines, untrusted } from '../engine/untrusted.js'
import type { CheckResult } from '../engine/verdict.js'

type Redact = (text: string) => string

export function emitNotes(notes: readonly Note[], redact: Redact, p: Platform): void {
  for (const note of notes) {
    const { level, message } = describeNote(note, p)
    if (level === 'warning') core.warning(redact(message))
    else core.notice(redact(message))
  }
}

/** A line for the log. Every info line goes through here, so no Jira value can become a runner command. */
export function logLine(text: string, redact: Redact): void {
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

function reportRunnerFile(problem: RunnerFileProblem, result: CheckResult, redact: Redact): void {
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
function writeOutputs(outputs: Outputs, redact: Redact): RunnerFileProblem | undefined {
  for (const name of OUTPUT_NAMES) {
    try {
      // The access token is the one output meant to carry a secret: the runner masks it in logs.
      core.setOutput(name, SECRET_OUTPUTS.includes(name) ? outputs[name] : redact(outputs[name]))
    } catch (error) {
      return runnerFileProblem('GITHUB_OUTPUT', error)
    }
  }
  return undefined
}

/**
 * A failure is one titled error annotation; the exit code is set without a second one
 * (core.setFailed would add it).
 */
export async function report(
  result: CheckResult,
  settings: Settings | undefined,
  secrets: readonly string[],
  p: Platform
): Promise<void> {
  const redact = redactor(secrets)
  const redactHtml = redactor([...secrets, ...secrets.map(escapeHtml)])
  const outputsProblem = writeOutputs(outputsOf(result), redact)
  emitNotes(result.notes, redact, p)

  let diagnosis: Diagnosis | undefined
  if (result.failure) {
    diagnosis = diagnose(result.failure, result.context, p)
    core.error(redact(formatDiagnosis(diagnosis, p.docsUrl)), { title: redact(diagnosis.title) })
  } else {
    logLine(successLine(result), redact)
    const expiry = result.expiry
    if (
      result.status === 'warning' &&
      settings &&
      expiry?.daysLeft !== undefined &&
      expiry.expiresAt
    ) {
      const warning = expiryWarning(
        {
          daysLeft: expiry.daysLeft,
          expiresAt: expiry.expiresAt,
          name: expiry.name && untrusted(expiry.name, 60)
        },
        settings.expiryWarningDays,
        result.context,
        p
      )
      core.warning(redact(formatDiagnosis(warning, p.docsUrl)), { title: warning.title })
    }
    // token-policy warn: every finding in one warning; the step passes, status unchanged.
    if (result.policy && result.policy.length > 0) {
      const hygiene = policyWarning(result.policy, result.context, p)
      core.warning(redact(formatDiagnosis(hygiene, p.docsUrl)), { title: hygiene.title })
    }
  }

  let summaryProblem: RunnerFileProblem | undefined
  if (settings?.summary !== false && process.env.GITHUB_STEP_SUMMARY) {
    try {
      // The summary holds escaped HTML: a secret with & < > " ' appears there escaped.
      await core.summary
        .addRaw(redactHtml(renderSummary(result, settings, diagnosis, p)), true)
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
