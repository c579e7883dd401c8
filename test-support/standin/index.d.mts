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
 * /rest/oauth2/latest/token (DC) or https://auth.atlassian.com/oauth/token (Cloud); `tenant-info` is
 * a Cloud site's /_edge/tenant_info. `other` is anything else, including paths outside the context
 * path. On the gateway the names are those of the path after /ex/jira/{cloudId}.
 */
export type Endpoint =
  | 'myself'
  | 'serverInfo'
  | 'tokens'
  | 'tokens-create'
  | 'tokens-revoke'
  | 'mypermissions'
  | 'oauth-token'
  | 'tenant-info'
  | 'other'
/** Where a request arrived: a site host (always on DC), the api.atlassian.com gateway, auth.atlassian.com. */
export type RequestVia = 'site' | 'gateway' | 'auth'
/** Endpoints the scope table (SCOPE_TABLE) knows. */
export type ScopedEndpoint = 'myself' | 'serverInfo' | 'mypermissions'
/**
 * How auth.atlassian.com refuses a client it cannot authenticate. `by-cause` (default): an unknown
 * client id gets 400 invalid_client, a wrong secret or revoked credentials 401 access_denied. The
 * others give that one answer to every client failure: `invalid_client` 400, `access_denied` 401,
 * `unauthorized_client` 400.
 */
export type OAuthClientError =
  'by-cause' | 'invalid_client' | 'access_denied' | 'unauthorized_client'
export type FaultPath = Exclude<Endpoint, 'other'> | 'any'

interface FaultBase {
  /** Endpoints the fault applies to. Default ['myself']. */
  paths?: FaultPath[]
  /** How many matching requests get the fault; afterwards the endpoint behaves normally. Default Infinity. */
  times?: number
  /** How many matching requests pass untouched before the fault starts (the second /myself of a run: 1). Default 0. */
  skip?: number
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
  /**
   * Cloud: what a site host answers any Bearer. 'unauthorized' (default): 401 text/html "Client must
   * be authenticated…"; 'connect-session': 403 {"error":"Failed to parse Connect Session Auth Token"}.
   */
  cloudBearer: 'unauthorized' | 'connect-session'
  /** Cloud: auth.atlassian.com's answer to a client it cannot authenticate. Default 'by-cause'. */
  oauthClientError: OAuthClientError
  fault: Fault | null
}

export interface CloudSiteOptions {
  /** e.g. 'acme.atlassian.net'. */
  host: string
  /** Default: a random UUID. */
  cloudId?: string
  /** false: the site host refuses classic (unscoped) API tokens too; the gateway still takes them. Default true. */
  classicTokens?: boolean
  /** A custom domain in front of the site, e.g. 'jira.acme-corp.example'; the leaf certificate covers it. */
  customDomain?: string
}

export interface CloudSite {
  readonly host: string
  readonly cloudId: string
  /** https://<host> */
  readonly url: string
  readonly customDomain: string | undefined
  readonly classicTokens: boolean
}

export interface StandinOptions extends Partial<StandinSettings> {
  /** Listen port (default: ephemeral). */
  port?: number
  /** 'http' serves plain HTTP (for allow-insecure-http tests). Default 'https'. */
  protocol?: 'https' | 'http'
  /** Cloud sites (ignored on DC). Default: one site acme.atlassian.net with a random cloudId. */
  sites?: CloudSiteOptions[]
}

export interface CloudStandinOptions extends StandinOptions {
  platform: 'cloud'
}

