/**
 * The catalogue: one entry per error code, the only place that words a failure. Each entry gets
 * exactly its own evidence (Failure is a union keyed by code) and the front-end's Platform.
 */
import type {
  Context,
  ErrorCode,
  FailureOf,
  NetworkEvidence,
  ResponseEvidence,
  TimeoutEvidence
} from '../findings.js'
import { urlOf, type Failure } from '../findings.js'
import type { PolicyFinding } from '../policy.js'
import {
  PAT_PAGE,
  CLOUD_TOKEN_PAGE,
  attempts,
  cloudBearerSteps,
  cloudTokenAsBearer,
  from,
  isCloud,
  loggedIn,
  onGet,
  patPage,
  safeHost,
  sameHostBase,
  tokenShapeStep,
  versionBelow
} from './hints.js'
import type { Platform } from './platform.js'
import { SCOPES, describeScopes } from '../jira/scopes.js'
import { describeFinding, type FindingText } from './policy.js'

/** What a user reads about one failure: a title, one line saying what happened, why, and what to do. */
export interface Diagnosis {
  code: ErrorCode
  title: string
  headline: string
  explanation?: string
  steps: string[]
}

/**
 * What kind of trouble a code is, for exit codes: the credential or a gate failed, the input was
 * bad, Jira could not be reached or answered oddly, or the check itself has a bug. A pipeline can
 * retry on `unreachable` and page someone on `credential`.
 */
export type Family = 'credential' | 'input' | 'unreachable' | 'bug'

export const FAMILIES: Record<ErrorCode, Family> = {
  'missing-input': 'input',
  'invalid-input': 'input',
  unauthorized: 'credential',
  'insufficient-scope': 'credential',
  'invalid-client': 'credential',
  'identity-unverified': 'credential',
  'captcha-required': 'credential',
  'basic-auth-disabled': 'credential',
  forbidden: 'credential',
  'identity-mismatch': 'credential',
  'missing-permissions': 'credential',
  'project-not-found': 'credential',
  'token-not-found': 'credential',
  'token-expiring': 'credential',
  'token-policy': 'credential',
  timeout: 'unreachable',
  'dns-error': 'unreachable',
  'connection-error': 'unreachable',
  'tls-error': 'unreachable',
  'proxy-error': 'unreachable',
  'login-redirect': 'unreachable',
  'not-found': 'unreachable',
  'rate-limited': 'unreachable',
  'server-error': 'unreachable',
  'unexpected-response': 'unreachable',
  'internal-error': 'bug'
}

type Words = Omit<Diagnosis, 'code'>
type Entries = { [C in ErrorCode]: (failure: FailureOf<C>, context: Context, p: Platform) => Words }

function unauthorizedBearer(e: ResponseEvidence, c: Context, p: Platform): string[] {
  const steps: string[] = []
  if (c.tokenShape === 'cloud-api-token') {
    steps.push(
      `The token starts with ATATT: it is an Atlassian Cloud API token, but this Jira is Data Center/Server${c.serverVersion ? ` ${c.serverVersion}` : ''}. Create a personal access token in this Jira and put it in ${p.secretSource('token')}.`
    )
  }
  if (versionBelow(c.serverVersion, 8, 14)) {
    steps.push(
      `This Jira is ${c.serverVersion}; personal access tokens arrived in 8.14. Upgrade Jira, or use Basic auth with ${p.setting('username')}.`
    )
  }
  steps.push(
    `Check the token's expiry: ${patPage(c)}.`,
    `If it expired or was revoked, create a new one and update ${p.secretSource('token')}.`,
    tokenShapeStep(c, p),
    'If the token is current and intact: an administrator may have turned personal access tokens off, or a proxy in front of Jira strips the Authorization header. Both look exactly like this.'
  )
  if (e.ausername && e.ausername !== 'anonymous') {
    steps.push(
      `Jira named the user "${e.ausername}" in X-AUSERNAME, so the account itself may lack access to /myself.`
    )
  }
  return steps
}

