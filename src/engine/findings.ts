/**
 * Every way the check can end, as data. A Failure carries exactly the evidence of its code; the
 * catalogue (diagnosis/catalogue.ts) turns it into words, and the notes catalogue does the same
 * for Notes. Nothing else writes a sentence a user reads.
 */
import type { SettingName } from './settings/rotate-schema.js'
import type { TimeoutPhase } from './jira/transport.js'
import type { PolicyFinding } from './policy.js'

export const ERROR_CODES = [
  'missing-input',
  'invalid-input',
  'unauthorized',
  'insufficient-scope',
  'invalid-client',
  'identity-unverified',
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
  'token-policy',
  'internal-error'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** Where a request went, and how hard the check tried. Never carries credentials. */
export interface RequestEvidence {
  url?: string
  /** Absent for GET, the probes' method. */
  method?: 'POST' | 'DELETE'
  attempts?: number
  elapsedMs?: number
}

/** What an HTTP answer said: its status and the headers that tell Jira's failures apart. */
export interface ResponseEvidence extends RequestEvidence {
  status: number
  seraphLoginReason?: string
  deniedReason?: string
  ausername?: string
  /** Cloud's X-AACCOUNTID, URL-decoded: the account the credential logged in as. */
  aaccountId?: string
  location?: string
  /** A transparent proxy's 407 challenge. */
  proxyAuthenticate?: string
  retryAfterSeconds?: number
  contentType?: string
  /** A short, single-line, neutralised excerpt of the body. */
  bodyExcerpt?: string
}

/** A connection that failed before or while an answer came. */
export interface NetworkEvidence extends RequestEvidence {
  /** Node's error code: ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ... */
  errno: string
  transportMessage?: string
  /** The proxy refused the CONNECT tunnel with this status. */
  proxyStatus?: number
}

export interface TimeoutEvidence extends RequestEvidence {
  /** Where the request was when the deadline came. */
  phase: TimeoutPhase
  /** The status line, when the headers came and the body stalled. */
  status?: number
}

type Answered<C extends ErrorCode> = { code: C; response: ResponseEvidence; detail?: string }
type Unreached<C extends ErrorCode> = { code: C; network: NetworkEvidence }

export type Failure =
  | { code: 'missing-input'; input: SettingName; detail: string }
  | {
      code: 'invalid-input'
      input: SettingName
      detail: string
      /** A value the user probably meant (never a secret). */
      suggestion?: string
      /** When Jira itself refused the value (an unknown permission key on Cloud). */
      response?: ResponseEvidence
    }
  | (Answered<'unauthorized'> & {
      /** The site refused, and this is what the API gateway answered the same credential. */
      gateway?: GatewayAttempt
    })
  | {
      code: 'insufficient-scope'
      response: ResponseEvidence
      /** The probe the gateway refused, and the probes that ran before it. */
      probe: ScopedProbe
      ran: ScopedProbe[]
    }
  | {
      code: 'invalid-client'
      response: ResponseEvidence
      /** The OAuth error code the token endpoint gave (invalid_client, unauthorized_client, ...). */
      oauthError?: string
      platform: 'cloud' | 'data-center'
    }
  | {
      code: 'identity-unverified'
      /** /myself's refusal, after the token endpoint accepted the client credentials. */
      response: ResponseEvidence
      /** The gates that could not be checked without the identity: expected-user, required-permissions. */
      gates: SettingName[]
    }
  | Answered<'captcha-required'>
  | Answered<'basic-auth-disabled'>
  | Answered<'forbidden'>
  | Answered<'login-redirect'>
  | Answered<'not-found'>
  | Answered<'rate-limited'>
  | Answered<'server-error'>
  | Answered<'unexpected-response'>
  | { code: 'timeout'; timeout: TimeoutEvidence }
  | Unreached<'dns-error'>
  | Unreached<'connection-error'>
  | Unreached<'tls-error'>
  | { code: 'proxy-error'; network: NetworkEvidence }
  | { code: 'proxy-error'; response: ResponseEvidence }
  | { code: 'proxy-error'; variable: string; reason: string; url?: string }
  | { code: 'identity-mismatch'; actual: string; expected: string[] }
  | {
      code: 'missing-permissions'
      url?: string
      project?: string
      missing: string[]
      unknown: string[]
    }
  | { code: 'project-not-found'; project: string; response: ResponseEvidence }
  | { code: 'token-not-found'; url?: string; tokenName: string; available: string[] }
  | { code: 'token-expiring'; daysLeft: number; expiresAt: string; tokenName?: string }
  | { code: 'token-policy'; findings: readonly PolicyFinding[] }
  | { code: 'internal-error'; detail: string }

/** What the API gateway answered, when the check tried it after the site refused the credential. */
export interface GatewayAttempt {
  url: string
  /** "401", "404", "ECONNRESET", ... as the log shows it. */
  outcome: string
  /** The gateway answered with an HTTP status (rather than failing to be reached). */
  answered?: boolean
  /** Why the gateway was not tried at all: the cloudId could not be found. */
  skipped?: string
}

/** The probes whose OAuth scopes the check knows (jira/scopes.ts). */
export type ScopedProbe = 'myself' | 'serverInfo' | 'permissions'

/** The failure of one code, for code that knows which code it holds. */
export type FailureOf<C extends ErrorCode> = Extract<Failure, { code: C }>

/** The HTTP status a failure saw, if an answer came. */
export function statusOf(failure: Failure): number | undefined {
  if ('response' in failure && failure.response) return failure.response.status
  if (failure.code === 'timeout') return failure.timeout.status
  return undefined
}

/** The URL a failure concerns, if any. */
export function urlOf(failure: Failure): string | undefined {
  if ('response' in failure && failure.response) return failure.response.url
  if ('network' in failure) return failure.network.url
  if (failure.code === 'timeout') return failure.timeout.url
  if ('url' in failure) return failure.url
  return undefined
}

/**
 * What the check noticed without failing: coded, so that the notes catalogue words them for each
 * front-end (`token-name` in the action, `--token-name` in the CLI).
 */
export type Note =
  | { code: 'domain-without-scheme'; base: string }
  | { code: 'insecure-http'; host: string }
  | { code: 'quotes-removed'; input: SettingName }
  | { code: 'bearer-prefix-removed' }
  | { code: 'timeout-capped'; given: string; cap: number }
  | { code: 'retries-capped'; given: string; cap: number }
  | { code: 'tls-override-ignored' }
  | { code: 'account-inactive' }
  | { code: 'token-guessed'; count: number; name: string }
  | { code: 'token-namesakes'; count: number; name: string }
  | { code: 'token-name-on-cloud' }
  | { code: 'token-name-with-basic' }
  | { code: 'pat-list-unavailable'; reason: string; tokenName: boolean }
  | { code: 'pat-list-unreadable' }
  | { code: 'expiry-date-in-past'; date: string }
  /** The site refused the token and the gateway took it: a scoped token, or classic tokens are off. */
  | { code: 'gateway-only'; gatewayUrl: string }
  /** The site's cloudId could not be found, so a scoped token could not be tried on the gateway. */
  | { code: 'cloud-id-unknown'; reason: string }
  /** Client credentials were exchanged, but Jira would not say whose they are. */
  | { code: 'identity-unread'; status?: number }
  /** The token policy could not tell whether the account is an administrator. */
  | { code: 'admin-rights-unknown'; reason: string }

export type NoteCode = Note['code']

/** What the check learnt about the environment; the catalogue uses it for hints. */
export interface Context {
  baseUrl?: string
  /** The host name alone, for DNS and TLS messages. */
  host?: string
  /** Scheme, host and port: what every suggested URL starts with. */
  origin?: string
  /** The context path of `domain` ('' when none), e.g. /jira. */
  contextPath?: string
  authScheme?: 'bearer' | 'basic' | 'client-credentials'
  /** The Cloud site's cloudId, when known. */
  cloudId?: string
  /** The requests went to the API gateway (domain is the gateway, or the site refused). */
  viaGateway?: boolean
  tokenLength?: number
  tokenShape?: TokenShape
  deploymentType?: string
  serverVersion?: string
  /** The proxy's origin, when one was used. */
  proxy?: string
  timeoutSeconds?: number
  retries?: number
}

export type TokenShape = 'data-center-pat' | 'cloud-api-token' | 'other'

/**
 * A Data Center PAT is base64(12 ASCII digits + ':' + 20 random bytes): always 44 characters, no
 * padding (pats-plugin DefaultTokenGeneratorService). Decoding says so more plainly than a regex.
 */
function isDataCenterPat(token: string): boolean {
  if (!/^[A-Za-z0-9+/]{44}$/.test(token)) return false
  const bytes = Buffer.from(token, 'base64')
  return (
    bytes.length === 33 &&
    bytes[12] === 0x3a &&
    /^\d{12}$/.test(bytes.subarray(0, 12).toString('latin1'))
  )
}

/** Atlassian Cloud personal API tokens start with ATATT (gitleaks#1402; Bamboo's "prefix ATAT"). */
export function tokenShape(token: string): TokenShape {
  if (isDataCenterPat(token)) return 'data-center-pat'
  if (token.startsWith('ATATT')) return 'cloud-api-token'
  return 'other'
}