export interface RequestLogEntry {
  method: string
  /** Full path including the context path (on the gateway: /ex/jira/{cloudId}/…), without query. */
  path: string
  endpoint: Endpoint
  /** 'site' on DC and on a Cloud site host; 'gateway' on api.atlassian.com; 'auth' on auth.atlassian.com. */
  via: RequestVia
  /** The name the request was addressed to: the Host header without its port (else the SNI), lower-cased. */
  host: string | undefined
  /** The TLS server name the client sent, if any. */
  sni: string | undefined
  /** Cloud: the cloudId of the site the request reached (undefined for unknown sites and on DC). */
  cloudId: string | undefined
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
   * The request body of `tokens-create` and `oauth-token` requests, secrets included: parsed JSON,
   * form fields as an object (form-encoded bodies), or the raw text when neither parses. Absent for
   * other endpoints.
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
  /**
   * A scoped token: refused on every site host, accepted on the gateway when its scopes cover the
   * endpoint. Default: true when `scopes` is given, else false (a classic token, never scope-checked).
   * Service accounts hold only scoped tokens.
   */
  scoped?: boolean
  /** A scoped token's scopes. Default ['read:jira-user', 'read:jira-work']. */
  scopes?: string[]
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

export interface CloudServiceAccountSpec {
  /** The e-mail becomes `<name>@serviceaccount.atlassian.com`. */
  name: string
  /** Default: the name. */
  displayName?: string
  /** Scopes of its first credential and the default for the ones minted later. Default ['read:jira-user', 'read:jira-work']. */
  scopes?: string[]
}

/**
 * A Cloud service account. Like a DC one it comes with one OAuth 2.0 credential (`clientId`,
 * `clientSecret`, holding `scopes`); give it more, or scoped API tokens, through the methods.
 */
export interface CloudServiceAccount extends ClientCredentials {
  name: string
  displayName: string
  /** <name>@serviceaccount.atlassian.com */
  email: string
  /** 712020:<uuid> */
  accountId: string
  accountType: 'app'
  appType: 'service'
  scopes: string[]
  /** A scoped API token of this account (Basic email:token, or Bearer, on the gateway). */
  mintApiToken(options?: Omit<MintApiTokenOptions, 'email' | 'scoped'>): string
  /** Another OAuth 2.0 credential of this account. */
  mintClientCredentials(options?: { scopes?: string[] }): ClientCredentials
}

export interface CloudClientCredentialsSpec {
  /** A Cloud service account's e-mail. */
  email: string
  /** Default ['read:jira-user', 'read:jira-work']. */
  scopes?: string[]
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

/** A Cloud stand-in: sites, the gateway, auth.atlassian.com and Cloud service accounts. */
export interface CloudStandin extends Standin {
  /** The sites (copies). */
  readonly sites: CloudSite[]
  /** https://<host>, the first site's by default; `host` may be a site host or a custom domain. */
  siteUrl(host?: string): string
  /** https://api.atlassian.com/ex/jira/{cloudId}, the first site's by default. */
  gatewayUrl(cloudId?: string): string
  /** A Cloud service account, with one OAuth 2.0 credential. */
  addServiceAccount(spec: CloudServiceAccountSpec): CloudServiceAccount
  /** An OAuth 2.0 credential for a Cloud service account (by e-mail). */
  mintClientCredentials(spec: CloudClientCredentialsSpec): ClientCredentials
}

export function startStandin(options: CloudStandinOptions): Promise<CloudStandin>
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
  /** address:port the proxy dialled for it; undefined when it dialled nothing. */
  dialled: string | undefined
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

/**
 * The OAuth 2.0 scopes each endpoint accepts (Jira Cloud OpenAPI `x-atlassian-oauth2-scopes`): a
 * token is accepted when it holds every scope of one of the sets.
 */
export const SCOPE_TABLE: Readonly<Record<ScopedEndpoint, ReadonlyArray<ReadonlyArray<string>>>>
/** Whether `scopes` cover the endpoint (endpoints outside the table: true). */
export function scopesCover(endpoint: string, scopes: readonly string[]): boolean

export interface AtlassianCloudOptions extends StandinOptions {
  /** Options of the CONNECT proxy (its `hosts` are merged over the Cloud names). */
  proxy?: ConnectProxyOptions
}

export interface AtlassianCloud {
  standin: CloudStandin
  /** Maps every site host, custom domain, api.atlassian.com and auth.atlassian.com to the stand-in. */
  proxy: ConnectProxy
  /** For the action's child environment: https_proxy (with credentials if the proxy wants them) and the CA file. */
  env: { https_proxy: string; NODE_EXTRA_CA_CERTS: string }
  close(): Promise<void>
}

/** A Cloud stand-in and a CONNECT proxy that sends every Atlassian name to it. */
export function startAtlassianCloud(options?: AtlassianCloudOptions): Promise<AtlassianCloud>
