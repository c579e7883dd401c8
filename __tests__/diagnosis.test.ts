import { describe, it, expect } from '@jest/globals'
import { diagnose, formatDiagnosis, type Diagnosis } from '../src/diagnosis.js'
import {
  ERROR_CODES,
  tokenShape,
  type Context,
  type ErrorCode,
  type Evidence
} from '../src/findings.js'

const DOCS = 'https://github.com/o/r/blob/v1/docs/troubleshooting.md'
const DC: Context = {
  baseUrl: 'https://jira.example.com',
  host: 'jira.example.com',
  authScheme: 'bearer',
  tokenLength: 44,
  tokenShape: 'data-center-pat',
  deploymentType: 'Server',
  serverVersion: '9.12.2',
  timeoutSeconds: 30,
  retries: 2
}
const URL_MYSELF = 'https://jira.example.com/rest/api/2/myself'

/** Everything a user reads, in one string. */
function text(d: Diagnosis): string {
  return [d.title, d.headline, d.explanation ?? '', ...d.steps].join('\n')
}

const d = (code: ErrorCode, evidence: Evidence = {}, context: Context = DC): Diagnosis =>
  diagnose({ code, evidence }, context)

/** What each failure carries when the check really produces it. */
const REALISTIC: Record<ErrorCode, Evidence> = {
  'missing-input': { input: 'token', detail: '`token` is empty.' },
  'invalid-input': {
    input: 'domain',
    detail: '`domain` is bad.',
    suggestion: 'https://jira.example.com'
  },
  unauthorized: { url: URL_MYSELF, status: 401, ausername: 'anonymous', attempts: 1 },
  'captcha-required': {
    url: URL_MYSELF,
    status: 403,
    deniedReason: 'CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp'
  },
  'basic-auth-disabled': { url: URL_MYSELF, status: 403 },
  forbidden: { url: URL_MYSELF, status: 403, bodyExcerpt: 'Forbidden' },
  'login-redirect': { url: URL_MYSELF, status: 302, location: 'https://sso.example.net/login' },
  'not-found': { url: URL_MYSELF, status: 404, contentType: 'text/html', bodyExcerpt: 'Not Found' },
  'rate-limited': { url: URL_MYSELF, status: 429, retryAfterSeconds: 60, attempts: 1 },
  'server-error': { url: URL_MYSELF, status: 503, attempts: 3 },
  timeout: { url: URL_MYSELF, timeoutPhase: 'headers', attempts: 1 },
  'dns-error': {
    url: URL_MYSELF,
    errno: 'ENOTFOUND',
    transportMessage: 'getaddrinfo ENOTFOUND jira.example.com'
  },
  'connection-error': {
    url: URL_MYSELF,
    errno: 'ECONNREFUSED',
    transportMessage: 'connect ECONNREFUSED 10.0.0.1:443',
    attempts: 3
  },
  'tls-error': {
    url: URL_MYSELF,
    errno: 'SELF_SIGNED_CERT_IN_CHAIN',
    transportMessage: 'self-signed certificate in certificate chain'
  },
  'proxy-error': {
    url: URL_MYSELF,
    errno: 'PROXY_STATUS_407',
    transportMessage: 'the proxy answered CONNECT with HTTP 407'
  },
  'unexpected-response': {
    url: URL_MYSELF,
    status: 200,
    detail: 'the body was not valid JSON',
    bodyExcerpt: 'oops'
  },
  'identity-mismatch': { actualIdentity: 'Bob (bob)', expected: ['alice'] },
  'missing-permissions': {
    project: 'ABC',
    missingPermissions: ['CREATE_ISSUES'],
    unknownPermissions: []
  },
  'project-not-found': { url: URL_MYSELF, status: 404, project: 'ABC' },
  'token-not-found': { tokenName: 'ci', availableTokenNames: ['laptop'] },
  'token-expiring': { daysLeft: 3, expiresAt: '2026-05-04T00:00:00.000Z', tokenName: 'ci' },
  'internal-error': { detail: 'boom' }
}

