/** GET /rest/api/2/myself. DC has name/key and no accountId; Cloud has accountId and empty name/key. */
export interface JiraUser {
  self?: string
  key?: string
  name?: string
  accountId?: string
  accountType?: string
  /** Cloud: `service` for a service account, `agent` for a Rovo agent, when accountType is `app`. */
  appType?: string
  emailAddress?: string | null
  displayName?: string
  active?: boolean
  timeZone?: string
  locale?: string
}

/** GET /rest/api/2/serverInfo: anonymous on both platforms. DC 10.x still reports "Server". */
export interface ServerInfo {
  baseUrl?: string
  version?: string
  versionNumbers?: number[]
  deploymentType?: string
  buildNumber?: number
  serverTitle?: string
}

/** One entry of GET /rest/pat/latest/tokens (a bare array). Dates are `yyyy-MM-ddTHH:mm:ss.SSS+00:00`. */
export interface PatToken {
  /** Absent when Jira sent something that is not a number. */
  id?: number
  name: string
  createdAt?: string
  lastAccessedAt?: string
  expiringAt?: string
}

export interface PermissionEntry {
  id?: string
  key?: string
  name?: string
  type?: string
  havePermission?: boolean
  deprecatedKey?: boolean
}

/** GET /rest/api/2/mypermissions. */
export interface MyPermissions {
  permissions: Record<string, PermissionEntry>
}

/** What PAT expiry the check found; every field optional because Cloud and old servers expose none. */
export interface TokenExpiry {
  name?: string
  /** The matched token's id in the PAT list, which revoking it needs (the PAT string does not carry it). */
  id?: number
  /** ISO 8601; undefined for non-expiring or unknown. */
  expiresAt?: string
  daysLeft?: number
  nonExpiring?: boolean
  /** How the token was picked from the list; 'guess' means by most recent use. */
  matchedBy?: 'name' | 'only-token' | 'guess' | 'input'
  /** Why the expiry is unknown, for the summary. */
  unknownBecause?: string
  /** From the PAT list, ISO 8601: when the token was made and last used (Jira batches use per minute). */
  createdAt?: string
  lastUsedAt?: string
}

export interface PermissionResult {
  key: string
  granted: boolean
  /** Jira did not list this key at all. */
  unknown: boolean
}
