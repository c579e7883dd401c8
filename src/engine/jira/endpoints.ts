/** The Jira REST paths the check reads, below the base URL, and Atlassian's hosts around Cloud. */
export const PATHS = {
  myself: '/rest/api/2/myself',
  serverInfo: '/rest/api/2/serverInfo',
  tokens: '/rest/pat/latest/tokens',
  myPermissions: '/rest/api/2/mypermissions',
  /** Cloud, anonymous: `{"cloudId":"…"}`. Data Center has no such path. */
  tenantInfo: '/_edge/tenant_info',
  /** Data Center's OAuth 2.0 token endpoint (service accounts, client credentials). */
  oauthToken: '/rest/oauth2/latest/token'
} as const

/** Atlassian's API gateway: scoped tokens and OAuth access tokens work only through it. */
export const GATEWAY_HOST = 'api.atlassian.com'
/** Cloud service accounts exchange their client credentials here. */
export const CLOUD_TOKEN_URL = 'https://auth.atlassian.com/oauth/token'

/** https://api.atlassian.com/ex/jira/{cloudId}: the Jira REST API of one Cloud site. */
export function gatewayBase(cloudId: string): string {
  return `https://${GATEWAY_HOST}/ex/jira/${cloudId}`
}

/**
 * One mypermissions request for the gate (`requiredPermissions`, `project`) and for `also`, the
 * keys the token policy reads (ADMINISTER, SYSTEM_ADMIN): merged, so the policy costs no request.
 */
export function permissionsPath(
  requiredPermissions: readonly string[],
  project: string,
  also: readonly string[] = []
): string {
  const query = new URLSearchParams()
  if (project) query.set(/^\d+$/.test(project) ? 'projectId' : 'projectKey', project)
  // Cloud answers 400 without `permissions`; Data Center ignores it and lists every key.
  const gate =
    requiredPermissions.length > 0 ? requiredPermissions : project ? ['BROWSE_PROJECTS'] : []
  const keys = [...new Set([...gate, ...also])]
  query.set('permissions', (keys.length > 0 ? keys : ['BROWSE_PROJECTS']).join(','))
  return `${PATHS.myPermissions}?${query.toString()}`
}
