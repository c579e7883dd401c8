/** Pieces of sentences that several catalogue entries share. */
import type { Context, RequestEvidence, ResponseEvidence } from '../findings.js'
import { isCloudHost } from '../settings/domain.js'
import type { Platform } from './platform.js'

export const PAT_PAGE = 'Jira › your avatar › Profile › Personal Access Tokens'
export const CLOUD_TOKEN_PAGE = 'id.atlassian.com › Security › API tokens'

/** The PAT page itself, so the engineer on call can click straight to it. */
export function patPage(context: Context): string {
  return context.baseUrl && !isCloud(context)
    ? `${PAT_PAGE} (${context.baseUrl}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens)`
    : PAT_PAGE
}

export function from(evidence: RequestEvidence): string {
  return evidence.url ? ` from ${evidence.url}` : ''
}

/** " (GET https://…)", or the POST of a token endpoint. */
export function onGet(evidence: RequestEvidence): string {
  return evidence.url ? ` (${evidence.method ?? 'GET'} ${evidence.url})` : ''
}

export function attempts(evidence: RequestEvidence): string {
  return evidence.attempts && evidence.attempts > 1 ? ` after ${evidence.attempts} attempts` : ''
}

/** Jira Cloud: serverInfo says so, the host is a site, Atlassian's gateway or token endpoint, or a cloudId is known. */
export function isCloud(context: Context): boolean {
  return (
    context.deploymentType === 'Cloud' ||
    isCloudHost(context.host ?? '') ||
    /^(api|auth)\.atlassian\.com$/i.test(context.host ?? '') ||
    !!context.cloudId
  )
}

/**
 * A Bearer token that is meant for Jira Cloud: the host is Cloud, or the token has the shape of a
 * Cloud API token and nothing says the server is Data Center.
 */
export function cloudTokenAsBearer(context: Context): boolean {
  if (context.authScheme !== 'bearer') return false
  if (isCloud(context)) return true
  return context.tokenShape === 'cloud-api-token' && context.deploymentType !== 'Server'
}

export function versionBelow(version: string | undefined, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '')
  if (!match) return false
  const [have, haveMinor] = [Number(match[1]), Number(match[2])]
  return have < major || (have === major && haveMinor < minor)
}

export function tokenShapeStep(context: Context, p: Platform): string {
  const length = context.tokenLength ?? 0
  if (context.tokenShape === 'data-center-pat') {
    return `The token sent is ${length} characters and has the shape of a Data Center PAT, so the value itself looks intact.`
  }
  return (
    `The token sent is ${length} characters and does not have the shape of a Data Center PAT (44 characters of base64): ` +
    `check that ${p.secretSource('token')} holds the whole token and nothing else.`
  )
}

/** Jira Cloud takes API tokens only as Basic email:token: every step is about that, none about PATs. */
export function cloudBearerSteps(p: Platform): string[] {
  return [
    `Set ${p.setting('username')} to the Atlassian account email (for a service account, its …@serviceaccount.atlassian.com address): with ${p.setting('username')} set, the token is sent as Basic email:token, which is what Jira Cloud expects.`,
    `Keep the API token in ${p.setting('token')} (${CLOUD_TOKEN_PAGE}; for a service account, admin.atlassian.com › Directory › Service accounts).`,
    'Jira Cloud has no personal access tokens: a Data Center PAT does not work there.'
  ]
}

export function safeHost(location: string, baseUrl: string | undefined): string | undefined {
  try {
    return new URL(location, baseUrl).host
  } catch {
    return undefined
  }
}

/** For a redirect that stays on Jira's host (http→https, a moved context path), the base to use. */
export function sameHostBase(location: string, baseUrl: string | undefined): string | undefined {
  try {
    const target = new URL(location, baseUrl)
    const base = new URL(baseUrl ?? '')
    if (target.hostname !== base.hostname) return undefined
    const rest = target.pathname.search(/\/rest\//)
    if (rest < 0) return undefined
    return `${target.protocol}//${target.host}${target.pathname.slice(0, rest)}`
  } catch {
    return undefined
  }
}

/** A real Cloud 404 on a wrong path still names the user and says the login was OK. */
export function loggedIn(response: ResponseEvidence): boolean {
  return (
    /^OK$/i.test(response.seraphLoginReason ?? '') ||
    (!!response.ausername && response.ausername !== 'anonymous')
  )
}
