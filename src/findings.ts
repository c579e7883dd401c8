/**
 * Every way the check can end, as data. The catalogue in diagnosis.ts turns a Failure into words;
 * nothing else writes a sentence a user reads when things go wrong.
 */
export const ERROR_CODES = [
  'missing-input',
  'invalid-input',
  'unauthorized',
  'captcha-required',
  'basic-auth-disabled',
  'forbidden',
  'login-redirect',
  'not-found',
  'rate-limited',
  'server-error',
  'timeout',
  'dns-error',
  'connection-error',
  'tls-error',
  'proxy-error',
  'unexpected-response',
  'identity-mismatch',
  'missing-permissions',
  'project-not-found',
  'token-not-found',
  'token-expiring',
  'internal-error'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** What a failed probe saw. Only facts: the catalogue decides what they mean. */
export interface Evidence {
  /** The URL tried (never carries credentials). */
  url?: string
  status?: number
  /** Jira headers that tell failures apart. */
  seraphLoginReason?: string
  deniedReason?: string
  ausername?: string
  location?: string
  /** A transparent proxy's 407 challenge. */
  proxyAuthenticate?: string
  retryAfterSeconds?: number
  contentType?: string
  /** A short, single-line excerpt of the body, for context. */
  bodyExcerpt?: string
  /** Node's error code for a transport failure (ECONNREFUSED, CERT_HAS_EXPIRED, ...). */
  errno?: string
  transportMessage?: string
  /** The proxy refused the CONNECT tunnel with this status. */
  proxyStatus?: number
  /** A proxy variable that applies but cannot be used (https_proxy, ...). */
  proxyVariable?: string
  /** Where the request was when the deadline came: lookup, connect, proxy, tls, headers, body. */
  timeoutPhase?: 'lookup' | 'connect' | 'proxy' | 'tls' | 'headers' | 'body'
  attempts?: number
  elapsedMs?: number
  /** Which input was wrong, for input failures. */
  input?: string
  /** A value the user probably meant (never a secret). */
  suggestion?: string
  /** The detail of an input failure or a check failure, already phrased. */
  detail?: string
  /** identity-mismatch: who the token belongs to, and who was expected. */
  actualIdentity?: string
  expected?: string[]
  /** missing-permissions */
  missingPermissions?: string[]
  unknownPermissions?: string[]
  project?: string
  /** token-not-found */
  tokenName?: string
  availableTokenNames?: string[]
  /** token-expiring */
  daysLeft?: number
  expiresAt?: string
}

export interface Failure {
  code: ErrorCode
  evidence: Evidence
}

/** What the check learnt about the environment; used by the diagnosis for hints. */
export interface Context {
  baseUrl?: string
  /** The host name alone, for DNS and TLS messages. */
  host?: string
  /** Scheme, host and port: what every suggested URL starts with. */
  origin?: string
  /** The context path of `domain` ('' when none), e.g. /jira. */
  contextPath?: string
  authScheme?: 'bearer' | 'basic'
  tokenLength?: number
  tokenShape?: TokenShape
  deploymentType?: string
  serverVersion?: string
  proxy?: string
  timeoutSeconds?: number
  retries?: number
}

export type TokenShape = 'data-center-pat' | 'cloud-api-token' | 'other'

/** A DC PAT is base64(12 ASCII digits + ':' + 20 random bytes): always 44 characters, no padding. */
const DC_PAT = /^(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){4}O[g-v][A-Za-z0-9+/]{26}$/

/** Atlassian Cloud personal API tokens start with ATATT (gitleaks#1402; Bamboo's "prefix ATAT"). */
export function tokenShape(token: string): TokenShape {
  if (DC_PAT.test(token)) return 'data-center-pat'
  if (token.startsWith('ATATT')) return 'cloud-api-token'
  return 'other'
}
