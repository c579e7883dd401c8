import type { Context, ErrorCode, Evidence, Failure } from './findings.js'

/** What a user reads about one failure: a title, one line saying what happened, why, and what to do. */
export interface Diagnosis {
  code: ErrorCode
  title: string
  headline: string
  explanation?: string
  steps: string[]
}

type Entry = (evidence: Evidence, context: Context) => Omit<Diagnosis, 'code'>

const PAT_PAGE = 'Jira › your avatar › Profile › Personal Access Tokens'

/** The PAT page itself, so the engineer on call can click straight to it. */
function patPage(context: Context): string {
  return context.baseUrl && !isCloud(context)
    ? `${PAT_PAGE} (${context.baseUrl}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens)`
    : PAT_PAGE
}
const PRIVATE_NETWORK =
  'GitHub-hosted runners reach only the public internet: a Jira on a private network needs a self-hosted runner inside that network.'

function from(evidence: Evidence): string {
  return evidence.url ? ` from ${evidence.url}` : ''
}

function onGet(evidence: Evidence): string {
  return evidence.url ? ` (GET ${evidence.url})` : ''
}

function isCloud(context: Context): boolean {
  return (
    context.deploymentType === 'Cloud' || /\.(atlassian\.net|jira\.com)$/i.test(context.host ?? '')
  )
}

/**
 * A Bearer token that is meant for Jira Cloud: the host is Cloud, or the token has the shape of a
 * Cloud API token and nothing says the server is Data Center.
 */
function cloudTokenAsBearer(context: Context): boolean {
  if (context.authScheme !== 'bearer') return false
  if (isCloud(context)) return true
  return context.tokenShape === 'cloud-api-token' && context.deploymentType !== 'Server'
}

function versionBelow(version: string | undefined, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '')
  if (!match) return false
  const [have, haveMinor] = [Number(match[1]), Number(match[2])]
  return have < major || (have === major && haveMinor < minor)
}

function attempts(evidence: Evidence): string {
  return evidence.attempts && evidence.attempts > 1 ? ` after ${evidence.attempts} attempts` : ''
}

function tokenShapeStep(context: Context): string {
  const length = context.tokenLength ?? 0
  if (context.tokenShape === 'data-center-pat') {
    return `The token sent is ${length} characters and has the shape of a Data Center PAT, so the value itself looks intact.`
  }
  return (
    `The token sent is ${length} characters and does not have the shape of a Data Center PAT (44 characters of base64): ` +
    'check that the secret holds the whole token and nothing else.'
  )
}

function unauthorizedBearer(evidence: Evidence, context: Context): string[] {
  if (cloudTokenAsBearer(context)) return cloudBearerSteps()
  const steps: string[] = []
  if (context.tokenShape === 'cloud-api-token') {
    steps.push(
      `The token starts with ATATT: it is an Atlassian Cloud API token, but this Jira is Data Center/Server${context.serverVersion ? ` ${context.serverVersion}` : ''}. Create a personal access token in this Jira and put it in the secret that feeds \`token\`.`
    )
  }
  if (versionBelow(context.serverVersion, 8, 14)) {
    steps.push(
      `This Jira is ${context.serverVersion}; personal access tokens arrived in 8.14. Upgrade Jira, or use Basic auth with \`username\`.`
    )
  }
  steps.push(
    `Check the token's expiry: ${patPage(context)}.`,
    'If it expired or was revoked, create a new one and update the secret that feeds `token`.',
    tokenShapeStep(context),
    'If the token is current and intact: an administrator may have turned personal access tokens off, or a proxy in front of Jira strips the Authorization header. Both look exactly like this.'
  )
  if (evidence.ausername && evidence.ausername !== 'anonymous') {
    steps.push(
      `Jira named the user "${evidence.ausername}" in X-AUSERNAME, so the account itself may lack access to /myself.`
    )
  }
  return steps
}

/** Jira Cloud takes API tokens only as Basic email:token: every step is about that, none about PATs. */
function cloudBearerSteps(): string[] {
  return [
    'Set `username` to the Atlassian account email (for a service account, its …@serviceaccount.atlassian.com address): with `username` set, the action sends Basic email:token, which is what Jira Cloud expects.',
    'Keep the API token in `token` (id.atlassian.com › Security › API tokens; for a service account, admin.atlassian.com › Directory › Service accounts).',
    'Jira Cloud has no personal access tokens: a Data Center PAT does not work there.'
  ]
}