function unauthorizedBasic(c: Context, p: Platform, gatewayTried: boolean): string[] {
  if (isCloud(c)) {
    return [
      `Check that ${p.setting('username')} is the Atlassian account email, exactly (a service account's ends in @serviceaccount.atlassian.com).`,
      `Check that the API token has not expired or been revoked: ${CLOUD_TOKEN_PAGE} (for a service account: admin.atlassian.com › Directory › Service accounts). Cloud API tokens expire after at most a year.`,
      `Create a new API token and update ${p.secretSource('token')}.`,
      ...(gatewayTried
        ? []
        : [
            `A scoped API token works only through https://api.atlassian.com/ex/jira/<cloudId>: set ${p.setting('cloud-id')} so the check can try it there too.`
          ])
    ]
  }
  const steps = [
    "Every failed Basic login counts toward Jira's CAPTCHA lockout for this account: fix the credentials before re-running."
  ]
  if (c.tokenShape === 'data-center-pat') {
    steps.push(
      `The token has the shape of a Data Center personal access token. PATs are sent as Bearer, not as a Basic password: remove ${p.setting('username')}.`
    )
  } else {
    steps.push(`Check ${p.setting('username')} and the password or token in ${p.setting('token')}.`)
  }
  steps.push(
    `Prefer a personal access token with Bearer (leave ${p.setting('username')} empty); it never counts toward the lockout.`
  )
  return steps
}

const PHASE_TEXT = {
  lookup: 'the DNS lookup of',
  connect: 'the TCP connection to',
  proxy: 'the proxy tunnel to',
  tls: 'the TLS handshake with',
  headers: 'an answer from'
} as const

function timeoutHeadline(e: TimeoutEvidence, c: Context): string {
  if (e.phase === 'body') {
    return `Jira sent a response (HTTP ${e.status}) but the body stalled until the ${c.timeoutSeconds} s deadline${onGet(e)}`
  }
  return `No answer within ${c.timeoutSeconds} s: ${PHASE_TEXT[e.phase]} ${c.host ?? 'Jira'} did not finish${onGet(e)}`
}

const PROXY_CREDENTIALS_STEP =
  'A 407 means the proxy wants credentials: put them in the proxy URL, http://user:password@proxy:port, percent-encoding special characters (@ as %40, % as %25).'

function proxyEntry(failure: FailureOf<'proxy-error'>, c: Context, p: Platform): Words {
  const bypass = 'If Jira should be reached directly, add its host to `no_proxy`.'
  if ('variable' in failure) {
    return {
      title: 'The proxy setting cannot be used',
      headline: `\`${failure.variable}\` is set for ${c.host ?? 'Jira'}, but ${failure.reason}; nothing was sent`,
      explanation:
        'The check does not fall back to a direct connection: a proxy that is set but unreadable usually means the network needs it.',
      steps: [
        `Fix \`${failure.variable}\` ${p.proxyHint}: it should look like http://proxy.example.com:3128, or http://user:password@proxy.example.com:3128.`,
        bypass
      ]
    }
  }
  if ('response' in failure) {
    const e = failure.response
    return {
      title: 'A proxy in front of Jira wants credentials (HTTP 407)',
      headline: `A proxy answered for Jira with HTTP 407 Proxy Authentication Required${from(e)}${e.proxyAuthenticate ? ` (Proxy-Authenticate: ${e.proxyAuthenticate})` : ''}`,
      explanation:
        'Jira itself never answers 407: a transparent proxy between here and Jira intercepted the request.',
      steps: [
        `Set \`https_proxy\` to that proxy with its credentials (${p.proxyHint}), so the check authenticates to it: http://user:password@proxy:port.`,
        PROXY_CREDENTIALS_STEP
      ]
    }
  }
  const e = failure.network
  if (e.proxyStatus !== undefined) {
    return {
      title: 'The HTTPS proxy refused the tunnel',
      headline: `The proxy ${c.proxy ?? ''} refused the tunnel to ${c.host} with HTTP ${e.proxyStatus}`,
      steps: [
        ...(e.proxyStatus === 407 ? [PROXY_CREDENTIALS_STEP] : []),
        `Check \`https_proxy\`/\`HTTPS_PROXY\` ${p.proxyHint}, and that the proxy allows CONNECT to the Jira host and port.`,
        bypass
      ]
    }
  }
  return {
    title: 'The HTTPS proxy failed',
    headline: `Could not reach the proxy ${c.proxy ?? ''} (${e.errno}: ${e.transportMessage ?? ''})`,
    steps: [`Check \`https_proxy\`/\`HTTPS_PROXY\` ${p.proxyHint}.`, bypass]
  }
}

