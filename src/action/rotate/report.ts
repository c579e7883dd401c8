/**
 * Everything the rotate action leaves behind: outputs, notes, one error annotation on failure (and
 * one warning per thing left for a person), the job summary, the exit code. Every line goes through
 * safeLines, every value through the redactor, whose list holds the new token from the moment it exists.
 */
import * as core from '@actions/core'
import type { Platform } from '../../engine/diagnosis/platform.js'
import { dryRunPlan, outcomeLine } from '../../engine/diagnosis/rotation-progress.js'
import {
  describeRotationWarning,
  diagnoseRotation,
  type RotationDiagnosis
} from '../../engine/diagnosis/rotation.js'
import { escapeHtml } from '../../engine/render/html.js'
import { renderRotateSummary } from '../../engine/render/rotate-html.js'
import { ROTATE_OUTPUT_NAMES, rotateOutputsOf } from '../../engine/render/rotate-outputs.js'
import { formatRotationDiagnosis } from '../../engine/render/rotate-text.js'
import type { RotateResult } from '../../engine/rotate/findings.js'
import type { RotateSettings } from '../../engine/settings/rotate-parse.js'
import { redactor } from '../../engine/settings/secrets.js'
import { untrusted } from '../../engine/untrusted.js'
import { emitNotes, logLine } from '../report.js'

type Redact = (text: string) => string

/** A runner file that cannot be written: named, with Node's reason, never the verdict's words. */
function fileProblem(variable: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY', error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reason = code ?? untrusted(error instanceof Error ? error.message : String(error), 160)
  return `${variable} (${process.env[variable] || 'unset'}) cannot be written (${reason}). This is a problem with the runner or the workflow, not with Jira or the secret.`
}

export async function reportRotation(
  result: RotateResult,
  settings: RotateSettings | undefined,
  secrets: readonly string[],
  p: Platform
): Promise<void> {
  const redact: Redact = redactor(secrets)
  const redactHtml = redactor([...secrets, ...secrets.map(escapeHtml)])
  const outputs = rotateOutputsOf(result)
  let outputsBroken = false
  for (const name of ROTATE_OUTPUT_NAMES) {
    try {
      core.setOutput(name, redact(outputs[name]))
    } catch (error) {
      core.error(redact(fileProblem('GITHUB_OUTPUT', error)), {
        title: "The runner's GITHUB_OUTPUT file cannot be written"
      })
      outputsBroken = true
      break
    }
  }
  // The rotation handles two tokens of one name itself (token-name-ambiguous): no second word on it.
  emitNotes(
    result.notes.filter((note) => note.code !== 'token-namesakes'),
    redact,
    p
  )

  const diagnoses: RotationDiagnosis[] = []
  if (result.failure) {
    const diagnosis = diagnoseRotation(result.failure, result.step, result.context, p)
    core.error(redact(formatRotationDiagnosis(diagnosis, p.docsUrl)), {
      title: redact(diagnosis.title)
    })
    diagnoses.push(diagnosis)
  } else {
    for (const line of result.dryRun ? dryRunPlan(result, p) : []) logLine(line, redact)
    logLine(outcomeLine(result, p), redact)
  }
  for (const warning of result.warnings) {
    const diagnosis = describeRotationWarning(warning, result.created, result.context, p)
    core.warning(redact(formatRotationDiagnosis(diagnosis, p.docsUrl)), {
      title: redact(diagnosis.title)
    })
    diagnoses.push(diagnosis)
  }

  if (settings?.summary !== false && process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(redactHtml(renderRotateSummary(result, diagnoses, p)), true).write()
    } catch (error) {
      core.warning(redact(fileProblem('GITHUB_STEP_SUMMARY', error)))
    }
  }
  if (outputsBroken) {
    logLine(
      `Verdict: status=${result.status}, rotated=${String(result.rotated)}${result.failure ? `, error-code=${result.failure.code}` : ''}`,
      redact
    )
  }
  if (result.failure || outputsBroken) process.exitCode = 1
}
