// Hand-written types for the Jira stand-in (plain .mjs, no build step).

export interface CertKeyPair {
  certPem: string
  keyPem: string
}

export interface Pki {
  caCertPem: string
  /**
   * SANs (DEFAULT_NAMES): DNS localhost, jira.standin.test, other.standin.test, *.atlassian.net,
   * api.atlassian.com, auth.atlassian.com; IP 127.0.0.1.
   */
  leaf: CertKeyPair
  /** Signed by the CA, validity ended yesterday. */
  expiredLeaf: CertKeyPair
  /** Signed by the CA, SAN only wrong.example. */
  wrongHostLeaf: CertKeyPair
  /** Signed by a throwaway CA that is never handed out. */
  untrustedLeaf: CertKeyPair
}

/** One PKI per process, generated at first use. */
export function getPki(): Promise<Pki>
/** The names every leaf is valid for. */
export const DEFAULT_NAMES: readonly string[]
export type LeafMode = 'valid' | 'expired' | 'untrusted'
/**
 * A leaf from the one runtime CA, valid for DEFAULT_NAMES plus `names` (DNS names, `*.` wildcards,
 * IP addresses). `expired`: validity ended yesterday; `untrusted`: signed by a CA nobody trusts.
 * Cached per name set and mode.
 */
export function leafFor(
  names: readonly string[],
  options?: { mode?: LeafMode }
): Promise<CertKeyPair>
/** Writes the CA PEM to a file and returns its path. Without `dir`: one per-process temp file, removed at exit. */
export function writeCaFile(dir?: string): Promise<string>

export type Platform = 'dc' | 'cloud'
export type TlsMode = 'valid' | 'expired' | 'wrong-host' | 'untrusted'
/**
 * What the request log calls a request. `tokens` is GET /rest/pat/latest/tokens; `tokens-create` is
 * its POST, `tokens-revoke` a DELETE of /rest/pat/latest/tokens/{id}; `oauth-token` is
 * /rest/oauth2/latest/token. `other` is anything else, including paths outside the context path.
 */
export type Endpoint =
  | 'myself'
  | 'serverInfo'
  | 'tokens'
  | 'tokens-create'
  | 'tokens-revoke'
  | 'mypermissions'
  | 'oauth-token'
  | 'other'
export type FaultPath = Exclude<Endpoint, 'other'> | 'any'

interface FaultBase {
  /** Endpoints the fault applies to. Default ['myself']. */
  paths?: FaultPath[]
  /** How many matching requests get the fault; afterwards the endpoint behaves normally. Default Infinity. */
  times?: number
}

export type Fault =
  | (FaultBase & {
      type: 'status'
      status: number
      /** Retry-After value (seconds or HTTP-date). */
      retryAfter?: number | string
      /** Replaces the realistic default body. */
      body?: string
      /** Merged over the default headers. */
      headers?: Record<string, string>
    })
  | (FaultBase & { type: 'slow-headers'; ms: number })
  | (FaultBase & { type: 'stall-body' })
  | (FaultBase & { type: 'reset-mid-body' })
  | (FaultBase & { type: 'huge-body'; bytes?: number; chunked?: boolean })
  | (FaultBase & { type: 'malformed-json' })
  | (FaultBase & { type: 'empty-200' })
  | (FaultBase & { type: 'redirect'; location: string; status?: number })
  | (FaultBase & { type: 'sso-redirect'; status?: number })
  | (FaultBase & { type: 'html-login' })
  | (FaultBase & { type: 'strip-authorization' })

export interface StandinSettings {
  platform: Platform
  /** '' or e.g. '/jira'. Requests outside it get the Tomcat 404 page. */
  contextPath: string
  /** DC version; below 8.14 there are no PATs. Ignored on Cloud. */
  version: string
  patsEnabled: boolean
  basicAuthDisabled: boolean
  /** Failed Basic logins per user before CAPTCHA; null or 0 disables. */
  captchaThreshold: number | null
  /** DC X-RateLimit-* headers on authenticated 200s. */
  rateLimitHeaders: boolean
  /** Delay before writing every response's headers. */
  latencyMs: number
  tls: TlsMode
  /** havePermission per key for authenticated users (unknown keys: false). */
  permissions: Record<string, boolean>
  /** Visible project keys. */
  projects: string[]
  /** Longest `expirationDuration` a PAT create accepts, in days (atlassian.pats.max.tokens.expiry.days). Default 365. */
  patMaxExpiryDays: number
  /** PATs a user may hold; the next create is refused with 403 (atlassian.pats.max.tokens.per.user). Default 10. */
  patMaxTokensPerUser: number
  /** Whether a create without `expirationDuration` makes a non-expiring PAT, or is refused with 400. Default true. */
  patEternalAllowed: boolean
  fault: Fault | null
}

export interface StandinOptions extends Partial<StandinSettings> {
  /** Listen port (default: ephemeral). */
  port?: number
  /** 'http' serves plain HTTP (for allow-insecure-http tests). Default 'https'. */
  protocol?: 'https' | 'http'
}

export interface RequestLogEntry {
  method: string
  /** Full path including the context path, without query. */
  path: string
  endpoint: Endpoint
  query: Record<string, string>
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>
  authorization: string | undefined
  /** performance.now() milliseconds. */
  startedAt: number
  endedAt: number | undefined
  /** Status written, if any (undefined for TLS/reset cases before headers). */
  status: number | undefined
  /** Fault type applied to this request, if any. */
  fault: Fault['type'] | undefined
  /**
   * The request body of `tokens-create` and `oauth-token` requests: parsed JSON, form fields as an
   * object (form-encoded bodies), or the raw text when neither parses. Absent for other endpoints.
   */
  body?: unknown
}