function notFoundEntry(e: ResponseEvidence, c: Context, p: Platform): Words {
  const origin = c.origin ?? `https://${c.host ?? 'jira.example.com'}`
  const credentialsWorked = loggedIn(e)
    ? ` The credentials worked (${e.ausername && e.ausername !== 'anonymous' ? `Jira named the user "${e.ausername}"` : 'X-Seraph-LoginReason: OK'}): only the path is wrong.`
    : ''
  const webServer = /html/i.test(e.contentType ?? '')
    ? `A web server answered${e.bodyExcerpt ? ` ("${e.bodyExcerpt}")` : ''}, but not Jira's REST API.`
    : ''
  const explanation = `${webServer}${credentialsWorked}`.trim() || undefined
  const domain = p.setting('domain')
  let steps: string[]
  if (/^api\.atlassian\.com$/i.test(c.host ?? '')) {
    // The gateway answers 404 for a cloudId it does not route (an organization id, a typo).
    return {
      title: 'The API gateway does not know this cloudId (HTTP 404)',
      headline: `Atlassian's API gateway answered HTTP 404 for ${e.url ?? 'the request'}`,
      explanation:
        'The gateway routes by cloudId; an unknown one, an organization id used instead, or a token the gateway cannot read as Bearer all look like this.',
      steps: [
        `Check the cloudId in ${p.setting('domain')} or ${p.setting('cloud-id')}: https://<site>.atlassian.net/_edge/tenant_info shows the right one. An organization id (admin.atlassian.com/o/…) is not a cloudId.`,
        `Or give the site itself as ${p.setting('domain')}, https://<site>.atlassian.net, and the check finds the cloudId.`
      ]
    }
  }
  if (isCloud(c)) {
    steps = [
      `Jira Cloud has no context path: set ${domain} to the site itself, ${origin}.`,
      'Check the site name in a browser: it is the address you log in to, e.g. https://your-site.atlassian.net.'
    ]
  } else if (c.contextPath) {
    steps = [
      `${domain} already has the context path "${c.contextPath}": check that it is Jira's (the path you see in the browser before /secure/ or /browse/), or try ${origin} if Jira lives at the root.`,
      `Open ${domain} in a browser: it should show Jira; the REST API is below it at /rest/api/2/.`
    ]
  } else {
    steps = [
      `If Jira lives under a context path, include it in ${domain}: e.g. ${origin}/jira rather than ${origin}.`,
      `Open ${domain} in a browser: it should show Jira; the REST API is below it at /rest/api/2/.`
    ]
  }
  return {
    title: 'Jira REST API not found (HTTP 404)',
    headline: `Nothing answers at ${e.url ?? 'the API URL'} (HTTP 404)`,
    explanation,
    steps
  }
}

function tlsEntry(e: NetworkEvidence, c: Context, p: Platform): Words {
  const errno = e.errno
  if (errno === 'CERT_HAS_EXPIRED' || errno === 'CERT_NOT_YET_VALID') {
    return {
      title: "Jira's TLS certificate has expired",
      headline: `The TLS certificate of ${c.host} is ${errno === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'} (${errno})`,
      steps: [
        'Ask the Jira administrators to renew the certificate.',
        "Check this machine's clock if the certificate should be valid."
      ]
    }
  }
  if (errno === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      title: "Jira's TLS certificate is for another host name",
      headline: `The TLS certificate presented by ${c.host} is not valid for that name (${errno})`,
      explanation: e.transportMessage,
      steps: [
        `Use the host name the certificate was issued for in ${p.setting('domain')} (often the public name, not an IP or an internal alias).`
      ]
    }
  }
  if (errno === 'EPROTO' || errno.startsWith('ERR_SSL')) {
    return {
      title: 'TLS handshake with Jira failed',
      headline: `The TLS handshake with ${c.host} failed (${errno}: ${e.transportMessage ?? ''})`,
      steps: [
        `Check that the port in ${p.setting('domain')} serves HTTPS; a plain-HTTP port fails like this.`
      ]
    }
  }
  return {
    title: "Jira's TLS certificate is not trusted",
    headline: `The TLS certificate of ${c.host} is signed by a CA this machine does not trust (${errno})`,
    steps: [
      p.caHint,
      'Do not turn certificate verification off: the token would go to whoever answers.'
    ]
  }
}

