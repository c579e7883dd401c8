/**
 * The OAuth 2.0 scopes a scoped API token (or a service account's credential) needs on the Cloud
 * gateway for each probe: the `x-atlassian-oauth2-scopes` of each operation in Atlassian's Jira Cloud
 * platform OpenAPI. Each lists the classic scope and the granular set; either one is enough.
 */
import type { ScopedProbe } from '../findings.js'

export interface ScopeNeed {
  /** What the probe is for, in a sentence: "reading the identity (/myself)". */
  purpose: string
  classic: readonly string[]
  granular: readonly string[]
}

export const SCOPES: Readonly<Record<ScopedProbe, ScopeNeed>> = {
  myself: {
    purpose: 'the identity (/rest/api/2/myself)',
    classic: ['read:jira-user'],
    granular: [
      'read:application-role:jira',
      'read:group:jira',
      'read:user:jira',
      'read:avatar:jira'
    ]
  },
  // serverInfo needs no scope at all; it is listed so that every probe has an entry.
  serverInfo: { purpose: 'the server version (/rest/api/2/serverInfo)', classic: [], granular: [] },
  permissions: {
    purpose: 'the permissions (/rest/api/2/mypermissions)',
    classic: ['read:jira-work'],
    granular: ['read:permission:jira']
  }
}

/** "read:jira-user (or the granular read:application-role:jira, …)". */
export function describeScopes(probe: ScopedProbe): string {
  const need = SCOPES[probe]
  if (need.classic.length === 0) return 'no scope'
  return `${need.classic.join(', ')} (or the granular ${need.granular.join(', ')})`
}
