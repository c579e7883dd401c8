/** The CLI: flags and environment → mask → engine → report; the only place that decides the exit code. */
import { checkToken } from '../engine/check-token.js'
import type { Note } from '../engine/findings.js'
import { proxySecrets } from '../engine/jira/proxy.js'
import { redactor, secretsToMask } from '../engine/settings/secrets.js'
import { safeLines } from '../engine/untrusted.js'
import { userAgent, VERSION } from '../engine/version.js'
import { failedResult } from '../engine/verdict.js'
import { armWatchdog } from '../engine/watchdog.js'
import { parseCliArgs, type SecretReaders } from './args.js'
import { EXIT_USAGE, exitCodeOf } from './exit-codes.js'
import { helpText } from './help.js'
import { cliPlatform } from './platform.js'
import { writeReport, type Output } from './report.js'

export interface Io extends Output, SecretReaders {
  /** Writes a file only its owner can read (the access token). */
  writeSecretFile(path: string, text: string): Promise<void>
  /** Whether stderr is a terminal (colour only there). */
  readonly stderrIsTty: boolean
  /** Ends the process now with this code (the watchdog). */
  exit(code: number): never
}

export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: Io
): Promise<number> {
  const platform = cliPlatform()
  const secrets: string[] = []
  const redact = (text: string): string => redactor(secrets)(text)
  const usage = (message: string): number => {
    io.stderr(`jira-auth-check: ${safeLines(redact(message))}\n`)
    return EXIT_USAGE
  }

  const parsed = await parseCliArgs(argv, env, io)
  if (!parsed.ok) {
    if (parsed.exposed) secrets.push(parsed.exposed)
    return usage(parsed.message)
  }
  const options = parsed.options
  if (options.help) {
    io.stdout(helpText())
    return 0
  }
  if (options.version) {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  // No runner masks anything here: everything printed goes through the redactor.
  secrets.push(...secretsToMask(options.raw), ...proxySecrets(env))
  const color = (options.color ?? io.stderrIsTty) && !env.NO_COLOR
  const notes: Note[] = []
  if (env.NODE_TLS_REJECT_UNAUTHORIZED !== undefined) {
    // Every connection verifies explicitly; dropping the variable keeps Node from printing its own
    // untrue "verification disabled" warning.
    if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') notes.push({ code: 'tls-override-ignored' })
    delete env.NODE_TLS_REJECT_UNAUTHORIZED
  }
  let finished = false
  try {
    const { result, settings } = await checkToken(options.raw, {
      platform,
      proxyEnv: env,
      log: {
        info: (line) => options.verbose && io.stderr(`${safeLines(redact(line))}\n`),
        debug: (line) => options.verbose && io.stderr(`${safeLines(redact(line))}\n`)
      },
      userAgent: userAgent('cli'),
      startedAt: performance.timeOrigin,
      notes,
      mask: (secret) => secrets.push(secret),
      onDeadline: (deadlineAt) =>
        armWatchdog(deadlineAt, () => {
          if (finished) return
          io.stderr(
            'jira-auth-check: did not finish within --timeout-seconds; it stopped itself.\n'
          )
          io.exit(3)
        })
    })
    finished = true
    writeReport(result, settings, io, redact, platform, { json: options.json, color })
    if (options.accessTokenFile && result.accessToken) {
      try {
        await io.writeSecretFile(options.accessTokenFile, result.accessToken.token)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        return usage(
          `Could not write the access token to ${options.accessTokenFile}${code ? ` (${code})` : ''}.`
        )
      }
    }
    return exitCodeOf(result, options.failOnWarning)
  } catch (error) {
    finished = true
    // A bug, not an auth failure: say so.
    const message = error instanceof Error ? error.message : String(error)
    if (options.verbose && error instanceof Error && error.stack)
      io.stderr(`${redact(error.stack)}\n`)
    const result = failedResult({ code: 'internal-error', detail: message })
    writeReport(result, undefined, io, redact, platform, { json: options.json, color })
    return exitCodeOf(result, options.failOnWarning)
  }
}