function missingPermissionsEntry(e: FailureOf<'missing-permissions'>, p: Platform): Words {
  const where = e.project ? ` in project ${e.project}` : ''
  const headline = [
    e.missing.length > 0 ? `The token's account lacks ${e.missing.join(', ')}${where}` : '',
    e.unknown.length > 0
      ? `Jira does not know the permission key${e.unknown.length > 1 ? 's' : ''} ${e.unknown.join(', ')}`
      : ''
  ]
    .filter(Boolean)
    .join('; ')
  return {
    title: 'The token lacks required permissions',
    headline: headline || 'The token lacks required permissions',
    explanation:
      "A personal access token carries exactly its account's permissions; it has no scopes of its own.",
    steps: [
      ...(e.missing.length > 0
        ? [
            `Grant ${e.missing.join(', ')} to the account${where} (the project's permission scheme, through a group or project role it belongs to).`
          ]
        : []),
      ...(e.unknown.length > 0
        ? [
            `Check the spelling of ${p.setting('required-permissions')}: keys look like BROWSE_PROJECTS or TRANSITION_ISSUES.`
          ]
        : [])
    ]
  }
}

const CONNECT_SESSION =
  'Jira Cloud read the credential as a Connect app session token and could not parse it ("Failed to parse Connect Session Auth Token"): the credential is malformed for Cloud. Usually an API token was sent as Bearer, or without the account email.'

function unauthorizedEntry(failure: FailureOf<'unauthorized'>, c: Context, p: Platform): Words {
  const e = failure.response
  const status = `HTTP ${e.status}`
  const connectSession = e.status === 403
  if (c.authScheme === 'client-credentials') {
    return {
      title: `The API gateway refused the service account's access token (${status})`,
      headline: `The token endpoint accepted the client credentials, but ${e.url ? new URL(e.url).host : 'the gateway'} refused the access token (${status}${from(e)})`,
      explanation:
        'The client id and secret are valid. A service account reaches only the sites and apps it holds a role on.',
      steps: [
        'In admin.atlassian.com › Directory › Service accounts, give the service account a Jira role on this site (for example Jira: User).',
        `Check that ${p.setting('cloud-id')} (or the site in ${p.setting('domain')}) is the site the service account was given.`
      ]
    }
  }
  if (cloudTokenAsBearer(c) || connectSession) {
    return {
      title: `Jira Cloud does not take a token as Bearer (${status})`,
      headline: `Jira Cloud did not accept the token as Bearer (${status}${from(e)})`,
      explanation: connectSession
        ? CONNECT_SESSION
        : `Jira Cloud accepts an API token only with the account email, as Basic email:token; ${p.setting('username')} is empty, so the token went as Bearer.`,
      steps: cloudBearerSteps(p)
    }
  }
  const gateway = failure.gateway
  const both = gateway && !gateway.skipped && gateway.answered !== false
  const unreachable = gateway && !gateway.skipped && gateway.answered === false
  const basicExplanation = both
    ? `The site refused ${p.setting('username')} with ${p.setting('token')} (${status}), and so did the API gateway (${gateway.url}: ${gateway.outcome}), which is where a scoped API token works. Both were tried.`
    : unreachable
      ? `The site refused ${p.setting('username')} with ${p.setting('token')} (${status}). A scoped API token works only through the API gateway, and the gateway could not be reached from here (${gateway.url}: ${gateway.outcome}), so that was not tried to the end.`
      : `Jira did not accept ${p.setting('username')} with ${p.setting('token')}${e.seraphLoginReason ? ` (X-Seraph-LoginReason: ${e.seraphLoginReason})` : ''}.`
  return {
    title: `Jira rejected the token (${status})`,
    headline: both
      ? `Neither the site nor the API gateway accepted the token (site: ${status}${from(e)}; gateway: ${gateway.outcome})`
      : `Jira did not accept the token (${status}${from(e)})`,
    explanation:
      c.authScheme === 'basic'
        ? basicExplanation
        : 'Jira Data Center answers an expired, revoked or mistyped token the same way, as an anonymous request' +
          (e.ausername === 'anonymous' ? ' (X-AUSERNAME: anonymous).' : '.'),
    steps:
      c.authScheme === 'basic'
        ? [
            ...unauthorizedBasic(c, p, !!both),
            ...(unreachable
              ? [
                  `If the token is a scoped one, let this machine reach https://api.atlassian.com (a proxy or firewall rule; ${p.proxyHint}).`
                ]
              : [])
          ]
        : unauthorizedBearer(e, c, p)
  }
}