function unauthorizedBasic(_evidence: Evidence, context: Context): string[] {
  if (isCloud(context)) {
    return [
      'Check that `username` is the Atlassian account email, exactly.',
      'Check that the API token has not expired or been revoked: id.atlassian.com › Security › API tokens. Cloud API tokens expire after at most a year.',
      'Create a new API token and update the secret that feeds `token`.',
      'A scoped API token works only through https://api.atlassian.com/ex/jira/<cloudId>, not the site URL.'
    ]
  }
  const steps = [
    "Every failed Basic login counts toward Jira's CAPTCHA lockout for this account: fix the credentials before re-running."
  ]
  if (context.tokenShape === 'data-center-pat') {
    steps.push(
      'The token has the shape of a Data Center personal access token. PATs are sent as Bearer, not as a Basic password: remove `username`.'
    )
  } else {
    steps.push('Check `username` and the password or token in `token`.')
  }
  steps.push(
    'Prefer a personal access token with Bearer (leave `username` empty); it never counts toward the lockout.'
  )
  return steps
}

const catalogue: Record<ErrorCode, Entry> = {
  'missing-input': (e) => ({
    title: `Missing input: ${e.input}`,
    headline: e.detail ?? `\`${e.input}\` is empty.`,
    steps: []
  }),
  'invalid-input': (e) => ({
    title: `Invalid input: ${e.input}`,
    headline: e.detail ?? `\`${e.input}\` is not valid.`,
    steps: e.suggestion ? [`Did you mean \`${e.input}: ${e.suggestion}\`?`] : []
  }),
  unauthorized: (e, c) =>
    cloudTokenAsBearer(c)
      ? {
          title: 'Jira Cloud does not take a token as Bearer (HTTP 401)',
          headline: `Jira Cloud did not accept the token as Bearer (HTTP 401${from(e)})`,
          explanation:
            'Jira Cloud accepts an API token only with the account email, as Basic email:token; `username` is empty, so the token went as Bearer.',
          steps: cloudBearerSteps()
        }
      : {
          title: 'Jira rejected the token (HTTP 401)',
          headline: `Jira did not accept the token (HTTP 401${from(e)})`,
          explanation:
            c.authScheme === 'basic'
              ? `Jira did not accept \`username\` with \`token\`${e.seraphLoginReason ? ` (X-Seraph-LoginReason: ${e.seraphLoginReason})` : ''}.`
              : 'Jira Data Center answers an expired, revoked or mistyped token the same way, as an anonymous request' +
                (e.ausername === 'anonymous' ? ' (X-AUSERNAME: anonymous).' : '.'),
          steps: c.authScheme === 'basic' ? unauthorizedBasic(e, c) : unauthorizedBearer(e, c)
        },
  'captcha-required': (e) => {
    const loginUrl = /login-url=(\S+)/.exec(e.deniedReason ?? '')?.[1]
    return {
      title: 'Jira requires a CAPTCHA for this account',
      headline: `Jira locked Basic logins for this account behind a CAPTCHA (HTTP 403${from(e)})`,
      explanation:
        'Too many failed logins (from any tool, not only this one) made Jira demand a CAPTCHA; until it is solved every Basic request fails, even with the right password. The action did not retry.',
      steps: [
        `Log in once in a browser${loginUrl ? ` at ${loginUrl}` : ''} as this account and solve the CAPTCHA, or ask a Jira administrator to reset the failed-login count (User management › the user › Reset failed login count).`,
        'Then switch to a personal access token with Bearer (leave `username` empty): failed PAT requests never count toward the lockout.'
      ]
    }
  },
  'basic-auth-disabled': (e) => ({
    title: 'Jira has Basic authentication turned off',
    headline: `Jira refused Basic authentication (HTTP 403${from(e)}): "Basic Authentication has been disabled on this instance."`,
    explanation:
      'Administrators can turn Basic auth off for REST (Jira 11 does so by default); personal access tokens still work.',
    steps: [
      `Create a personal access token for this account (${PAT_PAGE}).`,
      'Put it in the secret that feeds `token` and remove `username`, so it is sent as Bearer.'
    ]
  }),
  forbidden: (e) => ({
    title: 'Jira refused the request (HTTP 403)',
    headline: `Jira answered HTTP 403${from(e)}${e.bodyExcerpt ? `: ${e.bodyExcerpt}` : ''}`,
    explanation:
      "A 403 on /myself is not Jira's answer to a bad token (that is 401): something refused this caller outright." +
      (e.seraphLoginReason ? ` X-Seraph-LoginReason: ${e.seraphLoginReason}.` : ''),
    steps: [
      "A firewall, WAF or reverse proxy in front of Jira may block the runner's address or the REST API: ask whoever runs it.",
      'Check that the account is active and allowed to use Jira (application access).'
    ]
  }),
  'login-redirect': (e, c) => {
    const target = e.location ? safeHost(e.location, c.baseUrl) : undefined
    return {
      title: 'Jira sent a login page instead of an API answer',
      headline: e.location
        ? `Jira answered with a redirect (HTTP ${e.status}) to ${target ?? 'another page'} instead of the API${from(e)}`
        : `Jira answered with an HTML page (${e.bodyExcerpt ?? 'no title'}) instead of JSON${from(e)}`,
      explanation:
        'Single sign-on or a proxy in front of Jira sends API calls to a login page. The action follows no redirects, so the token was never sent to that page.',
      steps: [
        ...(e.location && sameHostBase(e.location, c.baseUrl)
          ? [
              `If Jira itself moved, use its new address as \`domain\`: ${sameHostBase(e.location, c.baseUrl)}.`
            ]
          : []),
        'Check that `domain` is the Jira base URL itself, not a portal or SSO gateway in front of it.',
        'Ask the Jira administrators to let token-authenticated requests to /rest/ bypass the SSO or proxy login.'
      ]
    }
  },
  'not-found': (e, c) => notFoundEntry(e, c),
  'rate-limited': (e, c) => ({
    title: 'Jira is rate-limiting this account (HTTP 429)',
    headline: `Jira answered HTTP 429 Too Many Requests${attempts(e)}${from(e)}`,
    explanation:
      (e.attempts ?? 1) > (c.retries ?? 0)
        ? `The action used all its retries (\`retries: ${c.retries}\`), waiting as Jira asked, and Jira still refused.`
        : `Jira asked to wait ${e.retryAfterSeconds ?? '?'} s (Retry-After), more than was left of \`timeout-seconds\` (${c.timeoutSeconds} s), so the action stopped rather than overrun it.`,
    steps: [
      'Re-run later, or raise `timeout-seconds` so the action can wait out Retry-After.',
      'Jira Data Center administrators can exempt this service account (Administration › System › Rate limiting).',
      'Other jobs using the same account share its budget: spread them out.'
    ]
  }),
  'server-error': (e) => ({
    title: `Jira server error (HTTP ${e.status ?? '5xx'})`,
    headline: `Jira answered HTTP ${e.status}${attempts(e)}${from(e)}${e.bodyExcerpt ? `: ${e.bodyExcerpt}` : ''}`,
    explanation:
      'This is a fault on the Jira side or in a proxy in front of it, not a problem with the token.',
    steps: [
      'Re-run later; 502, 503 and 504 were retried within `timeout-seconds` and `retries`.',
      'If it persists, tell the Jira administrators: the Jira logs will show the cause.'
    ]
  }),
  timeout: (e, c) => ({
    title: 'Jira did not answer in time',
    headline: timeoutHeadline(e, c),
    steps: [
      ...(e.timeoutPhase === 'lookup'
        ? [
            "The runner's DNS resolver did not answer: check its DNS settings (/etc/resolv.conf on a self-hosted runner)."
          ]
        : []),
      ...(e.timeoutPhase === 'proxy'
        ? [
            'The proxy in `https_proxy` did not open the tunnel in time: check that it is up and can reach Jira.'
          ]
        : []),
      PRIVATE_NETWORK,
      'A firewall that drops (rather than refuses) packets looks like this: check that the runner can reach the host and port.',
      'If Jira is just slow, raise `timeout-seconds`.'
    ]
  }),
  'dns-error': (e, c) => ({
    title: 'Jira host name not found',
    headline:
      e.errno === 'EAI_AGAIN'
        ? `The DNS lookup of ${c.host} failed temporarily (EAI_AGAIN)${attempts(e)}`
        : `The host name ${c.host} does not resolve (${e.errno ?? 'ENOTFOUND'})`,
    steps: [
      'Check the spelling of `domain`.',
      `Internal names resolve only inside their network. ${PRIVATE_NETWORK}`
    ]
  }),
  'connection-error': (e, c) => ({
    title: 'Could not connect to Jira',
    headline: `Connecting to ${c.host} failed (${e.errno}${e.transportMessage ? `: ${e.transportMessage}` : ''})${attempts(e)}`,
    explanation:
      e.errno === 'ECONNREFUSED'
        ? 'Nothing listens on that port, or a firewall actively refused the connection.'
        : e.errno === 'ECONNRESET'
          ? 'The connection was cut mid-way, by the server, a proxy or a firewall.'
          : undefined,
    steps: ['Check the host and port in `domain`.', PRIVATE_NETWORK]
  }),
  'tls-error': (e, c) => tlsEntry(e, c),
  'proxy-error': (e, c) => proxyEntry(e, c),
  'unexpected-response': (e) => ({
    title: 'Unexpected answer from Jira',
    headline: `Jira answered HTTP ${e.status ?? '?'}${from(e)}, but ${e.detail ?? 'not in a form the action understands'}`,
    explanation: e.bodyExcerpt ? `It began: ${e.bodyExcerpt}` : undefined,
    steps: [
      'Something between the runner and Jira (a proxy, a maintenance page) may be answering instead of Jira.',
      'If `domain` is right and Jira works in a browser, please open an issue with this log (the token is masked).'
    ]
  }),
  'identity-mismatch': (e) => ({
    title: 'The token belongs to another account',
    headline: `The token belongs to ${e.actualIdentity}, not to ${(e.expected ?? []).join(' or ')}`,
    explanation:
      "The token works, but for the wrong account; a secret rotated with another user's token looks like this.",
    steps: [
      'Create the token while logged in as the expected account, and update the secret that feeds `token`.',
      'If that account is the right one after all, add it to `expected-user`.'
    ]
  }),
  'missing-permissions': (e) => {
    const where = e.project ? ` in project ${e.project}` : ''
    const missing = e.missingPermissions ?? []
    const unknown = e.unknownPermissions ?? []
    return {
      title: 'The token lacks required permissions',
      headline: [
        missing.length > 0 ? `The token's account lacks ${missing.join(', ')}${where}` : '',
        unknown.length > 0
          ? `Jira does not know the permission key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`
          : ''
      ]
        .filter(Boolean)
        .join('; '),
      explanation:
        "A personal access token carries exactly its account's permissions; it has no scopes of its own.",
      steps: [
        ...(missing.length > 0
          ? [
              `Grant ${missing.join(', ')} to the account${where} (the project's permission scheme, through a group or project role it belongs to).`
            ]
          : []),
        ...(unknown.length > 0
          ? [
              'Check the spelling of `required-permissions`: keys look like BROWSE_PROJECTS or TRANSITION_ISSUES.'
            ]
          : [])
      ]
    }
  },
  'project-not-found': (e) => ({
    title: 'Project not found',
    headline: `Project ${e.project} does not exist, or the token's account cannot see it (HTTP ${e.status ?? 404}${from(e)})`,
    steps: [
      'Check the key in `project` (it is the prefix of issue keys, like ABC in ABC-123).',
      'Jira hides projects an account cannot browse: grant Browse Projects to the account in that project.'
    ]
  }),
  'token-not-found': (e) => ({
    title: 'No token with that name',
    headline: `This account has no personal access token named "${e.tokenName}"${
      e.availableTokenNames && e.availableTokenNames.length > 0
        ? `; its tokens are: ${e.availableTokenNames.map((name) => `"${name}"`).join(', ')}`
        : '; it has no tokens listed'
    }`,
    steps: [
      `Set \`token-name\` to the name shown in ${PAT_PAGE} (it is case-sensitive).`,
      'Jira deletes expired tokens from the list 30 days after they expire.'
    ]
  }),
  'token-expiring': (e, c) => ({
    title: 'The token expires soon',
    headline:
      e.daysLeft !== undefined && e.daysLeft < 0
        ? `The token${e.tokenName ? ` "${e.tokenName}"` : ''} expired on ${e.expiresAt?.slice(0, 10)}`
        : `The token${e.tokenName ? ` "${e.tokenName}"` : ''} expires in ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'}, on ${e.expiresAt?.slice(0, 10)}`,
    steps:
      c.authScheme === 'basic'
        ? [
            'Create a new API token now (id.atlassian.com › Security › API tokens) and update the secret that feeds `token`.',
            'Set `token-expires-on` to the new expiry, re-run this check, then revoke the old token.'
          ]
        : [
            `Create a new token now (${patPage(c)} › Create token; 90 days is a good expiry) and update the secret that feeds \`token\`.`,
            'Re-run this check after the rotation, then revoke the old token.'
          ]
  }),
  'internal-error': (e) => ({
    title: 'jira-auth-check failed unexpectedly',
    headline: `jira-auth-check hit a bug: ${e.detail ?? 'unknown error'}`,
    explanation: 'This is not a problem with the token or Jira.',
    steps: [
      'Re-run with debug logging (re-run jobs › Enable debug logging) to see the stack trace.',
      'Please open an issue with the log; the token is masked.'
    ]
  })
}