describe('every error code', () => {
  it.each(ERROR_CODES.map((code) => [code]))(
    '%s has a title, a headline and a docs anchor',
    (code) => {
      const diagnosis = diagnose(
        { code, evidence: REALISTIC[code] },
        { ...DC, proxy: 'http://proxy:3128' }
      )
      expect(diagnosis.code).toBe(code)
      expect(diagnosis.title.trim().length).toBeGreaterThan(0)
      expect(diagnosis.headline.trim().length).toBeGreaterThan(0)
      expect(text(diagnosis)).not.toMatch(/undefined|\[object Object\]|NaN/)
      const formatted = formatDiagnosis(diagnosis, DOCS)
      expect(formatted.endsWith(`#${code}`)).toBe(true)
      expect(formatted.split('\n').at(-1)).toBe(`More: ${DOCS}#${code}`)
    }
  )

  it.each(ERROR_CODES.map((code) => [code]))('%s survives empty evidence and context', (code) => {
    const diagnosis = diagnose({ code, evidence: {} }, {})
    expect(diagnosis.title.trim().length).toBeGreaterThan(0)
    expect(formatDiagnosis(diagnosis, DOCS).endsWith(`#${code}`)).toBe(true)
  })
})

describe('formatDiagnosis', () => {
  it('puts the headline first, then the explanation, then numbered steps, then the link', () => {
    const formatted = formatDiagnosis(
      { code: 'timeout', title: 'T', headline: 'H', explanation: 'E', steps: ['one', 'two'] },
      DOCS
    )
    expect(formatted).toBe(
      ['H', 'E', 'What to do:', '  1. one', '  2. two', `More: ${DOCS}#timeout`].join('\n')
    )
  })

  it('leaves out empty parts', () => {
    expect(formatDiagnosis({ code: 'forbidden', title: 'T', headline: 'H', steps: [] }, DOCS)).toBe(
      `H\nMore: ${DOCS}#forbidden`
    )
  })
})

describe('unauthorized', () => {
  it('Bearer on Data Center: expired or revoked, the PAT page, the token length and shape', () => {
    const all = text(d('unauthorized', { url: URL_MYSELF, status: 401, ausername: 'anonymous' }))
    expect(all).toContain('HTTP 401')
    expect(all).toContain(URL_MYSELF)
    expect(all).toMatch(/expired/)
    expect(all).toMatch(/revoked/)
    expect(all).toContain('Personal Access Tokens')
    expect(all).toContain('44 characters')
    expect(all).toContain('shape of a Data Center PAT')
    expect(all).toContain('X-AUSERNAME: anonymous')
    expect(all).not.toMatch(/set `username`/)
  })

  it('says when the token does not look like a PAT', () => {
    const all = text(d('unauthorized', {}, { ...DC, tokenLength: 45, tokenShape: 'other' }))
    expect(all).toContain('45 characters')
    expect(all).toContain('does not have the shape of a Data Center PAT')
  })

  it('Bearer against Cloud says to set username', () => {
    const all = text(
      d('unauthorized', {}, { ...DC, deploymentType: 'Cloud', serverVersion: '1001.0.0' })
    )
    expect(all).toContain('Jira Cloud')
    expect(all).toContain('Set `username`')
  })

  it('recognises Cloud by an atlassian.net host', () => {
    const all = text(
      d('unauthorized', {}, { ...DC, host: 'acme.atlassian.net', deploymentType: undefined })
    )
    expect(all).toContain('Set `username`')
  })

  it('recognises an ATATT token sent as Bearer to Data Center', () => {
    const shape = tokenShape('ATATT3xFfGF0' + 'a'.repeat(180))
    expect(shape).toBe('cloud-api-token')
    const all = text(d('unauthorized', {}, { ...DC, tokenShape: shape, tokenLength: 192 }))
    expect(all).toContain('ATATT')
    expect(all).toContain('Atlassian Cloud API token')
  })

  it('says PATs arrived in 8.14 on a server older than that', () => {
    const all = text(d('unauthorized', {}, { ...DC, serverVersion: '8.5.3' }))
    expect(all).toContain('8.5.3')
    expect(all).toContain('8.14')
  })

  it.each(['8.14.0', '9.12.2', '10.3.1'])('does not mention 8.14 for %s', (serverVersion) => {
    expect(text(d('unauthorized', {}, { ...DC, serverVersion }))).not.toContain('8.14')
  })

  it('names a user Jira did recognise', () => {
    expect(text(d('unauthorized', { ausername: 'ci-bot' }))).toContain('"ci-bot"')
  })

  it('Basic on Data Center warns about the CAPTCHA lockout and suggests Bearer for a PAT', () => {
    const all = text(
      d(
        'unauthorized',
        { seraphLoginReason: 'AUTHENTICATED_FAILED' },
        { ...DC, authScheme: 'basic', tokenShape: 'data-center-pat' }
      )
    )
    expect(all).toContain('X-Seraph-LoginReason: AUTHENTICATED_FAILED')
    expect(all).toContain('CAPTCHA')
    expect(all).toContain('remove `username`')
  })

  it('Basic on Cloud points at the API token page', () => {
    const all = text(
      d(
        'unauthorized',
        {},
        { ...DC, authScheme: 'basic', deploymentType: 'Cloud', tokenShape: 'cloud-api-token' }
      )
    )
    expect(all).toContain('id.atlassian.com')
    expect(all).toContain('account email')
  })
})