function insufficientScopeEntry(
  e: FailureOf<'insufficient-scope'>,
  c: Context,
  p: Platform
): Words {
  const secret = c.authScheme === 'client-credentials' ? 'client-secret' : 'token'
  const needs = e.ran.filter((probe) => SCOPES[probe].classic.length > 0)
  return {
    title: 'The token lacks an OAuth scope (HTTP 401)',
    headline: `The API gateway accepted the credential but refused ${SCOPES[e.probe].purpose}: "scope does not match" (HTTP ${e.response.status}${from(e.response)})`,
    explanation:
      'The credential is valid: it is a scoped API token or a service account credential, and it lacks a scope this check needs. Scopes are fixed when the token or credential is created.',
    steps: [
      `This check needs: ${needs.map((probe) => `for ${SCOPES[probe].purpose}, ${describeScopes(probe)}`).join('; ')}.`,
      `Create a new scoped token (${CLOUD_TOKEN_PAGE} › Create API token with scopes) or OAuth 2.0 credential (admin.atlassian.com › Directory › Service accounts) that holds them, and update ${p.secretSource(secret)}${secret === 'client-secret' ? ` and ${p.setting('client-id')}` : ''}.`,
      "Atlassian's scope list: https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/"
    ]
  }
}

function invalidClientEntry(e: FailureOf<'invalid-client'>, p: Platform): Words {
  const where =
    e.platform === 'cloud'
      ? 'admin.atlassian.com › Directory › Service accounts › the account › Credentials'
      : 'Jira administration › Service accounts'
  return {
    title: 'The token endpoint refused the client credentials',
    headline: `The OAuth 2.0 token endpoint refused ${p.setting('client-id')} and ${p.setting('client-secret')} (HTTP ${e.response.status}${e.oauthError ? ` ${e.oauthError}` : ''}${from(e.response)})`,
    explanation:
      'The client id is unknown, the secret does not match it, or the credential was revoked. The check did not retry: a refused client stays refused.',
    steps: [
      `Check ${p.setting('client-id')} against ${where}.`,
      `If the secret was lost or revoked, create a new credential there (a secret is shown only once) and update ${p.secretSource('client-secret')}.`,
      e.platform === 'cloud'
        ? 'A Cloud service account credential needs the centralized user management experience in your organization.'
        : 'Data Center service accounts need a Jira version that has them; the token endpoint is /rest/oauth2/latest/token.'
    ]
  }
}