const PHASE_TEXT = {
  lookup: 'the DNS lookup of',
  connect: 'the TCP connection to',
  proxy: 'the proxy tunnel to',
  tls: 'the TLS handshake with',
  headers: 'an answer from'
} as const

function timeoutHeadline(e: Evidence, c: Context): string {
  if (e.timeoutPhase === 'body') {
    return `Jira sent a response (HTTP ${e.status}) but the body stalled until the ${c.timeoutSeconds} s deadline${onGet(e)}`
  }
  const phase = PHASE_TEXT[e.timeoutPhase ?? 'headers']
  return `No answer within ${c.timeoutSeconds} s: ${phase} ${c.host ?? 'Jira'} did not finish${onGet(e)}`
}

const PROXY_CREDENTIALS_STEP =
  'A 407 means the proxy wants credentials: put them in the proxy URL, http://user:password@proxy:port, percent-encoding special characters (@ as %40, % as %25).'

function proxyEntry(e: Evidence, c: Context): Omit<Diagnosis, 'code'> {
  const bypass = 'If Jira should be reached directly, add its host to `no_proxy`.'
  if (e.proxyVariable) {
    return {
      title: 'The proxy setting cannot be used',
      headline: `\`${e.proxyVariable}\` is set for ${c.host ?? 'Jira'}, but ${e.detail ?? 'it cannot be used'}; nothing was sent`,
      explanation:
        'The action does not fall back to a direct connection: a proxy that is set but unreadable usually means the network needs it.',
      steps: [
        `Fix \`${e.proxyVariable}\` in the runner environment: it should look like http://proxy.example.com:3128, or http://user:password@proxy.example.com:3128.`,
        bypass
      ]
    }
  }
  if (e.status === 407) {
    return {
      title: 'A proxy in front of Jira wants credentials (HTTP 407)',
      headline: `A proxy answered for Jira with HTTP 407 Proxy Authentication Required${from(e)}${e.proxyAuthenticate ? ` (Proxy-Authenticate: ${e.proxyAuthenticate})` : ''}`,
      explanation:
        'Jira itself never answers 407: a transparent proxy between the runner and Jira intercepted the request.',
      steps: [
        'Set `https_proxy` to that proxy with its credentials, so the action authenticates to it: http://user:password@proxy:port.',
        PROXY_CREDENTIALS_STEP
      ]
    }
  }
  if (e.proxyStatus !== undefined) {
    return {
      title: 'The HTTPS proxy refused the tunnel',
      headline: `The proxy ${c.proxy ?? ''} refused the tunnel to ${c.host} with HTTP ${e.proxyStatus}`,
      steps: [
        ...(e.proxyStatus === 407 ? [PROXY_CREDENTIALS_STEP] : []),
        'Check `https_proxy`/`HTTPS_PROXY` in the runner environment, and that the proxy allows CONNECT to the Jira host and port.',
        bypass
      ]
    }
  }
  return {
    title: 'The HTTPS proxy failed',
    headline: `Could not reach the proxy ${c.proxy ?? ''} (${e.errno}: ${e.transportMessage ?? ''})`,
    steps: ['Check `https_proxy`/`HTTPS_PROXY` in the runner environment.', bypass]
  }
}

