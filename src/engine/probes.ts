/**
 * Which requests the check sends, and in what order, for each kind of credential. The answers are
 * returned by name, for the verdict to read; nothing here decides a verdict.
 *
 *   Bearer              one concurrent wave: /myself, serverInfo, the PAT list, mypermissions
 *   Basic               /myself ‖ anonymous serverInfo (‖ tenant_info on *.atlassian.net), then
 *                       mypermissions on the same connection; on a Cloud 401, /myself once more
 *                       through the API gateway
 *   client credentials  the token endpoint (auth.atlassian.com, or the Data Center's own), then
 *                       /myself ‖ mypermissions with the access token
 */
import { parseServerInfo, parseTenantInfo, parseTokenAnswer, type AccessToken } from './classify.js'
import type { GatewayAttempt } from './findings.js'
import { describeOutcome, type JiraRequest, type ProbeResult } from './jira/client.js'
import { CLOUD_TOKEN_URL, PATHS, gatewayBase, permissionsPath } from './jira/endpoints.js'
import { readJson } from './json.js'
import { ADMIN_PERMISSIONS } from './policy.js'
import { isCloudHost } from './settings/domain.js'
import { hasPermissionGate, type Settings } from './settings/parse.js'

export interface ProbeDeps {
  request: JiraRequest
  /** Masks a secret the check learns on the way (an access token) before anything can print it. */
  mask: (secret: string) => void
}

/** The answers, by name; a probe that was not sent is undefined. */
export interface ProbeAnswers {
  /** The /myself the verdict reads; undefined when the check never got that far (the exchange failed). */
  myself?: ProbeResult
  /** The site's own refusal, when the gateway was tried after it. */
  siteMyself?: ProbeResult
  /** What the gateway answered after the site refused (or why it was not tried). */
  gateway?: GatewayAttempt
  serverInfo?: ProbeResult
  tokens?: ProbeResult
  permissions?: ProbeResult
  /** The token endpoint's answer, for client credentials. */
  exchange?: ProbeResult
  accessToken?: AccessToken
  /** The base URL the REST calls that worked went to: the site, or the gateway. */
  apiBase: string
  viaGateway: boolean
  cloudId?: string
  /** The site is Jira Cloud: its host, serverInfo or tenant_info says so. */
  cloud: boolean
}

interface Flow {
  settings: Settings
  request: JiraRequest
  mask: (secret: string) => void
  permissions: string | undefined
}

export function runProbes(settings: Settings, deps: ProbeDeps): Promise<ProbeAnswers> {
  const gate = hasPermissionGate(settings)
  // The token policy asks whether the account is an administrator, in the same request.
  const policy = settings.tokenPolicy !== 'off'
  const flow: Flow = {
    settings,
    request: deps.request,
    mask: deps.mask,
    permissions:
      gate || policy
        ? permissionsPath(
            settings.requiredPermissions,
            settings.project,
            policy ? ADMIN_PERMISSIONS : []
          )
        : undefined
  }
  switch (settings.authScheme) {
    case 'bearer':
      return bearer(flow)
    case 'basic':
      return basic(flow)
    case 'client-credentials':
      return clientCredentials(flow)
  }
}

const anonymous = { auth: 'none' } as const

function isStatus(probe: ProbeResult | undefined, status: number): boolean {
  return probe?.outcome.kind === 'response' && probe.outcome.status === status
}

function isCloud(settings: Settings, serverInfo?: ProbeResult, cloudId?: string): boolean {
  return (
    settings.gateway ||
    isCloudHost(new URL(settings.baseUrl).hostname) ||
    !!cloudId ||
    parseServerInfo(serverInfo)?.deploymentType === 'Cloud'
  )
}

/**
 * With Bearer every probe goes out in one concurrent wave: a bad PAT cannot lock the account (the
 * PAT filter never counts failed logins), so the whole check costs one round trip. On the gateway
 * serverInfo goes with the credential (the gateway routes nothing anonymous) and there is no PAT list.
 */
async function bearer({ settings, request, permissions }: Flow): Promise<ProbeAnswers> {
  const { gateway } = settings
  // A date given alone says all there is to know about the expiry; the token policy still reads the
  // list, for the account's other tokens. It rides in the same wave either way.
  const tokens =
    !gateway &&
    (settings.tokenPolicy !== 'off' || !(settings.tokenExpiresOn && !settings.tokenName))
  const [myself, serverInfo, tokenList, permissionAnswer] = await Promise.all([
    request(PATHS.myself),
    request(PATHS.serverInfo, gateway ? {} : anonymous),
    tokens ? request(PATHS.tokens) : undefined,
    permissions ? request(permissions) : undefined
  ])
  return {
    myself,
    serverInfo,
    tokens: tokenList,
    permissions: permissionAnswer,
    apiBase: settings.baseUrl,
    viaGateway: gateway,
    cloudId: settings.cloudId || undefined,
    cloud: isCloud(settings, serverInfo)
  }
}