const catalogue: Entries = {
  'missing-input': (e, c, p) => ({
    title: `Missing ${p.settingTitle(e.input)}`,
    headline: e.detail,
    steps:
      e.input === 'cloud-id'
        ? [
            `Open ${c.origin && isCloud(c) ? c.origin : 'https://<site>.atlassian.net'}/_edge/tenant_info in a browser: it shows {"cloudId":"…"}. Set ${p.setting('cloud-id')} to that value.`
          ]
        : []
  }),
  'invalid-input': (e, _c, p) => ({
    title: `Invalid ${p.settingTitle(e.input)}`,
    headline: e.detail,
    steps: e.suggestion ? [`Did you mean \`${p.assignment(e.input, e.suggestion)}\`?`] : []
  }),
  unauthorized: (failure, c, p) => unauthorizedEntry(failure, c, p),
  'insufficient-scope': (e, c, p) => insufficientScopeEntry(e, c, p),
  'invalid-client': (e, _c, p) => invalidClientEntry(e, p),
  'identity-unverified': (e, _c, p) => ({
    title: 'Jira did not say whose the client credentials are',
    headline: `The token endpoint accepted the client credentials, but Jira refused /myself with the access token (HTTP ${e.response.status}${from(e.response)}), so ${e.gates.map((gate) => p.setting(gate)).join(' and ')} could not be checked`,
    explanation:
      'Proved: the client id and secret are valid, and Jira issued an access token. Not proved: which account they belong to. Data Center service accounts may not be principals that /myself answers for; the check never passes a gate on an identity it did not read.',
    steps: [
      `On this Jira the gate cannot be checked with client credentials. A client id names exactly one service account: if checking that the credentials work is enough, drop ${e.gates.map((gate) => p.setting(gate)).join(' and ')} for this job.`,
      'To keep the gate, check a credential Jira can name, such as a personal access token of the account the job should run as.',
      'If /myself should answer for service accounts here, ask the Jira administrators which version and scopes (READ) the service account has.'
    ]
  }),
  'captcha-required': ({ response: e }, _c, p) => {
    const loginUrl = /login-url=(\S+)/.exec(e.deniedReason ?? '')?.[1]
    return {
      title: 'Jira requires a CAPTCHA for this account',
      headline: `Jira locked Basic logins for this account behind a CAPTCHA (HTTP 403${from(e)})`,
      explanation:
        'Too many failed logins (from any tool, not only this one) made Jira demand a CAPTCHA; until it is solved every Basic request fails, even with the right password. The check did not retry.',
      steps: [
        `Log in once in a browser${loginUrl ? ` at ${loginUrl}` : ''} as this account and solve the CAPTCHA, or ask a Jira administrator to reset the failed-login count (User management › the user › Reset failed login count).`,
        `Then switch to a personal access token with Bearer (leave ${p.setting('username')} empty): failed PAT requests never count toward the lockout.`
      ]
    }
  },
  'basic-auth-disabled': ({ response: e }, c, p) => ({
    title: 'Jira has Basic authentication turned off',
    headline: `Jira refused Basic authentication (HTTP 403${from(e)}): "Basic Authentication has been disabled on this instance."`,
    explanation: `Jira 11 turns Basic auth off by default, and administrators of older versions can too${c.serverVersion ? ` (this Jira is ${c.serverVersion})` : ''}. A personal access token or a service account is the way in.`,
    steps: [
      `Create a personal access token for this account (${patPage(c)}), put it in ${p.secretSource('token')} and remove ${p.setting('username')}, so it is sent as Bearer.`,
      `Or, for an automation that should not be a person, use a service account: give its client credentials as ${p.setting('client-id')} and ${p.setting('client-secret')} instead of ${p.setting('token')}.`
    ]
  }),
  forbidden: ({ response: e }) => ({
    title: 'Jira refused the request (HTTP 403)',
    headline: `Jira answered HTTP 403${from(e)}${e.bodyExcerpt ? `: ${e.bodyExcerpt}` : ''}`,
    explanation:
      "A 403 on /myself is not Jira's answer to a bad token (that is 401): something refused this caller outright." +
      (e.seraphLoginReason ? ` X-Seraph-LoginReason: ${e.seraphLoginReason}.` : ''),
    steps: [
      "A firewall, WAF or reverse proxy in front of Jira may block this machine's address or the REST API: ask whoever runs it.",
      'Check that the account is active and allowed to use Jira (application access).'
    ]
  }),
  'login-redirect': ({ response: e }, c, p) => {
    const target = e.location ? safeHost(e.location, c.baseUrl) : undefined
    const moved = e.location ? sameHostBase(e.location, c.baseUrl) : undefined
    return {
      title: 'Jira sent a login page instead of an API answer',
      headline: e.location
        ? `Jira answered with a redirect (HTTP ${e.status}) to ${target ?? 'another page'} instead of the API${from(e)}`
        : `Jira answered with an HTML page (${e.bodyExcerpt ?? 'no title'}) instead of JSON${from(e)}`,
      explanation:
        'Single sign-on or a proxy in front of Jira sends API calls to a login page. The check follows no redirects, so the token was never sent to that page.',
      steps: [
        ...(moved
          ? [`If Jira itself moved, use its new address as ${p.setting('domain')}: ${moved}.`]
          : []),
        `Check that ${p.setting('domain')} is the Jira base URL itself, not a portal or SSO gateway in front of it.`,
        'Ask the Jira administrators to let token-authenticated requests to /rest/ bypass the SSO or proxy login.'
      ]
    }
  },
  'not-found': ({ response: e }, c, p) => notFoundEntry(e, c, p),
  'rate-limited': ({ response: e }, c, p) => ({
    title: 'Jira is rate-limiting this account (HTTP 429)',
    headline: `Jira answered HTTP 429 Too Many Requests${attempts(e)}${from(e)}`,
    explanation:
      (e.attempts ?? 1) > (c.retries ?? 0)
        ? `The check used all its retries (\`${p.assignment('retries', String(c.retries))}\`), waiting as Jira asked, and Jira still refused.`
        : `Jira asked to wait ${e.retryAfterSeconds ?? '?'} s (Retry-After), more than was left of ${p.setting('timeout-seconds')} (${c.timeoutSeconds} s), so the check stopped rather than overrun it.`,
    steps: [
      `Re-run later, or raise ${p.setting('timeout-seconds')} so the check can wait out Retry-After.`,
      'Jira Data Center administrators can exempt this service account (Administration › System › Rate limiting).',
      'Other jobs using the same account share its budget: spread them out.'
    ]
  }),
  'server-error': ({ response: e }, _c, p) => ({
    title: `Jira server error (HTTP ${e.status})`,
    headline: `Jira answered HTTP ${e.status}${attempts(e)}${from(e)}${e.bodyExcerpt ? `: ${e.bodyExcerpt}` : ''}`,
    explanation:
      'This is a fault on the Jira side or in a proxy in front of it, not a problem with the token.',
    steps: [
      `Re-run later; 502, 503 and 504 were retried within ${p.setting('timeout-seconds')} and ${p.setting('retries')}.`,
      'If it persists, tell the Jira administrators: the Jira logs will show the cause.'
    ]
  }),
  timeout: ({ timeout: e }, c, p) => ({
    title: 'Jira did not answer in time',
    headline: timeoutHeadline(e, c),
    steps: [
      ...(e.phase === 'lookup'
        ? ["This machine's DNS resolver did not answer: check its DNS settings (/etc/resolv.conf)."]
        : []),
      ...(e.phase === 'proxy'
        ? [
            'The proxy in `https_proxy` did not open the tunnel in time: check that it is up and can reach Jira.'
          ]
        : []),
      p.networkHint,
      'A firewall that drops (rather than refuses) packets looks like this: check that this machine can reach the host and port.',
      `If Jira is just slow, raise ${p.setting('timeout-seconds')}.`
    ]
  }),
  'dns-error': ({ network: e }, c, p) => ({
    title: 'Jira host name not found',
    headline:
      e.errno === 'EAI_AGAIN'
        ? `The DNS lookup of ${c.host} failed temporarily (EAI_AGAIN)${attempts(e)}`
        : `The host name ${c.host} does not resolve (${e.errno})`,
    steps: [
      `Check the spelling of ${p.setting('domain')}.`,
      `Internal names resolve only inside their network. ${p.networkHint}`
    ]
  }),
  'connection-error': ({ network: e }, c, p) => ({
    title: 'Could not connect to Jira',
    headline: `Connecting to ${c.host} failed (${e.errno}${e.transportMessage ? `: ${e.transportMessage}` : ''})${attempts(e)}`,
    explanation:
      e.errno === 'ECONNREFUSED'
        ? 'Nothing listens on that port, or a firewall actively refused the connection.'
        : e.errno === 'ECONNRESET'
          ? 'The connection was cut mid-way, by the server, a proxy or a firewall.'
          : undefined,
    steps: [`Check the host and port in ${p.setting('domain')}.`, p.networkHint]
  }),
  'tls-error': ({ network: e }, c, p) => tlsEntry(e, c, p),
  'proxy-error': (failure, c, p) => proxyEntry(failure, c, p),
  'unexpected-response': ({ response: e, detail }, _c, p) => ({
    title: 'Unexpected answer from Jira',
    headline: `Jira answered HTTP ${e.status}${from(e)}, but ${detail ?? 'not in a form the check understands'}`,
    explanation: e.bodyExcerpt ? `It began: ${e.bodyExcerpt}` : undefined,
    steps: [
      'Something between here and Jira (a proxy, a maintenance page) may be answering instead of Jira.',
      `If ${p.setting('domain')} is right and Jira works in a browser, please open an issue with this log (the token is masked).`
    ]
  }),
  'identity-mismatch': (e, _c, p) => ({
    title: 'The token belongs to another account',
    headline: `The token belongs to ${e.actual}, not to ${e.expected.join(' or ')}`,
    explanation:
      "The token works, but for the wrong account; a secret rotated with another user's token looks like this.",
    steps: [
      `Create the token while logged in as the expected account, and update ${p.secretSource('token')}.`,
      `If that account is the right one after all, add it to ${p.setting('expected-user')}.`
    ]
  }),
  'missing-permissions': (e, _c, p) => missingPermissionsEntry(e, p),
  'project-not-found': (e, _c, p) => ({
    title: 'Project not found',
    headline: `Project ${e.project} does not exist, or the token's account cannot see it (HTTP ${e.response.status}${from(e.response)})`,
    steps: [
      `Check the key in ${p.setting('project')} (it is the prefix of issue keys, like ABC in ABC-123).`,
      'Jira hides projects an account cannot browse: grant Browse Projects to the account in that project.'
    ]
  }),
  'token-not-found': (e, _c, p) => ({
    title: 'No token with that name',
    headline: `This account has no personal access token named "${e.tokenName}"${
      e.available.length > 0
        ? `; its tokens are: ${e.available.map((name) => `"${name}"`).join(', ')}`
        : '; it has no tokens listed'
    }`,
    steps: [
      `Set ${p.setting('token-name')} to the name shown in ${PAT_PAGE} (it is case-sensitive).`,
      'Jira deletes expired tokens from the list 30 days after they expire.'
    ]
  }),
  'token-expiring': (e, c, p) => ({
    title: 'The token expires soon',
    headline:
      e.daysLeft < 0
        ? `The token${e.tokenName ? ` "${e.tokenName}"` : ''} expired on ${e.expiresAt.slice(0, 10)}`
        : `The token${e.tokenName ? ` "${e.tokenName}"` : ''} expires in ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'}, on ${e.expiresAt.slice(0, 10)}`,
    steps:
      c.authScheme === 'basic'
        ? [
            `Create a new API token now (${CLOUD_TOKEN_PAGE}) and update ${p.secretSource('token')}.`,
            `Set ${p.setting('token-expires-on')} to the new expiry, re-run this check, then revoke the old token.`
          ]
        : [
            `Create a new token now (${patPage(c)} › Create token; 90 days is a good expiry) and update ${p.secretSource('token')}.`,
            'Re-run this check after the rotation, then revoke the old token.'
          ]
  }),
  'token-policy': (e, c, p) => {
    const words = e.findings.map((finding) => describeFinding(finding, c, p))
    return {
      title: 'The token breaks the token policy',
      headline: `${words.length} token hygiene finding${words.length === 1 ? '' : 's'}: ${words.map((w) => w.code).join(', ')}`,
      explanation: `The token works, but ${p.setting('token-policy')} is fail. ${words.map((w) => w.message).join(' ')}`,
      steps: [
        ...fixSteps(words),
        `To accept a finding, add its code to ${p.setting('token-policy-ignore')}; to report without failing, set ${p.assignment('token-policy', 'warn')}.`
      ]
    }
  },
  'internal-error': (e, _c, p) => ({
    title: 'jira-auth-check failed unexpectedly',
    headline: `jira-auth-check hit a bug: ${e.detail}`,
    explanation: 'This is not a problem with the token or Jira.',
    steps: [p.debugHint, 'Please open an issue with the log; the token is masked.']
  })
}

