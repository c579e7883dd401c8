/**
 * Which requests the check sends, and in what order: a plan as data, then its run. The answers are
 * returned by name, for the verdict to read.
 */
import type { JiraRequest, ProbeResult } from './jira/client.js'
import { PATHS, permissionsPath } from './jira/endpoints.js'
import type { Settings } from './settings/parse.js'

export interface ProbePlan {
  /** Bearer: one concurrent wave. Basic: /myself alone first (see runProbes). */
  readonly scheme: 'bearer' | 'basic'
  /** The PAT list, for the expiry (Bearer only: a Basic password has no PAT to look up). */
  readonly tokens: boolean
  readonly permissions: string | undefined
}

/** The answers, by name; a probe that was not sent is undefined. */
export interface ProbeAnswers {
  myself: ProbeResult
  serverInfo?: ProbeResult
  tokens?: ProbeResult
  permissions?: ProbeResult
}

export function planProbes(settings: Settings): ProbePlan {
  const wantPermissions = settings.requiredPermissions.length > 0 || settings.project !== ''
  return {
    scheme: settings.authScheme,
    // A date given alone says all there is to know about the expiry.
    tokens: settings.authScheme === 'bearer' && !(settings.tokenExpiresOn && !settings.tokenName),
    permissions: wantPermissions
      ? permissionsPath(settings.requiredPermissions, settings.project)
      : undefined
  }
}

/**
 * With Bearer every probe goes out in one concurrent wave: a bad PAT cannot lock the account (the
 * PAT filter never counts failed logins), so the whole check costs one round trip. With Basic,
 * /myself goes alone first, because every failed Basic login counts toward Jira's CAPTCHA lockout.
 * serverInfo needs no login, so it is always sent without credentials.
 */
export async function runProbes(plan: ProbePlan, request: JiraRequest): Promise<ProbeAnswers> {
  const serverInfo = (): Promise<ProbeResult> => request(PATHS.serverInfo, { auth: 'none' })
  if (plan.scheme === 'bearer') {
    const [myself, server, tokens, permissions] = await Promise.all([
      request(PATHS.myself),
      serverInfo(),
      plan.tokens ? request(PATHS.tokens) : undefined,
      plan.permissions ? request(plan.permissions) : undefined
    ])
    return { myself, serverInfo: server, tokens, permissions }
  }
  const myself = await request(PATHS.myself)
  const answered = myself.outcome.kind === 'response'
  const accepted = myself.outcome.kind === 'response' && myself.outcome.status === 200
  const [server, permissions] = await Promise.all([
    // After a refused login, serverInfo (anonymous) still tells Cloud from Data Center for the diagnosis.
    answered ? serverInfo() : undefined,
    accepted && plan.permissions ? request(plan.permissions) : undefined
  ])
  return { myself, serverInfo: server, permissions }
}