describe('tokenShape', () => {
  it.each([
    ['NjE0MjU2ODk3MDEyOkRkR2hzdVZ0T3FyY0lZRGNpa3pZ', 'data-center-pat'],
    ['ATATT3xFfGF0abc', 'cloud-api-token'],
    ['NjE0MjU2ODk3MDEyOkRkR2hzdVZ0T3FyY0lZRGNpa3p', 'other'],
    ['hunter2', 'other']
  ] as const)('%s → %s', (token, shape) => {
    expect(tokenShape(token)).toBe(shape)
  })

  it('accepts real PATs: base64 of 12 digits, a colon and 20 bytes', () => {
    for (let seed = 0; seed < 50; seed++) {
      const id = String(100000000000 + seed * 7919).slice(0, 12)
      const secret = Buffer.from(Array.from({ length: 20 }, (_, i) => (seed * 31 + i * 17) % 256))
      const token = Buffer.concat([Buffer.from(`${id}:`), secret]).toString('base64')
      expect(token).toHaveLength(44)
      expect(tokenShape(token)).toBe('data-center-pat')
    }
  })
})

describe('captcha-required', () => {
  it('includes the login URL from the denied-reason header', () => {
    const all = text(
      d('captcha-required', {
        status: 403,
        deniedReason: 'CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp'
      })
    )
    expect(all).toContain('at https://jira.example.com/login.jsp')
    expect(all).toContain('CAPTCHA')
  })
})

describe('tls-error', () => {
  const tls = (errno: string): string =>
    text(d('tls-error', { errno, transportMessage: `${errno} message` }))
  const forbidden = (all: string): void => {
    expect(all).not.toContain('NODE_TLS_REJECT_UNAUTHORIZED')
    expect(all).not.toMatch(/rejectUnauthorized/i)
    expect(all).not.toMatch(/--insecure|-k\b/)
  }

  it('differs for expired, wrong-name and untrusted certificates', () => {
    const expired = d('tls-error', { errno: 'CERT_HAS_EXPIRED' })
    const altname = d('tls-error', { errno: 'ERR_TLS_CERT_ALTNAME_INVALID' })
    const untrusted = d('tls-error', { errno: 'SELF_SIGNED_CERT_IN_CHAIN' })
    expect(new Set([expired.title, altname.title, untrusted.title]).size).toBe(3)
    expect(new Set([expired.headline, altname.headline, untrusted.headline]).size).toBe(3)
    expect(text(expired)).toMatch(/expired/)
    expect(text(expired)).toMatch(/renew/)
    expect(text(altname)).toMatch(/host name/)
    expect(text(untrusted)).toContain('NODE_EXTRA_CA_CERTS')
  })

  it.each([
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'EPROTO',
    'ERR_SSL_WRONG_VERSION_NUMBER'
  ])('%s names the host and errno and never suggests turning verification off', (errno) => {
    const all = tls(errno)
    expect(all).toContain('jira.example.com')
    expect(all).toContain(errno)
    forbidden(all)
  })

  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  ])('%s mentions NODE_EXTRA_CA_CERTS', (errno) => {
    expect(tls(errno)).toContain('NODE_EXTRA_CA_CERTS')
  })

  it('says a wrong-protocol port for EPROTO', () => {
    expect(tls('EPROTO')).toMatch(/serves HTTPS/)
  })

  it('the expired case says "not yet valid" for CERT_NOT_YET_VALID', () => {
    expect(tls('CERT_NOT_YET_VALID')).toContain('not yet valid')
  })
})