function notFoundEntry(e: Evidence, c: Context): Omit<Diagnosis, 'code'> {
  const origin = c.origin ?? `https://${c.host ?? 'jira.example.com'}`
  // A real Cloud 404 on a wrong path still names the user and says the login was OK.
  const loggedIn =
    /^OK$/i.test(e.seraphLoginReason ?? '') || (!!e.ausername && e.ausername !== 'anonymous')
  const credentialsWorked = loggedIn
    ? ` The credentials worked (${e.ausername && e.ausername !== 'anonymous' ? `Jira named the user "${e.ausername}"` : 'X-Seraph-LoginReason: OK'}): only the path is wrong.`
    : ''
  const webServer = /html/i.test(e.contentType ?? '')
    ? `A web server answered${e.bodyExcerpt ? ` ("${e.bodyExcerpt}")` : ''}, but not Jira's REST API.`
    : ''
  const explanation = `${webServer}${credentialsWorked}`.trim() || undefined
  let steps: string[]
  if (isCloud(c)) {
    steps = [
      `Jira Cloud has no context path: set \`domain\` to the site itself, ${origin}.`,
      'Check the site name in a browser: it is the address you log in to, e.g. https://your-site.atlassian.net.'
    ]
  } else if (c.contextPath) {
    steps = [
      `\`domain\` already has the context path "${c.contextPath}": check that it is Jira's (the path you see in the browser before /secure/ or /browse/), or try ${origin} if Jira lives at the root.`,
      'Open `domain` in a browser: it should show Jira; the REST API is below it at /rest/api/2/.'
    ]
  } else {
    steps = [
      `If Jira lives under a context path, include it in \`domain\`: e.g. ${origin}/jira rather than ${origin}.`,
      'Open `domain` in a browser: it should show Jira; the REST API is below it at /rest/api/2/.'
    ]
  }
  return {
    title: 'Jira REST API not found (HTTP 404)',
    headline: `Nothing answers at ${e.url ?? 'the API URL'} (HTTP 404)`,
    explanation,
    steps
  }
}

