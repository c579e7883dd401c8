/** The Jira REST paths the check reads, below the base URL. */
export const PATHS = {
  myself: '/rest/api/2/myself',
  serverInfo: '/rest/api/2/serverInfo',
  tokens: '/rest/pat/latest/tokens',
  myPermissions: '/rest/api/2/mypermissions'
} as const

export function permissionsPath(requiredPermissions: readonly string[], project: string): string {
  const query = new URLSearchParams()
  if (project) query.set(/^\d+$/.test(project) ? 'projectId' : 'projectKey', project)
  // Cloud answers 400 without `permissions`; Data Center ignores it and lists every key.
  const keys = requiredPermissions.length > 0 ? requiredPermissions : ['BROWSE_PROJECTS']
  query.set('permissions', keys.join(','))
  return `${PATHS.myPermissions}?${query.toString()}`
}
