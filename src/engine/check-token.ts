/**
 * The whole check, for any front-end: settings → client → probes → verdict, under one deadline.
 * The front-end masks the secrets first (secretsToMask, proxySecrets), then calls this.
 */
import type { Platform } from './diagnosis/platform.js'
import type { Note } from './findings.js'
import { createClient, type JiraRequest, type Logger } from './jira/client.js'
import { proxyFor, type ProxyEnv } from './jira/proxy.js'
import { runProbes } from './probes.js'
import { parseSettings, type Settings } from './settings/parse.js'
import type { RawSettings } from './settings/schema.js'
import { basicCredential } from './settings/secrets.js'
import { contextOf, failedResult, verdict, type CheckResult } from './verdict.js'

export interface CheckDeps {
  platform: Platform
  /** https_proxy, no_proxy and friends. */
  proxyEnv: ProxyEnv
  log: Logger
  userAgent: string
  /** When the process started: timeout-seconds counts from there (performance.timeOrigin). */
  startedAt: number
  now?: () => Date
  /** Notes the front-end made before the check (an ignored TLS override). */
  notes?: readonly Note[]
  /** A client to use instead of the real one (tests). */
  request?: JiraRequest
  /** Told the deadline as soon as it is known, for a watchdog. */
  onDeadline?: (deadlineAt: number) => void
  /**
   * Masks a secret learnt during the check (a client-credentials access token) at once, before
   * any line could print it: the action registers it with the runner, the CLI with its redactor.
   */
  mask?: (secret: string) => void
}

export interface CheckOutcome {
  result: CheckResult
  /** Undefined when the settings themselves were refused. */
  settings?: Settings
}

/**
 * The Authorization header for the settings; none for client credentials, whose access token
 * comes from the exchange. Jira matches "Bearer" case-sensitively.
 */
export function authorization(settings: Settings): string | undefined {
  switch (settings.authScheme) {
    case 'bearer':
      return `Bearer ${settings.token}`
    case 'basic':
      return `Basic ${basicCredential(settings.username, settings.token)}`
    case 'client-credentials':
      return undefined
  }
}

export async function checkToken(raw: RawSettings, deps: CheckDeps): Promise<CheckOutcome> {
  const earlier = deps.notes ?? []
  const parsed = parseSettings(raw, deps.platform)
  if (!parsed.ok) return { result: failedResult(parsed.failure, [...earlier, ...parsed.notes]) }
  const { settings } = parsed
  // timeout-seconds bounds the whole check, Node's own start-up included.
  const deadlineAt = deps.startedAt + settings.timeoutSeconds * 1000
  deps.onDeadline?.(deadlineAt)
  const request =
    deps.request ??
    createClient({
      baseUrl: settings.baseUrl,
      authorization: authorization(settings),
      userAgent: deps.userAgent,
      deadlineAt,
      retries: settings.retries,
      proxyEnv: deps.proxyEnv,
      log: deps.log
    })
  let answers
  try {
    answers = await runProbes(settings, { request, mask: deps.mask ?? (() => undefined) })
  } finally {
    request.close?.()
  }
  const route = proxyFor(new URL(settings.baseUrl), deps.proxyEnv)
  const context = contextOf(settings, route.kind === 'proxy' ? route.origin : undefined)
  const result = verdict(settings, answers, (deps.now ?? (() => new Date()))(), context)
  return {
    result: { ...result, notes: [...earlier, ...parsed.notes, ...result.notes] },
    settings
  }
}
