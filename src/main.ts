import * as core from '@actions/core'
import { runCheck } from './check.js'
import { createClient } from './jira/client.js'
import { proxyFor, proxySecrets } from './jira/proxy.js'
import { emitNotes, failedResult, logLine, redactor, report } from './report.js'
import {
  InputError,
  basicCredential,
  parseSettings,
  readRawInputs,
  secretsToMask,
  type Note,
  type Settings
} from './settings.js'
import { USER_AGENT } from './version.js'

function authorization(settings: Settings): string {
  if (settings.authScheme === 'bearer') return `Bearer ${settings.token}` // Jira matches "Bearer" case-sensitively.
  return `Basic ${basicCredential(settings.username, settings.token)}`
}

/** Set once the outputs, annotations and summary are written. */
let reported = false

/**
 * The deadline is enforced in every phase of every request; this is the net under it. Should
 * anything (a bug, a handle Node keeps open) outlive the deadline by 2 s, the process ends rather
 * than hang the job. The timer is unref'd, so a run that finishes normally never waits for it.
 */
function armWatchdog(deadlineAt: number): void {
  const timer = setTimeout(
    () => {
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
    },
    Math.max(0, deadlineAt - Date.now()) + 2000
  )
  timer.unref()
}

/**
 * NODE_TLS_REJECT_UNAUTHORIZED=0 would switch certificate checks off for the whole process. Every
 * connection verifies explicitly anyway; dropping the variable also keeps Node from printing its
 * own "TLS verification disabled" warning, which would be untrue here.
 */
function ignoreTlsOverride(notes: Note[]): void {
  if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === undefined) return
  if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    notes.push({
      level: 'warning',
      message:
        'NODE_TLS_REJECT_UNAUTHORIZED=0 is set, and was ignored: jira-auth-check always verifies the certificate, so the token never goes to a server it cannot authenticate. For a private CA, set NODE_EXTRA_CA_CERTS to its PEM file instead.'
    })
  }
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
}

/** settings → check → report. The only place that decides how the step ends. */
export async function run(): Promise<void> {
  const secrets: string[] = []
  const mask = (values: readonly string[]): void => {
    for (const secret of values) {
      core.setSecret(secret)
      secrets.push(secret)
    }
  }
  try {
    const raw = readRawInputs()
    // Mask first, before any input is validated or echoed: the token and what derives from it, a
    // password in `domain`, and the proxy's password (NODE_DEBUG output and proxy errors show it).
    mask(secretsToMask(raw))
    mask(proxySecrets(process.env))
    const notes: Note[] = []
    ignoreTlsOverride(notes)
    let settings: Settings
    try {
      settings = parseSettings(raw, notes)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      emitNotes(notes, redactor(secrets))
      await report(failedResult(error.failure), undefined, secrets)
      reported = true
      return
    }
    emitNotes(notes, redactor(secrets))

    // timeout-seconds bounds the whole step, Node's own start-up included: count from process start.
    const deadlineAt = performance.timeOrigin + settings.timeoutSeconds * 1000
    armWatchdog(deadlineAt)
    const redact = redactor(secrets)
    const get = createClient({
      baseUrl: settings.baseUrl,
      authorization: authorization(settings),
      userAgent: USER_AGENT,
      deadlineAt,
      retries: settings.retries,
      proxyEnv: process.env,
      log: (line) => logLine(line, redact)
    })
    const result = await runCheck(settings, { get, now: () => new Date() })
    const route = proxyFor(new URL(settings.baseUrl), process.env)
    if (route.kind === 'proxy') result.context.proxy = route.origin
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
    reported = true
  }
}