function tlsEntry(e: Evidence, c: Context): Omit<Diagnosis, 'code'> {
  const errno = e.errno ?? ''
  const trustSteps = [
    "If the certificate comes from a private CA, give Node that CA: set `NODE_EXTRA_CA_CERTS` to the path of its PEM file in the step's `env:`, or on a self-hosted runner that trusts the CA system-wide set `NODE_USE_SYSTEM_CA: 1`.",
    'Do not turn certificate verification off: the token would go to whoever answers.'
  ]
  if (errno === 'CERT_HAS_EXPIRED' || errno === 'CERT_NOT_YET_VALID') {
    return {
      title: "Jira's TLS certificate has expired",
      headline: `The TLS certificate of ${c.host} is ${errno === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'} (${errno})`,
      steps: [
        'Ask the Jira administrators to renew the certificate.',
        "Check the runner's clock if the certificate should be valid."
      ]
    }
  }
  if (errno === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      title: "Jira's TLS certificate is for another host name",
      headline: `The TLS certificate presented by ${c.host} is not valid for that name (${errno})`,
      explanation: e.transportMessage,
      steps: [
        'Use the host name the certificate was issued for in `domain` (often the public name, not an IP or an internal alias).'
      ]
    }
  }
  if (errno === 'EPROTO' || errno.startsWith('ERR_SSL')) {
    return {
      title: 'TLS handshake with Jira failed',
      headline: `The TLS handshake with ${c.host} failed (${errno}: ${e.transportMessage ?? ''})`,
      steps: ['Check that the port in `domain` serves HTTPS; a plain-HTTP port fails like this.']
    }
  }
  return {
    title: "Jira's TLS certificate is not trusted",
    headline: `The TLS certificate of ${c.host} is signed by a CA this runner does not trust (${errno})`,
    steps: trustSteps
  }
}

