import * as core from '@actions/core'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { runCheck } from './check.js'
import { createClient } from './jira/client.js'
import { emitNotes, failedResult, redactor, report } from './report.js'
import {
  InputError,
  parseSettings,
  readRawInputs,
  secretsToMask,
  type Note,
  type Settings
} from './settings.js'
import { USER_AGENT } from './version.js'

function authorization(settings: Settings): string {
  if (settings.authScheme === 'bearer') return `Bearer ${settings.token}` // Jira matches "Bearer" case-sensitively.
  return `Basic ${Buffer.from(`${settings.username}:${settings.token}`, 'utf8').toString('base64')}`
}

/** Set once the outputs, annotations and summary are written. */
let reported = false

/**
 * The deadline is enforced per request; this is the net under it. Should anything (a bug, a handle
 * Node keeps open) outlive the deadline by 2 s, the process ends rather than hang the job. The timer
 * is unref'd, so a run that finishes normally never waits for it.
 */
function armWatchdog(deadlineAt: number): void {
  const timer = setTimeout(
    () => {
      if (!reported) {
        core.setOutput('status', 'failed')
        core.setOutput('error-code', 'timeout')
        core.setFailed('jira-auth-check did not finish within timeout-seconds; it stopped itself.')
      }
      process.exit(process.exitCode ?? 0)
    },
    Math.max(0, deadlineAt - Date.now()) + 2000
  )
  timer.unref()
}

/** settings → check → report. The only place that fails the step. */
export async function run(): Promise<void> {
  const secrets: string[] = []
  try {
    const raw = readRawInputs()
    // Mask first, before any input is validated or echoed.
    for (const secret of secretsToMask(raw)) {
      core.setSecret(secret)
      secrets.push(secret)
    }
    const notes: Note[] = []
    let settings: Settings
    try {
      settings = parseSettings(raw, notes)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      emitNotes(notes, redactor(secrets))
      await report(failedResult(error.failure), undefined, secrets)
      return
    }
    const proxy = getProxyUrl(new URL(settings.baseUrl))
    if (proxy?.password) {
      // The proxy's password would show in NODE_DEBUG output and in proxy error text.
      core.setSecret(proxy.password)
      secrets.push(proxy.password)
    }
    emitNotes(notes, redactor(secrets))

    const deadlineAt = Date.now() + settings.timeoutSeconds * 1000
    armWatchdog(deadlineAt)
    const get = createClient({
      baseUrl: settings.baseUrl,
      authorization: authorization(settings),
      userAgent: USER_AGENT,
      deadlineAt,
      retries: settings.retries,
      log: (line) => core.info(line)
    })
    const result = await runCheck(settings, { get, now: () => new Date() })
    if (proxy) result.context.proxy = `${proxy.protocol}//${proxy.host}`
    await report(result, settings, secrets)
    reported = true
  } catch (error) {
    // A bug, not an auth failure: say so, and keep the stack for debug logs.
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof Error && error.stack) core.debug(redactor(secrets)(error.stack))
    await report(
      failedResult({ code: 'internal-error', evidence: { detail: message } }),
      undefined,
      secrets
    )
  }
}