export function diagnose(failure: Failure, context: Context, p: Platform): Diagnosis {
  const entry = catalogue[failure.code] as (
    failure: Failure,
    context: Context,
    p: Platform
  ) => Words
  // A request to the gateway or a token endpoint failed there, not on the site: name that host.
  const url = urlOf(failure)
  let host = context.host
  try {
    if (url) host = new URL(url).hostname
  } catch {
    // Not a URL the check built; keep the site's host.
  }
  return { code: failure.code, ...entry(failure, { ...context, host }, p) }
}

/** token-policy warn: the findings, in one warning; the step still passes. */
export function policyWarning(
  findings: readonly PolicyFinding[],
  context: Context,
  p: Platform
): Diagnosis {
  const words = findings.map((finding) => describeFinding(finding, context, p))
  return {
    code: 'token-policy',
    title: `Token hygiene: ${words.length} finding${words.length === 1 ? '' : 's'}`,
    headline: words.map((w) => w.message).join(' '),
    explanation: `${p.setting('token-policy')} is warn, so ${p.stillPasses}; policy-findings lists the codes.`,
    steps: fixSteps(words)
  }
}

/** One step per finding: its code and its fix. */
function fixSteps(words: readonly FindingText[]): string[] {
  return words.map((w) => `${w.code}: ${w.fix}`)
}

/** The expiry warning (within expiry-warning-days): the token-expiring words, as a warning. */
export function expiryWarning(
  expiry: { daysLeft: number; expiresAt: string; name?: string },
  warningDays: number,
  context: Context,
  p: Platform
): Diagnosis {
  const base = diagnose(
    {
      code: 'token-expiring',
      daysLeft: expiry.daysLeft,
      expiresAt: expiry.expiresAt,
      ...(expiry.name !== undefined && { tokenName: expiry.name })
    },
    context,
    p
  )
  return {
    ...base,
    explanation: `That is within ${p.setting('expiry-warning-days')} (${warningDays}); ${p.stillPasses}.`
  }
}