/**
 * With Basic, /myself goes alone first (with only anonymous requests beside it), because every
 * failed Basic login counts toward Jira's CAPTCHA lockout. The permission probe follows on the
 * connection /myself used. A scoped Cloud API token gets a bare 401 on the site host and works only
 * through the gateway, and nothing in the token tells it apart: so a Cloud 401 earns one more try,
 * there.
 */
async function basic({ settings, request, permissions }: Flow): Promise<ProbeAnswers> {
  const { gateway } = settings
  const cloudHost = isCloudHost(new URL(settings.baseUrl).hostname)
  const [myself, siteServerInfo, tenantInfo] = await Promise.all([
    request(PATHS.myself),
    // serverInfo needs no login; after a refused one it still tells Cloud from Data Center.
    gateway ? undefined : request(PATHS.serverInfo, anonymous),
    cloudHost && !settings.cloudId ? request(PATHS.tenantInfo, anonymous) : undefined
  ])
  let cloudId = settings.cloudId || parseTenantInfo(tenantInfo)
  const base = {
    apiBase: settings.baseUrl,
    viaGateway: gateway,
    cloud: isCloud(settings, siteServerInfo, cloudId)
  }

  if (myself.outcome.kind === 'response' && myself.outcome.status === 200) {
    const [serverInfo, permissionAnswer] = await Promise.all([
      gateway ? request(PATHS.serverInfo) : siteServerInfo,
      permissions ? request(permissions) : undefined
    ])
    return { ...base, myself, serverInfo, permissions: permissionAnswer, cloudId }
  }
  if (gateway || !isStatus(myself, 401))
    return { ...base, myself, serverInfo: siteServerInfo, cloudId }
  // A 401 from a site that is, or may be, Cloud: Cloud behind a custom domain says so only through
  // serverInfo or tenant_info. A server that serverInfo calls Data Center is never sent to Atlassian.
  const mayBeCloud = base.cloud || parseServerInfo(siteServerInfo)?.deploymentType === undefined
  let asked = tenantInfo
  if (mayBeCloud && !cloudId && !asked) {
    asked = await request(PATHS.tenantInfo, anonymous)
    cloudId = parseTenantInfo(asked)
  }
  if (cloudId)
    return retryOnGateway(settings, request, permissions, myself, siteServerInfo, cloudId)
  if (!base.cloud) return { ...base, myself, serverInfo: siteServerInfo }
  return {
    ...base,
    myself,
    serverInfo: siteServerInfo,
    gateway: notTried(asked)
  }
}

/** The gateway was not tried: no cloudId, and what tenant_info answered, if it was asked. */
function notTried(tenantInfo: ProbeResult | undefined): GatewayAttempt {
  return {
    url: '',
    outcome: '',
    skipped: tenantInfo
      ? `the site did not say its cloudId (${PATHS.tenantInfo}: ${describeOutcome(tenantInfo.outcome)})`
      : 'the cloudId of the site is unknown'
  }
}

async function retryOnGateway(
  settings: Settings,
  request: JiraRequest,
  permissions: string | undefined,
  siteMyself: ProbeResult,
  serverInfo: ProbeResult | undefined,
  cloudId: string
): Promise<ProbeAnswers> {
  const apiBase = gatewayBase(cloudId)
  const myself = await request(`${apiBase}${PATHS.myself}`)
  const gateway: GatewayAttempt = {
    url: myself.url,
    outcome: describeOutcome(myself.outcome),
    answered: myself.outcome.kind === 'response'
  }
  const common = { siteMyself, gateway, serverInfo, cloudId, cloud: true }
  if (!isStatus(myself, 200)) {
    return { ...common, myself, apiBase: settings.baseUrl, viaGateway: false }
  }
  const permissionAnswer = permissions ? await request(`${apiBase}${permissions}`) : undefined
  return { ...common, myself, permissions: permissionAnswer, apiBase, viaGateway: true }
}

/**
 * OAuth 2.0 client credentials: exchange them for an access token, then ask as it. Cloud service
 * accounts exchange at auth.atlassian.com and call the gateway; Data Center ones at the Jira's own
 * /rest/oauth2/latest/token. The secret goes to auth.atlassian.com only when the site is known to be
 * Cloud, so a Data Center secret never leaves for Atlassian.
 */