export interface UserSpec {
  /** DC login name (unique key of the user store). */
  name: string
  key?: string
  /** null hides the address, as instances that hide e-mail addresses do. */
  email?: string | null
  displayName?: string
  password?: string
  active?: boolean
  timeZone?: string
  locale?: string
  accountId?: string
  groups?: string[]
}

export interface UserSummary {
  name: string
  key: string
  emailAddress: string | null
  accountId: string
  displayName: string
  active: boolean
}

export interface MintPatOptions {
  name?: string
  user?: string
  /** Days from now; null = non-expiring; negative = already expired. Default 60. */
  expiresInDays?: number | null
  revoked?: boolean
  lastAccessedAt?: Date | null
  createdAt?: Date
}

export interface PatRecord {
  id: number
  name: string
  user: string
  raw: string
  createdAt: Date
  /** null for non-expiring. */
  expiringAt: Date | null
  lastAccessedAt: Date | null
  revoked: boolean
  /** What /rest/pat/latest/tokens shows for it. */
  json: PatJson
}

/** One entry of GET /rest/pat/latest/tokens. */
export interface PatJson {
  id: number
  name: string
  createdAt: string
  lastAccessedAt?: string
  expiringAt: string
}

export interface MintApiTokenOptions {
  email?: string
  /** Default 365; null = never expires; negative = expired. */
  expiresInDays?: number | null
  revoked?: boolean
}

export type ServiceAccountScope = 'READ' | 'WRITE'

export interface ServiceAccountSpec {
  /** Shown as `name` by /myself and in X-AUSERNAME; must not be a user's name. */
  name: string
  /** Default: the name. */
  displayName?: string
  /** Default ['READ']. */
  scopes?: ['READ'] | ['READ', 'WRITE']
  /** 'user' (default): /rest/api/2/myself answers the account; 'refused': 401 as for an anonymous call. */
  myself?: 'user' | 'refused'
}

export interface ClientCredentials {
  clientId: string
  clientSecret: string
}

export interface Standin {
  /** https://127.0.0.1:PORT + contextPath — the action's `domain`. */
  readonly url: string
  /** https://127.0.0.1:PORT */
  readonly origin: string
  readonly port: number
  /** CA file for NODE_EXTRA_CA_CERTS. */
  readonly caPath: string
  readonly caCertPem: string
  readonly requests: RequestLogEntry[]
  /** Peak number of requests in flight. */
  readonly maxConcurrent: number
  readonly inFlight: number
  /** Requests that received the current fault. */
  readonly faultHits: number
  readonly settings: StandinSettings
  set(partial: Partial<StandinSettings>): void
  /** Restores the start options; clears the request log, failed-login and fault counters. Users and tokens stay. */
  reset(): void
  failedLoginCount(username: string): number
  addUser(spec: UserSpec): UserSummary
  updateUser(name: string, partial: Partial<Omit<UserSpec, 'name'>>): UserSummary
  /** Returns the raw 44-char PAT. */
  mintPat(options?: MintPatOptions): string
  revokePat(raw: string): void
  listPats(): PatRecord[]
  /** Cloud API token 'ATATT3xFfGF0…'. */
  mintApiToken(options?: MintApiTokenOptions): string
  revokeApiToken(raw: string): void
  /** A Data Center service account; exchange its credentials at /rest/oauth2/latest/token. */
  addServiceAccount(spec: ServiceAccountSpec): ClientCredentials
  /** Later exchanges answer 401 invalid_client; access tokens already issued live until they expire. */
  revokeClientCredentials(clientId: string): void
  /** Make the access tokens issued so far (to one client, or to all) expire now. */
  expireAccessTokens(clientId?: string): void
  close(): Promise<void>
}

export function startStandin(options?: StandinOptions): Promise<Standin>
/** yyyy-MM-ddTHH:mm:ss.SSS+00:00 (non-expiring → 9999-12-31T00:00:00.000+00:00). */
export function patDate(ms: number): string
export function versionInfo(version: string): { versionNumbers: number[]; buildNumber: number }

export interface ConnectProxyOptions {
  /**
   * Name → loopback address ('127.0.0.1'), or address and port ('127.0.0.1:8443', '[::1]:8443'),
   * which replaces the port the CONNECT asked for. Only loopback addresses are ever dialled, and a
   * mapped name is never resolved.
   */
  hosts?: Record<string, string>
  /** 'user:pass' — 407 unless Proxy-Authorization matches. */
  requireAuth?: string
  /** Answer every CONNECT with 403. */
  refuse?: boolean
  port?: number
}

export interface ConnectRecord {
  /** host:port as requested. */
  target: string
  proxyAuthorization: string | undefined
  /** Status answered (200 once the tunnel is up; 0 while pending). */
  status: number
}

export interface ConnectProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string
  readonly port: number
  readonly connects: ConnectRecord[]
  close(): Promise<void>
}

export function startConnectProxy(options?: ConnectProxyOptions): Promise<ConnectProxy>

export interface PermissionDef {
  id: string
  key: string
  name: string
  type: string
  description: string
  deprecatedKey?: true
  canonical: string
}
export const PERMISSION_CATALOGUE: PermissionDef[]
export const DEFAULT_PERMISSIONS: Readonly<Record<string, boolean>>
  /** address:port the proxy dialled for it; undefined when it dialled nothing. */
  dialled: string | undefined
