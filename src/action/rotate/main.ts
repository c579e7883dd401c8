/**
 * The rotate action: inputs → mask → the engine's rotation → report. The new token is masked the
 * moment Jira returns it, before anything else happens with it; GitHub is reached through Octokit,
 * loaded only once the inputs are good.
 */
import * as core from '@actions/core'
import { describeEvent } from '../../engine/diagnosis/rotation-progress.js'
import { proxySecrets } from '../../engine/jira/proxy.js'
import { rotateToken } from '../../engine/rotate/flow.js'
import type { RotateResult } from '../../engine/rotate/findings.js'
import { rotateSecretsToMask } from '../../engine/settings/rotate-secrets.js'
import { redactor } from '../../engine/settings/secrets.js'
import { userAgent } from '../../engine/version.js'
import { armWatchdog } from '../../engine/watchdog.js'
import { ignoreTlsOverride } from '../main.js'
import { actionPlatform } from '../platform.js'
import { logLine } from '../report.js'
import { readRotateInputs } from './inputs.js'
import { reportRotation } from './report.js'

/** Set once the outputs, annotations and summary are written. */
let reported = false

/** When the watchdog fires: the outputs a later step reads, and one annotation. */
function stoppedByWatchdog(): void {
  if (!reported) {
    try {
      core.setOutput('status', 'failed')
      core.setOutput('error-code', 'timeout')
    } catch {
      // The outputs file is broken too; the annotation below still reaches the log.
    }
    core.error(
      'jira-auth-check rotate did not finish within timeout-seconds and stopped itself. The log above shows the last step it reached, and every token it created or revoked.'
    )
    process.exitCode = 1
  }
  process.exit(process.exitCode ?? 0)
}

export async function run(): Promise<void> {
  const platform = actionPlatform(process.env)
  const secrets: string[] = []
  const mask = (secret: string): void => {
    core.setSecret(secret)
    secrets.push(secret)
  }
  const redact = (text: string): string => redactor(secrets)(text)
  const log = {
    info: (line: string) => logLine(line, redact),
    debug: (line: string) => core.debug(redact(line))
  }
  try {
    const raw = readRotateInputs()
    // Both tokens, what derives from them, a password in `domain`, the proxy's password: first.
    for (const secret of [...rotateSecretsToMask(raw), ...proxySecrets(process.env)]) mask(secret)
    const agent = userAgent('rotate')
    const { result, settings } = await rotateToken(raw, {
      platform,
      proxyEnv: process.env,
      log,
      userAgent: agent,
      startedAt: performance.timeOrigin,
      notes: ignoreTlsOverride(),
      mask,
      openStore: async (target, token) => {
        const { openGithubStore } = await import('./github.js')
        return openGithubStore({
          apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
          token,
          target,
          userAgent: agent,
          log
        })
      },
      onEvent: (event) => logLine(describeEvent(event, platform), redact),
      onDeadline: (deadlineAt) => armWatchdog(deadlineAt, stoppedByWatchdog)
    })
    await reportRotation(result, settings, secrets, platform)
  } catch (error) {
    // A bug, not a Jira or GitHub failure: say so, keep the stack for debug logs.
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof Error && error.stack) core.debug(redact(error.stack))
    const result: RotateResult = {
      status: 'failed',
      step: 'unknown',
      failure: { code: 'internal-error', detail: message },
      warnings: [],
      notes: [],
      dryRun: false,
      rotated: false,
      oldRevoked: false,
      context: {}
    }
    await reportRotation(result, undefined, secrets, platform)
  }
  reported = true
}