describe('network failures mention self-hosted runners', () => {
  it.each([
    ['timeout', { timeoutPhase: 'headers' }],
    ['dns-error', { errno: 'ENOTFOUND' }],
    ['dns-error', { errno: 'EAI_AGAIN', attempts: 3 }],
    ['connection-error', { errno: 'ECONNREFUSED' }],
    ['connection-error', { errno: 'ETIMEDOUT' }]
  ] as [ErrorCode, Evidence][])('%s %j', (code, evidence) => {
    const all = text(d(code, evidence))
    expect(all).toContain('self-hosted runner')
    expect(all).toContain('jira.example.com')
  })

  it('timeout in the body phase mentions self-hosted runners', () => {
    expect(text(d('timeout', { timeoutPhase: 'body', status: 200 }))).toContain(
      'self-hosted runner'
    )
  })

  it('timeout says which phase and the deadline', () => {
    expect(d('timeout', { timeoutPhase: 'headers' }).headline).toBe(
      'No answer within 30 s: an answer from jira.example.com did not finish'
    )
    expect(d('timeout', { timeoutPhase: 'headers', url: URL_MYSELF }).headline).toBe(
      `No answer within 30 s: an answer from jira.example.com did not finish (GET ${URL_MYSELF})`
    )
    expect(d('timeout', { timeoutPhase: 'lookup' }).headline).toBe(
      'No answer within 30 s: the DNS lookup of jira.example.com did not finish'
    )
    expect(text(d('timeout', { timeoutPhase: 'lookup' }))).toContain('DNS resolver')
    expect(d('timeout', { timeoutPhase: 'tls' }).headline).toContain('the TLS handshake with')
    expect(d('timeout', { timeoutPhase: 'body', status: 200 }).headline).toContain(
      'HTTP 200) but the body stalled'
    )
  })

  it('dns-error tells ENOTFOUND from EAI_AGAIN', () => {
    expect(d('dns-error', { errno: 'ENOTFOUND' }).headline).toContain(
      'does not resolve (ENOTFOUND)'
    )
    expect(d('dns-error', { errno: 'EAI_AGAIN', attempts: 3 }).headline).toContain(
      'temporarily (EAI_AGAIN) after 3 attempts'
    )
  })

  it('connection-error explains refused and reset', () => {
    expect(d('connection-error', { errno: 'ECONNREFUSED' }).explanation).toContain(
      'Nothing listens'
    )
    expect(d('connection-error', { errno: 'ECONNRESET' }).explanation).toContain('cut mid-way')
  })
})

describe('login-redirect', () => {
  it('names the redirect host and never calls it Jira moving', () => {
    const diagnosis = d('login-redirect', {
      url: URL_MYSELF,
      status: 302,
      location: 'https://sso.corp.example.net/adfs/ls/?SAMLRequest=abc'
    })
    expect(diagnosis.headline).toContain('sso.corp.example.net')
    expect(diagnosis.headline).toContain('HTTP 302')
    expect(diagnosis.headline).not.toContain('SAMLRequest')
    expect(text(diagnosis)).not.toContain('new address')
  })

  it('resolves a relative Location against the base', () => {
    const diagnosis = d('login-redirect', { status: 302, location: '/login.jsp?os_destination=x' })
    expect(diagnosis.headline).toContain('to jira.example.com')
  })

  it('suggests the new base when Jira moved on the same host', () => {
    const diagnosis = d('login-redirect', {
      status: 301,
      location: 'https://jira.example.com/jira/rest/api/2/myself'
    })
    expect(text(diagnosis)).toContain(
      'use its new address as `domain`: https://jira.example.com/jira.'
    )
  })

  it('describes a 200 HTML page', () => {
    expect(d('login-redirect', { status: 200, bodyExcerpt: 'Log in - Okta' }).headline).toContain(
      'HTML page (Log in - Okta)'
    )
  })
})

