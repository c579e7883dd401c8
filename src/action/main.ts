/** The GitHub Action: inputs → mask → engine → report. The only place that decides how the step ends. */
import * as core from '@actions/core'
import { checkToken } from '../engine/check-token.js'
import type { Note } from '../engine/findings.js'
import { proxySecrets } from '../engine/jira/proxy.js'
import { redactor, secretsToMask } from '../engine/settings/secrets.js'
import { userAgent } from '../engine/version.js'
import { failedResult } from '../engine/verdict.js'
import { armWatchdog } from '../engine/watchdog.js'
import { readInputs } from './inputs.js'
import { actionPlatform } from './platform.js'
import { logLine, report } from './report.js'

/** Set once the outputs, annotations and summary are written. */
let reported = false

/**
 * NODE_TLS_REJECT_UNAUTHORIZED=0 would switch certificate checks off for the whole process. Every
 * connection verifies explicitly anyway; dropping the variable also keeps Node from printing its
 * own "TLS verification disabled" warning, which would be untrue here.
 */
export function ignoreTlsOverride(): Note[] {
  const value = process.env.NODE_TLS_REJECT_UNAUTHORIZED
  if (value === undefined) return []
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
  return value === '0' ? [{ code: 'tls-override-ignored' }] : []
}

/** When the watchdog fires: the outputs a later step reads, and one annotation. */
function stoppedByWatchdog(): void {
  if (!reported) {
    try {
      core.setOutput('status', 'failed')
      core.setOutput('error-code', 'timeout')
    } catch {
      // The outputs file is broken too; the annotation below still reaches the log.
    }
    core.error('jira-auth-check did not finish within timeout-seconds; it stopped itself.')
    process.exitCode = 1
  }
  process.exit(process.exitCode ?? 0)
}

export async function run(): Promise<void> {
  const platform = actionPlatform(process.env)
  const secrets: string[] = []
  const redact = (text: string): string => redactor(secrets)(text)
  try {
    const raw = readInputs()
    // Mask first, before any input is validated or echoed: the token and what derives from it, a
    // password in `domain`, and the proxy's password (NODE_DEBUG output and proxy errors show it).
    for (const secret of [...secretsToMask(raw), ...proxySecrets(process.env)]) {
      core.setSecret(secret)
      secrets.push(secret)
    }
    const { result, settings } = await checkToken(raw, {
      platform,
      proxyEnv: process.env,
      log: {
        info: (line) => logLine(line, redact),
        debug: (line) => core.debug(redact(line))
      },
      userAgent: userAgent('action'),
      startedAt: performance.timeOrigin,
      notes: ignoreTlsOverride(),
      mask: (secret) => {
        core.setSecret(secret)
        secrets.push(secret)
      },
      onDeadline: (deadlineAt) => armWatchdog(deadlineAt, stoppedByWatchdog)
    })
    await report(result, settings, secrets, platform)
  } catch (error) {
    // A bug, not an auth failure: say so, and keep the stack for debug logs.
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof Error && error.stack) core.debug(redact(error.stack))
    await report(
      failedResult({ code: 'internal-error', detail: message }),
      undefined,
      secrets,
      platform
    )
  }
  reported = true
}