function safeHost(location: string, baseUrl: string | undefined): string | undefined {
  try {
    return new URL(location, baseUrl).host
  } catch {
    return undefined
  }
}

/** For a redirect that stays on Jira's host (http→https, a moved context path), the base to use. */
function sameHostBase(location: string, baseUrl: string | undefined): string | undefined {
  try {
    const target = new URL(location, baseUrl)
    const base = new URL(baseUrl ?? '')
    if (target.hostname !== base.hostname) return undefined
    const rest = target.pathname.search(/\/rest\//)
    if (rest < 0) return undefined
    return `${target.protocol}//${target.host}${target.pathname.slice(0, rest)}`
  } catch {
    return undefined
  }
}

export function diagnose(failure: Failure, context: Context): Diagnosis {
  return { code: failure.code, ...catalogue[failure.code](failure.evidence, context) }
}

/** The annotation text: headline, explanation, numbered steps, and the docs link. */
export function formatDiagnosis(diagnosis: Diagnosis, docsUrl: string): string {
  const lines = [diagnosis.headline]
  if (diagnosis.explanation) lines.push(diagnosis.explanation)
  if (diagnosis.steps.length > 0) {
    lines.push('What to do:')
    diagnosis.steps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`))
  }
  lines.push(`More: ${docsUrl}#${diagnosis.code}`)
  return lines.join('\n')
}