describe('other entries', () => {
  it('missing-input and invalid-input use the detail and the suggestion', () => {
    expect(d('missing-input', { input: 'token', detail: 'empty!' })).toMatchObject({
      title: 'Missing input: token',
      headline: 'empty!'
    })
    const invalid = d('invalid-input', {
      input: 'domain',
      detail: 'bad',
      suggestion: 'https://jira.example.com'
    })
    expect(invalid.title).toBe('Invalid input: domain')
    expect(invalid.steps).toEqual(['Did you mean `domain: https://jira.example.com`?'])
  })

  it('basic-auth-disabled says to use a PAT', () => {
    expect(text(d('basic-auth-disabled', { status: 403 }))).toContain('remove `username`')
  })

  it('rate-limited reports Retry-After', () => {
    expect(d('rate-limited', { retryAfterSeconds: 120, attempts: 1 }).explanation).toContain(
      'wait 120 s'
    )
    expect(d('rate-limited', { attempts: 3 }).headline).toContain('after 3 attempts')
  })

  it('server-error names the status and the excerpt', () => {
    const diagnosis = d('server-error', {
      status: 503,
      attempts: 3,
      bodyExcerpt: 'Service Unavailable'
    })
    expect(diagnosis.title).toBe('Jira server error (HTTP 503)')
    expect(diagnosis.headline).toContain('HTTP 503 after 3 attempts')
    expect(diagnosis.headline).toContain('Service Unavailable')
  })

  it('not-found suggests a context path', () => {
    const all = text(
      d('not-found', { url: URL_MYSELF, contentType: 'text/html', bodyExcerpt: 'Not Found' })
    )
    expect(all).toContain('https://jira.example.com/jira')
    expect(all).toContain('"Not Found"')
  })

  it('proxy-error names the proxy and the errno', () => {
    const all = text(
      d(
        'proxy-error',
        {
          errno: 'EPROXYREFUSED',
          proxyStatus: 407,
          transportMessage: 'the proxy answered CONNECT with HTTP 407'
        },
        { ...DC, proxy: 'http://proxy:3128' }
      )
    )
    expect(all).toContain('http://proxy:3128')
    expect(all).toContain('refused the tunnel to jira.example.com with HTTP 407')
    expect(all).toContain('wants credentials')
    expect(all).toContain('no_proxy')
    const unreachable = d(
      'proxy-error',
      { errno: 'ECONNREFUSED', transportMessage: 'connect ECONNREFUSED 127.0.0.1:3128' },
      { ...DC, proxy: 'http://proxy:3128' }
    )
    expect(unreachable.headline).toBe(
      'Could not reach the proxy http://proxy:3128 (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3128)'
    )
  })

  it('rate-limited tells a spent retry budget from a Retry-After beyond the deadline', () => {
    const spent = d(
      'rate-limited',
      { attempts: 3, retryAfterSeconds: 1 },
      { ...DC, retries: 2, timeoutSeconds: 30 }
    )
    expect(spent.explanation).toContain('used all its retries (`retries: 2`)')
    const tooLong = d(
      'rate-limited',
      { attempts: 1, retryAfterSeconds: 120 },
      { ...DC, retries: 2, timeoutSeconds: 30 }
    )
    expect(tooLong.explanation).toContain(
      'wait 120 s (Retry-After), more than was left of `timeout-seconds` (30 s)'
    )
  })

  it('identity-mismatch names both sides', () => {
    expect(
      d('identity-mismatch', { actualIdentity: 'Bob (bob)', expected: ['alice', 'carol'] }).headline
    ).toBe('The token belongs to Bob (bob), not to alice or carol')
  })

  it('missing-permissions lists missing and unknown keys', () => {
    const diagnosis = d('missing-permissions', {
      project: 'ABC',
      missingPermissions: ['CREATE_ISSUES', 'ADD_COMMENTS'],
      unknownPermissions: ['FOO']
    })
    expect(diagnosis.headline).toBe(
      "The token's account lacks CREATE_ISSUES, ADD_COMMENTS in project ABC; Jira does not know the permission key FOO"
    )
    expect(diagnosis.steps).toHaveLength(2)
  })

  it('project-not-found names the project', () => {
    expect(d('project-not-found', { project: 'NOPE', status: 404 }).headline).toContain(
      'Project NOPE does not exist'
    )
  })

  it('token-not-found lists the names, or says there are none', () => {
    expect(
      d('token-not-found', { tokenName: 'CI', availableTokenNames: ['ci', 'laptop'] }).headline
    ).toBe('This account has no personal access token named "CI"; its tokens are: "ci", "laptop"')
    expect(d('token-not-found', { tokenName: 'CI', availableTokenNames: [] }).headline).toContain(
      'it has no tokens listed'
    )
  })

  it('token-expiring gives days and date, singular and expired', () => {
    expect(
      d('token-expiring', { daysLeft: 5, expiresAt: '2026-05-06T00:00:00.000Z', tokenName: 'ci' })
        .headline
    ).toBe('The token "ci" expires in 5 days, on 2026-05-06')
    expect(
      d('token-expiring', { daysLeft: 1, expiresAt: '2026-05-02T00:00:00.000Z' }).headline
    ).toBe('The token expires in 1 day, on 2026-05-02')
    expect(
      d('token-expiring', { daysLeft: -2, expiresAt: '2026-04-29T00:00:00.000Z' }).headline
    ).toBe('The token expired on 2026-04-29')
  })

  it('internal-error says it is a bug', () => {
    expect(d('internal-error', { detail: 'boom' }).headline).toBe('jira-auth-check hit a bug: boom')
  })

  it('unexpected-response quotes the excerpt', () => {
    const diagnosis = d('unexpected-response', {
      status: 200,
      detail: 'the body was not valid JSON',
      bodyExcerpt: '<xml'
    })
    expect(diagnosis.headline).toContain('but the body was not valid JSON')
    expect(diagnosis.explanation).toBe('It began: <xml')
  })
})