async function clientCredentials(flow: Flow): Promise<ProbeAnswers> {
  const { settings, request } = flow
  let serverInfo: ProbeResult | undefined
  let cloudId = settings.cloudId || undefined
  let tenantInfo: ProbeResult | undefined
  const known = isCloud(settings)
  if (!known) {
    // Not a Cloud host: whether this is Data Center or Cloud behind a custom domain decides where
    // the secret may go.
    ;[serverInfo, tenantInfo] = await Promise.all([
      request(PATHS.serverInfo, anonymous),
      request(PATHS.tenantInfo, anonymous)
    ])
    cloudId = parseTenantInfo(tenantInfo)
  }
  const cloud = known || isCloud(settings, serverInfo, cloudId)
  return cloud
    ? cloudClientCredentials(flow, serverInfo, cloudId)
    : dataCenterClientCredentials(flow, serverInfo)
}

/** The access token of an exchange, masked before it is used or could be printed. */
function exchanged(
  exchange: ProbeResult,
  platform: 'cloud' | 'data-center',
  mask: (secret: string) => void
): AccessToken | undefined {
  // Every token-shaped value in the answer is masked, whatever the verdict makes of it later: an
  // odd answer's excerpt could otherwise carry it.
  if (exchange.outcome.kind === 'response') {
    const body = readJson(exchange.outcome.body)
    if (body && typeof body === 'object') {
      for (const key of ['access_token', 'refresh_token', 'id_token']) {
        const value = (body as Record<string, unknown>)[key]
        if (typeof value === 'string' && value.trim()) {
          mask(value)
          mask(value.trim())
        }
      }
    }
  }
  const parsed = parseTokenAnswer(exchange, platform)
  return parsed.ok ? parsed.value : undefined
}

async function cloudClientCredentials(
  { settings, request, mask, permissions }: Flow,
  knownServerInfo: ProbeResult | undefined,
  knownCloudId: string | undefined
): Promise<ProbeAnswers> {
  const { gateway } = settings
  // Atlassian documents JSON for this endpoint (its curl examples send application/json).
  const body = JSON.stringify({
    grant_type: 'client_credentials',
    client_id: settings.clientId,
    client_secret: settings.clientSecret
  })
  const [exchange, tenantInfo, siteServerInfo] = await Promise.all([
    request(CLOUD_TOKEN_URL, {
      method: 'POST',
      auth: 'none',
      body: { contentType: 'application/json', text: body }
    }),
    knownCloudId ? undefined : request(PATHS.tenantInfo, anonymous),
    gateway || knownServerInfo ? knownServerInfo : request(PATHS.serverInfo, anonymous)
  ])
  const cloudId = knownCloudId ?? parseTenantInfo(tenantInfo)
  const accessToken = exchanged(exchange, 'cloud', mask)
  const base = { exchange, accessToken, cloudId, cloud: true, serverInfo: siteServerInfo }
  if (!accessToken) return { ...base, apiBase: settings.baseUrl, viaGateway: false }
  if (!cloudId) {
    return {
      ...base,
      apiBase: settings.baseUrl,
      viaGateway: false,
      gateway: notTried(tenantInfo)
    }
  }
  const apiBase = gatewayBase(cloudId)
  const auth = { auth: { authorization: `Bearer ${accessToken.token}` } }
  const [myself, serverInfo, permissionAnswer] = await Promise.all([
    request(`${apiBase}${PATHS.myself}`, auth),
    gateway ? request(`${apiBase}${PATHS.serverInfo}`, auth) : siteServerInfo,
    permissions ? request(`${apiBase}${permissions}`, auth) : undefined
  ])
  return { ...base, myself, serverInfo, permissions: permissionAnswer, apiBase, viaGateway: true }
}

async function dataCenterClientCredentials(
  { settings, request, mask, permissions }: Flow,
  serverInfo: ProbeResult | undefined
): Promise<ProbeAnswers> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: settings.clientId,
    client_secret: settings.clientSecret
  })
  const exchange = await request(PATHS.oauthToken, {
    method: 'POST',
    auth: 'none',
    body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() }
  })
  const accessToken = exchanged(exchange, 'data-center', mask)
  const base = { exchange, accessToken, serverInfo, apiBase: settings.baseUrl, viaGateway: false }
  if (!accessToken) return { ...base, cloud: false }
  // Data Center exposes only /rest/api/2/* to service accounts: no PAT list to read.
  const auth = { auth: { authorization: `Bearer ${accessToken.token}` } }
  const [myself, permissionAnswer] = await Promise.all([
    request(PATHS.myself, auth),
    permissions ? request(permissions, auth) : undefined
  ])
  return { ...base, myself, permissions: permissionAnswer, cloud: false }
}