describe('Cloud tokens sent as Bearer', () => {
  const CLOUD: Context = {
    ...DC,
    baseUrl: 'https://acme.atlassian.net',
    host: 'acme.atlassian.net',
    deploymentType: 'Cloud',
    serverVersion: '1001.0.0-SNAPSHOT',
    tokenShape: 'cloud-api-token',
    tokenLength: 192
  }

  it.each([
    ['the host is Cloud', CLOUD],
    [
      'the token is Cloud-shaped and the server unknown',
      {
        ...DC,
        deploymentType: undefined,
        serverVersion: undefined,
        tokenShape: 'cloud-api-token' as const
      }
    ]
  ])('is about Cloud alone when %s', (_name, context) => {
    const diagnosis = d('unauthorized', REALISTIC.unauthorized, context)
    expect(diagnosis.title).toBe('Jira Cloud does not take a token as Bearer (HTTP 401)')
    expect(diagnosis.steps[0]).toMatch(/^Set `username` to the Atlassian account email/)
    expect(text(diagnosis)).not.toMatch(/Personal Access Tokens|ViewProfile|44 characters|8\.14/)
  })

  it('says a Data Center wants a PAT when a Cloud token reaches it', () => {
    const diagnosis = d('unauthorized', REALISTIC.unauthorized, {
      ...DC,
      tokenShape: 'cloud-api-token'
    })
    expect(diagnosis.title).toBe('Jira rejected the token (HTTP 401)')
    expect(diagnosis.steps[0]).toContain('this Jira is Data Center/Server 9.12.2')
  })
})

describe('not-found', () => {
  const notFound = REALISTIC['not-found']

  it('keeps the port in the context-path hint', () => {
    const all = text(
      d('not-found', notFound, { ...DC, origin: 'https://jira.example.com:8443', contextPath: '' })
    )
    expect(all).toContain(
      'e.g. https://jira.example.com:8443/jira rather than https://jira.example.com:8443.'
    )
  })

  it('does not ask to add a context path that domain already has', () => {
    const all = text(
      d('not-found', notFound, { ...DC, origin: 'https://jira.example.com', contextPath: '/jira' })
    )
    expect(all).toContain('`domain` already has the context path "/jira"')
    expect(all).not.toMatch(/include it in `domain`/)
  })

  it('never suggests a context path on Cloud, and reads a logged-in 404 as a wrong path', () => {
    const all = text(
      d(
        'not-found',
        { ...notFound, ausername: 'mia%40example.com', seraphLoginReason: 'OK' },
        {
          ...DC,
          host: 'acme.atlassian.net',
          origin: 'https://acme.atlassian.net',
          contextPath: '',
          deploymentType: 'Cloud'
        }
      )
    )
    expect(all).toContain(
      'The credentials worked (Jira named the user "mia%40example.com"): only the path is wrong.'
    )
    expect(all).toContain(
      'Jira Cloud has no context path: set `domain` to the site itself, https://acme.atlassian.net.'
    )
    expect(all).not.toMatch(/\/jira rather than/)
  })
})

describe('proxy-error', () => {
  it('reads a 407 from the Jira address as a transparent proxy wanting credentials', () => {
    const diagnosis = d('proxy-error', {
      url: URL_MYSELF,
      status: 407,
      proxyAuthenticate: 'Basic realm="corp"'
    })
    expect(diagnosis.title).toBe('A proxy in front of Jira wants credentials (HTTP 407)')
    expect(diagnosis.headline).toContain('(Proxy-Authenticate: Basic realm="corp")')
    expect(text(diagnosis)).toContain('http://user:password@proxy:port')
  })

  it('names the unusable proxy variable and says that nothing was sent', () => {
    const diagnosis = d('proxy-error', {
      proxyVariable: 'HTTPS_PROXY',
      detail: 'it is not a valid URL'
    })
    expect(diagnosis.headline).toBe(
      '`HTTPS_PROXY` is set for jira.example.com, but it is not a valid URL; nothing was sent'
    )
    expect(diagnosis.explanation).toMatch(/does not fall back to a direct connection/)
  })
})
