import { describe, it, expect } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import { cliPlatform } from '../../src/cli/platform.js'
import {
  FAMILIES,
  diagnose,
  expiryWarning,
  type Diagnosis
} from '../../src/engine/diagnosis/catalogue.js'
import { describeNote } from '../../src/engine/diagnosis/notes.js'
import type { Platform } from '../../src/engine/diagnosis/platform.js'
import {
  ERROR_CODES,
  tokenShape,
  type Context,
  type ErrorCode,
  type Failure,
  type FailureOf,
  type Note,
  type NoteCode,
  type ResponseEvidence
} from '../../src/engine/findings.js'
import { formatDiagnosis } from '../../src/engine/render/text.js'
import { parseSettings } from '../../src/engine/settings/parse.js'
import { INPUTS, type RawSettings } from '../../src/engine/settings/schema.js'
import { rawFor } from '../../__fixtures__/settings.js'

const ACTION = actionPlatform({})
const CLI = cliPlatform()
const PLATFORMS: Array<[string, Platform]> = [
  ['action', ACTION],
  ['cli', CLI]
]

const DC: Context = {
  baseUrl: 'https://jira.example.com',
  host: 'jira.example.com',
  origin: 'https://jira.example.com',
  contextPath: '',
  authScheme: 'bearer',
  tokenLength: 44,
  tokenShape: 'data-center-pat',
  deploymentType: 'Server',
  serverVersion: '9.12.2',
  timeoutSeconds: 30,
  retries: 2
}
const CLOUD: Context = {
  ...DC,
  baseUrl: 'https://acme.atlassian.net',
  host: 'acme.atlassian.net',
  origin: 'https://acme.atlassian.net',
  authScheme: 'basic',
  deploymentType: 'Cloud',
  serverVersion: '1001.0.0-SNAPSHOT',
  tokenShape: 'cloud-api-token',
  tokenLength: 192
}
const BASIC_DC: Context = { ...DC, authScheme: 'basic', tokenShape: 'other', tokenLength: 12 }
const SERVICE_ACCOUNT: Context = {
  ...CLOUD,
  authScheme: 'client-credentials',
  tokenLength: 0,
  tokenShape: 'other',
  cloudId: '1324a887-45db-1bf4-1e99-ef0ff456d421',
  viaGateway: true
}
const PROXIED: Context = { ...DC, proxy: 'http://proxy.corp:3128' }
const CONTEXTS: Array<[string, Context]> = [
  ['Data Center', DC],
  ['Data Center behind a proxy', PROXIED],
  ['Data Center with Basic', BASIC_DC],
  ['Cloud', CLOUD],
  ['a Cloud service account', SERVICE_ACCOUNT]
]
const GATEWAY_MYSELF =
  'https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421/rest/api/2/myself'

const URL_MYSELF = 'https://jira.example.com/rest/api/2/myself'

/** Everything a user reads, in one string. */
function text(d: Diagnosis): string {
  return [d.title, d.headline, d.explanation ?? '', ...d.steps].join('\n')
}

const d = (failure: Failure, context: Context = DC, p: Platform = ACTION): Diagnosis =>
  diagnose(failure, context, p)

const answered = <C extends ErrorCode>(
  code: C,
  response: Partial<ResponseEvidence> & { status: number },
  detail?: string
): Failure => ({ code, response: { url: URL_MYSELF, attempts: 1, ...response }, detail }) as Failure

/** The failure parseSettings really returns for these settings, on this platform. */
function inputFailure(overrides: Partial<RawSettings>, p: Platform): Failure {
  const parsed = parseSettings(rawFor(overrides), p)
  if (parsed.ok) throw new Error(`parseSettings accepted ${JSON.stringify(overrides)}`)
  return parsed.failure
}

/** Every evidence shape each code really comes with; the input details are each platform's own. */
function failures(p: Platform): Record<ErrorCode, Failure[]> {
  return {
    'missing-input': [
      inputFailure({ token: '' }, p),
      inputFailure({ domain: '' }, p),
      {
        code: 'missing-input',
        input: 'cloud-id',
        detail:
          "The client credentials work, but the gateway needs the site's cloudId and the cloudId of the site is unknown."
      }
    ],
    'invalid-input': [
      inputFailure({ domain: 'https://jira.example.com/rest/api/2/myself' }, p),
      inputFailure({ domain: 'http://jira.internal' }, p),
      inputFailure({ domain: 'https://bob:pw@jira.example.com' }, p),
      inputFailure({ token: '${{ secrets.JIRA_PAT }}' }, p),
      inputFailure({ token: '$JIRA_PAT' }, p),
      inputFailure({ project: '$PROJECT' }, p),
      inputFailure({ retries: 'two' }, p),
      inputFailure({ 'token-expires-on': 'tomorrow' }, p),
      inputFailure({ 'client-id': 'abc', 'client-secret': 's3cret' }, p),
      inputFailure({ token: '', 'client-id': 'abc' }, p),
      inputFailure({ token: '', 'client-secret': 's3cret' }, p),
      inputFailure({ 'cloud-id': 'acme' }, p),
      inputFailure({ domain: 'https://api.atlassian.com/ex/jira' }, p),
      {
        code: 'invalid-input',
        input: 'required-permissions',
        detail: 'Jira rejected the permission check: Permission key FOO does not exist',
        response: { url: URL_MYSELF, status: 400 }
      }
    ],
    unauthorized: [
      answered('unauthorized', { status: 401, ausername: 'anonymous' }),
      {
        ...(answered('unauthorized', { status: 401 }) as FailureOf<'unauthorized'>),
        gateway: { url: GATEWAY_MYSELF, outcome: '401', answered: true }
      },
      {
        ...(answered('unauthorized', { status: 401 }) as FailureOf<'unauthorized'>),
        gateway: { url: GATEWAY_MYSELF, outcome: 'ENOTFOUND', answered: false }
      },
      {
        ...(answered('unauthorized', { status: 401 }) as FailureOf<'unauthorized'>),
        gateway: { url: '', outcome: '', skipped: 'the cloudId of the site is unknown' }
      },
      answered('unauthorized', {
        status: 403,
        bodyExcerpt: 'Failed to parse Connect Session Auth Token'
      })
    ],
    'insufficient-scope': [
      {
        code: 'insufficient-scope',
        response: {
          url: GATEWAY_MYSELF,
          status: 401,
          bodyExcerpt: 'Unauthorized; scope does not match'
        },
        probe: 'myself',
        ran: ['myself']
      },
      {
        code: 'insufficient-scope',
        response: { status: 401 },
        probe: 'permissions',
        ran: ['myself', 'permissions']
      }
    ],
    'invalid-client': [
      {
        code: 'invalid-client',
        response: { url: 'https://auth.atlassian.com/oauth/token', status: 401 },
        oauthError: 'access_denied',
        platform: 'cloud'
      },
      { code: 'invalid-client', response: { status: 400 }, platform: 'data-center' }
    ],
    'identity-unverified': [
      {
        code: 'identity-unverified',
        response: { url: URL_MYSELF, status: 401 },
        gates: ['expected-user', 'required-permissions']
      },
      { code: 'identity-unverified', response: { status: 403 }, gates: ['project'] }
    ],
    'captcha-required': [
      answered('captcha-required', {
        status: 403,
        deniedReason: 'CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp'
      }),
      answered('captcha-required', { status: 403 })
    ],
    'basic-auth-disabled': [answered('basic-auth-disabled', { status: 403 })],
    forbidden: [
      answered('forbidden', { status: 403, bodyExcerpt: 'Forbidden' }),
      answered('forbidden', { status: 403 })
    ],
    'login-redirect': [
      answered('login-redirect', { status: 302, location: 'https://sso.example.net/login' }),
      answered('login-redirect', { status: 200, bodyExcerpt: 'Log in - Okta' }),
      answered('login-redirect', { status: 200 })
    ],
    'not-found': [
      answered('not-found', { status: 404, contentType: 'text/html', bodyExcerpt: 'Not Found' }),
      answered('not-found', { status: 404 }),
      answered('not-found', { status: 404, url: GATEWAY_MYSELF })
    ],
    'rate-limited': [
      answered('rate-limited', { status: 429, retryAfterSeconds: 60, attempts: 1 }),
      answered('rate-limited', { status: 429, attempts: 3 }),
      answered('rate-limited', { status: 429 })
    ],
    'server-error': [
      answered('server-error', { status: 503, attempts: 3 }),
      answered('server-error', { status: 500, bodyExcerpt: 'NullPointerException' })
    ],
    'unexpected-response': [
      answered(
        'unexpected-response',
        { status: 200, bodyExcerpt: 'oops' },
        'the body was not valid JSON'
      ),
      answered('unexpected-response', { status: 204 })
    ],
    timeout: (['lookup', 'connect', 'proxy', 'tls', 'headers'] as const)
      .map((phase): Failure => ({ code: 'timeout', timeout: { url: URL_MYSELF, phase } }))
      .concat([{ code: 'timeout', timeout: { url: URL_MYSELF, phase: 'body', status: 200 } }]),
    'dns-error': [
      {
        code: 'dns-error',
        network: {
          url: URL_MYSELF,
          errno: 'ENOTFOUND',
          transportMessage: 'getaddrinfo ENOTFOUND jira.example.com'
        }
      },
      { code: 'dns-error', network: { url: URL_MYSELF, errno: 'EAI_AGAIN', attempts: 3 } }
    ],
    'connection-error': [
      {
        code: 'connection-error',
        network: {
          url: URL_MYSELF,
          errno: 'ECONNREFUSED',
          transportMessage: 'connect ECONNREFUSED 10.0.0.1:443',
          attempts: 3
        }
      },
      { code: 'connection-error', network: { errno: 'ECONNRESET' } },
      { code: 'connection-error', network: { errno: 'EHOSTUNREACH' } }
    ],
    'tls-error': [
      'CERT_HAS_EXPIRED',
      'CERT_NOT_YET_VALID',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'EPROTO',
      'ERR_SSL_WRONG_VERSION_NUMBER'
    ].map((errno) => ({
      code: 'tls-error',
      network: { url: URL_MYSELF, errno, transportMessage: `${errno} message` }
    })),
    'proxy-error': [
      {
        code: 'proxy-error',
        network: {
          url: URL_MYSELF,
          errno: 'EPROXYREFUSED',
          proxyStatus: 407,
          transportMessage: 'the proxy answered CONNECT with HTTP 407'
        }
      },
      { code: 'proxy-error', network: { errno: 'EPROXYREFUSED', proxyStatus: 403 } },
      {
        code: 'proxy-error',
        network: { errno: 'ECONNREFUSED', transportMessage: 'connect ECONNREFUSED 127.0.0.1:3128' }
      },
      {
        code: 'proxy-error',
        response: { url: URL_MYSELF, status: 407, proxyAuthenticate: 'Basic' }
      },
      { code: 'proxy-error', response: { status: 407 } },
      {
        code: 'proxy-error',
        variable: 'https_proxy',
        reason: 'it is not a valid URL',
        url: URL_MYSELF
      }
    ],
    'identity-mismatch': [{ code: 'identity-mismatch', actual: 'Bob (bob)', expected: ['alice'] }],
    'missing-permissions': [
      { code: 'missing-permissions', project: 'ABC', missing: ['CREATE_ISSUES'], unknown: [] },
      { code: 'missing-permissions', missing: [], unknown: ['FOO', 'BAR'] },
      { code: 'missing-permissions', missing: [], unknown: [] }
    ],
    'project-not-found': [
      { code: 'project-not-found', project: 'ABC', response: { url: URL_MYSELF, status: 404 } }
    ],
    'token-not-found': [
      { code: 'token-not-found', tokenName: 'ci', available: ['laptop'] },
      { code: 'token-not-found', tokenName: 'ci', available: [] }
    ],
    'token-expiring': [
      {
        code: 'token-expiring',
        daysLeft: 3,
        expiresAt: '2026-05-04T00:00:00.000Z',
        tokenName: 'ci'
      },
      { code: 'token-expiring', daysLeft: -2, expiresAt: '2026-04-29T00:00:00.000Z' }
    ],
    'token-policy': [
      {
        code: 'token-policy',
        findings: [
          { code: 'no-expiry', tokenName: 'deploy' },
          { code: 'admin-rights', permissions: ['ADMINISTER', 'SYSTEM_ADMIN'] },
          {
            code: 'stale-tokens',
            staleDays: 90,
            tokens: [
              { name: 'old laptop', lastUsedAt: '2025-01-02T03:04:05.000Z' },
              { name: 'never' }
            ]
          }
        ]
      },
      {
        code: 'token-policy',
        findings: [
          {
            code: 'long-lifetime',
            lifetimeDays: 365,
            limitDays: 90,
            from: 'pat-list',
            tokenName: 'ci'
          },
          { code: 'long-lifetime', lifetimeDays: 200, limitDays: 90, from: 'token-expires-on' },
          { code: 'personal-account' },
          { code: 'classic-api-token' },
          { code: 'insecure-http', host: 'jira.internal:8080' }
        ]
      }
    ],
    'internal-error': [{ code: 'internal-error', detail: 'boom' }]
  }
}

/** Input names as the action writes them; the CLI must never use them bare. */
const BARE_INPUT = new RegExp(`\`(${INPUTS.map((input) => input.name).join('|')})\``)
/** Flags as the CLI writes them; the action must never use them. */
const FLAG = new RegExp(`--(${INPUTS.map((input) => input.name).join('|')})\\b`)

/** Every rule of "reads well" that holds on both front-ends, plus each one's own. */
function expectReadsWell(words: string, p: Platform): void {
  expect(words).not.toMatch(/undefined|\[object Object\]|NaN/)
  expect(words).not.toMatch(/ {2}| [.,;:)]|\( /)
  if (p.kind === 'cli') {
    expect(words).not.toContain('with:')
    expect(words).not.toMatch(/runner/i)
    expect(words).not.toMatch(BARE_INPUT)
  } else {
    expect(words).not.toMatch(FLAG)
  }
}

describe.each(PLATFORMS)('every error code reads well (%s)', (_name, p) => {
  const all = failures(p)

  it('covers every code', () => {
    expect(Object.keys(all).sort()).toEqual([...ERROR_CODES].sort())
  })

  // A proxy's own failure (a refused tunnel, an unreachable proxy) only happens through a proxy.
  const possible = (failure: Failure, context: Context): boolean =>
    !(failure.code === 'proxy-error' && 'network' in failure && !context.proxy)
  const cases = ERROR_CODES.flatMap((code) =>
    all[code].flatMap((failure, index) =>
      CONTEXTS.filter(([, context]) => possible(failure, context)).map(
        ([contextName, context]) => [code, index, contextName, failure, context] as const
      )
    )
  )

  it.each(cases)('%s #%d in %s', (code, _index, _contextName, failure, context) => {
    const diagnosis = diagnose(failure, context, p)
    expect(diagnosis.code).toBe(code)
    expect(diagnosis.title.trim()).not.toBe('')
    expect(diagnosis.headline.trim()).not.toBe('')
    for (const step of diagnosis.steps) expect(step.trim()).not.toBe('')
    expectReadsWell(text(diagnosis), p)
    const formatted = formatDiagnosis(diagnosis, p.docsUrl)
    expect(formatted.split('\n').at(-1)).toBe(`More: ${p.docsUrl}#${code}`)
  })

  it.each(ERROR_CODES.map((code) => [code]))('%s survives an empty context', (code) => {
    for (const failure of all[code]) {
      const diagnosis = diagnose(failure, {}, p)
      expect(diagnosis.title.trim()).not.toBe('')
      expect(diagnosis.headline.trim()).not.toBe('')
      expect(formatDiagnosis(diagnosis, p.docsUrl).endsWith(`#${code}`)).toBe(true)
    }
  })

  it.each(ERROR_CODES.map((code) => [code]))('%s has a family', (code) => {
    expect(['credential', 'input', 'unreachable', 'bug']).toContain(FAMILIES[code])
  })
})

describe('the two front-ends word the same failure differently', () => {
  it.each([
    ['missing token', { token: '' }],
    ['an unexpanded expression', { domain: '${{ vars.JIRA_DOMAIN }}' }],
    ['an unexpanded variable', { username: '$JIRA_USERNAME' }]
  ])('%s', (_name, overrides) => {
    const action = text(d(inputFailure(overrides, ACTION), {}, ACTION))
    const cli = text(d(inputFailure(overrides, CLI), {}, CLI))
    expect(action).not.toBe(cli)
  })

  it('names inputs in the action and flags in the CLI', () => {
    const failure = inputFailure({ domain: 'http://jira.internal:8080/jira' }, ACTION)
    expect(failure).toMatchObject({
      input: 'domain',
      suggestion: 'https://jira.internal:8080/jira'
    })
    const action = d(failure, {}, ACTION)
    expect(action.title).toBe('Invalid input: domain')
    expect(action.headline).toContain('allow-insecure-http: true')
    expect(action.steps).toEqual(['Did you mean `domain: https://jira.internal:8080/jira`?'])
    const cliFailure = inputFailure({ domain: 'http://jira.internal:8080/jira' }, CLI)
    const cli = d(cliFailure, {}, CLI)
    expect(cli.title).toBe('Invalid setting: --domain')
    expect(cli.headline).toContain('--allow-insecure-http true')
    expect(cli.steps).toEqual(['Did you mean `--domain https://jira.internal:8080/jira`?'])
  })

  it('writes a setting with its value as code, as the "Did you mean" step does', () => {
    // HEAD's wording: "or set `allow-insecure-http: true` if this really is a trusted network."
    expect(
      d(inputFailure({ domain: 'http://jira.internal' }, ACTION), {}, ACTION).headline
    ).toContain('set `allow-insecure-http: true` if')
    expect(d(inputFailure({ domain: 'http://jira.internal' }, CLI), {}, CLI).headline).toContain(
      'set `--allow-insecure-http true` if'
    )
  })

  it('never suggests a secret on the command line', () => {
    const cli = text(d(inputFailure({ token: '' }, CLI), {}, CLI))
    expect(cli).toContain('JIRA_PAT')
    expect(cli).toContain('--token-file')
    expect(cli).not.toMatch(/--token\b(?!-)/)
  })

  it('links each front-end to its own troubleshooting page', () => {
    expect(ACTION.docsUrl).toBe(
      'https://github.com/jira-auth-check/jira-auth-check/blob/v1/docs/troubleshooting.md'
    )
    expect(CLI.docsUrl).toMatch(/\/blob\/v\d+\.\d+\.\d+\/docs\/troubleshooting\.md$/)
  })
})

describe('unauthorized', () => {
  const unauthorized = (response: Partial<ResponseEvidence> = {}): Failure =>
    answered('unauthorized', { status: 401, ...response })

  it('Bearer on Data Center: expired or revoked, the PAT page, the token length and shape', () => {
    const all = text(d(unauthorized({ ausername: 'anonymous' })))
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

  it('links the PAT page of this Jira', () => {
    expect(text(d(unauthorized()))).toContain(
      'https://jira.example.com/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens'
    )
  })

  it('says when the token does not look like a PAT', () => {
    const all = text(d(unauthorized(), { ...DC, tokenLength: 45, tokenShape: 'other' }))
    expect(all).toContain('45 characters')
    expect(all).toContain('does not have the shape of a Data Center PAT')
  })

  it('Bearer against Cloud says to set username', () => {
    const all = text(
      d(unauthorized(), { ...DC, deploymentType: 'Cloud', serverVersion: '1001.0.0' })
    )
    expect(all).toContain('Jira Cloud')
    expect(all).toContain('Set `username`')
  })

  it('recognises Cloud by an atlassian.net host', () => {
    const all = text(
      d(unauthorized({ url: 'https://acme.atlassian.net/rest/api/2/myself' }), {
        ...DC,
        host: 'acme.atlassian.net',
        deploymentType: undefined
      })
    )
    expect(all).toContain('Set `username`')
  })

  it('recognises an ATATT token sent as Bearer to Data Center', () => {
    const shape = tokenShape('ATATT3xFfGF0' + 'a'.repeat(180))
    expect(shape).toBe('cloud-api-token')
    const all = text(d(unauthorized(), { ...DC, tokenShape: shape, tokenLength: 192 }))
    expect(all).toContain('ATATT')
    expect(all).toContain('Atlassian Cloud API token')
  })

  it('says PATs arrived in 8.14 on a server older than that', () => {
    const all = text(d(unauthorized(), { ...DC, serverVersion: '8.5.3' }))
    expect(all).toContain('8.5.3')
    expect(all).toContain('8.14')
  })

  it.each(['8.14.0', '9.12.2', '10.3.1'])('does not mention 8.14 for %s', (serverVersion) => {
    expect(text(d(unauthorized(), { ...DC, serverVersion }))).not.toContain('8.14')
  })

  it('names a user Jira did recognise', () => {
    expect(text(d(unauthorized({ ausername: 'ci-bot' })))).toContain('"ci-bot"')
  })

  it('Basic on Data Center warns about the CAPTCHA lockout and suggests Bearer for a PAT', () => {
    const all = text(
      d(unauthorized({ seraphLoginReason: 'AUTHENTICATED_FAILED' }), {
        ...DC,
        authScheme: 'basic',
        tokenShape: 'data-center-pat'
      })
    )
    expect(all).toContain('X-Seraph-LoginReason: AUTHENTICATED_FAILED')
    expect(all).toContain('CAPTCHA')
    expect(all).toContain('remove `username`')
  })

  it('Basic on Cloud points at the API token page', () => {
    const all = text(d(unauthorized(), CLOUD))
    expect(all).toContain('id.atlassian.com')
    expect(all).toContain('account email')
  })

  it('the CLI says --username where the action says `username`', () => {
    const cli = text(d(unauthorized(), { ...DC, deploymentType: 'Cloud' }, CLI))
    expect(cli).toContain('Set `--username`')
    expect(cli).not.toContain('Set `username`')
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

  it('rejects 44 characters of base64 that do not decode to digits and a colon', () => {
    expect(tokenShape(Buffer.alloc(33, 'a').toString('base64'))).toBe('other')
  })
})

describe('captcha-required', () => {
  it('includes the login URL from the denied-reason header', () => {
    const all = text(
      d(
        answered('captcha-required', {
          status: 403,
          deniedReason: 'CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp'
        })
      )
    )
    expect(all).toContain('at https://jira.example.com/login.jsp')
    expect(all).toContain('CAPTCHA')
  })
})

describe('tls-error', () => {
  const tls = (errno: string, p: Platform = ACTION): Diagnosis =>
    d({ code: 'tls-error', network: { errno, transportMessage: `${errno} message` } }, DC, p)
  const forbidden = (all: string): void => {
    expect(all).not.toContain('NODE_TLS_REJECT_UNAUTHORIZED')
    expect(all).not.toMatch(/rejectUnauthorized/i)
    expect(all).not.toMatch(/--insecure|-k\b/)
  }

  it('differs for expired, wrong-name and untrusted certificates', () => {
    const expired = tls('CERT_HAS_EXPIRED')
    const altname = tls('ERR_TLS_CERT_ALTNAME_INVALID')
    const untrusted = tls('SELF_SIGNED_CERT_IN_CHAIN')
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
    for (const [, p] of PLATFORMS) {
      const all = text(tls(errno, p))
      expect(all).toContain('jira.example.com')
      expect(all).toContain(errno)
      forbidden(all)
    }
  })

  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  ])(
    '%s mentions NODE_EXTRA_CA_CERTS, the step env in the action and export in the CLI',
    (errno) => {
      expect(text(tls(errno))).toContain(
        "`NODE_EXTRA_CA_CERTS` to the path of its PEM file in the step's `env:`"
      )
      expect(text(tls(errno, CLI))).toContain('export NODE_EXTRA_CA_CERTS=/path/to/ca.pem')
    }
  )

  it('says a wrong-protocol port for EPROTO', () => {
    expect(text(tls('EPROTO'))).toMatch(/serves HTTPS/)
  })

  it('the expired case says "not yet valid" for CERT_NOT_YET_VALID', () => {
    expect(text(tls('CERT_NOT_YET_VALID'))).toContain('not yet valid')
  })
})

describe('network failures say where the check must run', () => {
  const cases: Array<[string, Failure]> = [
    ['timeout', { code: 'timeout', timeout: { phase: 'headers' } }],
    ['dns-error', { code: 'dns-error', network: { errno: 'ENOTFOUND' } }],
    ['dns-error', { code: 'dns-error', network: { errno: 'EAI_AGAIN', attempts: 3 } }],
    ['connection-error', { code: 'connection-error', network: { errno: 'ECONNREFUSED' } }],
    ['connection-error', { code: 'connection-error', network: { errno: 'ETIMEDOUT' } }],
    ['timeout in the body', { code: 'timeout', timeout: { phase: 'body', status: 200 } }]
  ]

  it.each(cases)('%s: a self-hosted runner in the action', (_name, failure) => {
    expect(text(d(failure))).toContain('self-hosted runner')
  })

  // A stalled body came from Jira: that headline is about the body, not the host.
  it.each(cases.filter(([name]) => name !== 'timeout in the body'))(
    '%s names the host',
    (_name, failure) => {
      expect(text(d(failure))).toContain('jira.example.com')
    }
  )

  it.each(cases)('%s: a machine inside that network in the CLI', (_name, failure) => {
    const all = text(d(failure, DC, CLI))
    expect(all).toContain('machines inside it')
    expect(all).not.toContain('GitHub-hosted')
  })

  it('timeout says which phase and the deadline', () => {
    const t = (phase: 'lookup' | 'tls' | 'headers', url?: string): Diagnosis =>
      d({ code: 'timeout', timeout: { phase, url } })
    expect(t('headers').headline).toBe(
      'No answer within 30 s: an answer from jira.example.com did not finish'
    )
    expect(t('headers', URL_MYSELF).headline).toBe(
      `No answer within 30 s: an answer from jira.example.com did not finish (GET ${URL_MYSELF})`
    )
    expect(t('lookup').headline).toBe(
      'No answer within 30 s: the DNS lookup of jira.example.com did not finish'
    )
    expect(text(t('lookup'))).toContain('DNS resolver')
    expect(t('tls').headline).toContain('the TLS handshake with')
    expect(d({ code: 'timeout', timeout: { phase: 'body', status: 200 } }).headline).toContain(
      'HTTP 200) but the body stalled'
    )
    expect(text(d({ code: 'timeout', timeout: { phase: 'proxy' } }))).toContain('`https_proxy`')
  })

  it('dns-error tells ENOTFOUND from EAI_AGAIN', () => {
    expect(d({ code: 'dns-error', network: { errno: 'ENOTFOUND' } }).headline).toContain(
      'does not resolve (ENOTFOUND)'
    )
    expect(
      d({ code: 'dns-error', network: { errno: 'EAI_AGAIN', attempts: 3 } }).headline
    ).toContain('temporarily (EAI_AGAIN) after 3 attempts')
  })

  it('connection-error explains refused and reset', () => {
    expect(
      d({ code: 'connection-error', network: { errno: 'ECONNREFUSED' } }).explanation
    ).toContain('Nothing listens')
    expect(d({ code: 'connection-error', network: { errno: 'ECONNRESET' } }).explanation).toContain(
      'cut mid-way'
    )
  })
})

describe('login-redirect', () => {
  it('names the redirect host and never calls it Jira moving', () => {
    const diagnosis = d(
      answered('login-redirect', {
        status: 302,
        location: 'https://sso.corp.example.net/adfs/ls/?SAMLRequest=abc'
      })
    )
    expect(diagnosis.headline).toContain('sso.corp.example.net')
    expect(diagnosis.headline).toContain('HTTP 302')
    expect(diagnosis.headline).not.toContain('SAMLRequest')
    expect(text(diagnosis)).not.toContain('new address')
  })

  it('resolves a relative Location against the base', () => {
    const diagnosis = d(
      answered('login-redirect', { status: 302, location: '/login.jsp?os_destination=x' })
    )
    expect(diagnosis.headline).toContain('to jira.example.com')
  })

  it('suggests the new base when Jira moved on the same host', () => {
    const moved = answered('login-redirect', {
      status: 301,
      location: 'https://jira.example.com/jira/rest/api/2/myself'
    })
    expect(text(d(moved))).toContain(
      'use its new address as `domain`: https://jira.example.com/jira.'
    )
    expect(text(d(moved, DC, CLI))).toContain(
      'use its new address as `--domain`: https://jira.example.com/jira.'
    )
  })

  it('describes a 200 HTML page', () => {
    expect(
      d(answered('login-redirect', { status: 200, bodyExcerpt: 'Log in - Okta' })).headline
    ).toContain('HTML page (Log in - Okta)')
  })
})

describe('other entries', () => {
  it('missing-input and invalid-input use the detail and the suggestion', () => {
    expect(d({ code: 'missing-input', input: 'token', detail: 'empty!' })).toMatchObject({
      title: 'Missing input: token',
      headline: 'empty!',
      steps: []
    })
    const invalid = d({
      code: 'invalid-input',
      input: 'domain',
      detail: 'bad',
      suggestion: 'https://jira.example.com'
    })
    expect(invalid.title).toBe('Invalid input: domain')
    expect(invalid.steps).toEqual(['Did you mean `domain: https://jira.example.com`?'])
    expect(d({ code: 'missing-input', input: 'token', detail: 'x' }, {}, CLI).title).toBe(
      'Missing setting: token'
    )
  })

  it('basic-auth-disabled says to use a PAT', () => {
    expect(text(d(answered('basic-auth-disabled', { status: 403 })))).toContain('remove `username`')
  })

  it('rate-limited reports Retry-After', () => {
    expect(
      d(answered('rate-limited', { status: 429, retryAfterSeconds: 120, attempts: 1 })).explanation
    ).toContain('wait 120 s')
    expect(d(answered('rate-limited', { status: 429, attempts: 3 })).headline).toContain(
      'after 3 attempts'
    )
  })

  it('rate-limited writes the spent retry budget as code', () => {
    // HEAD's wording: "used all its retries (`retries: 2`)".
    const spent = d(answered('rate-limited', { status: 429, attempts: 3, retryAfterSeconds: 1 }))
    expect(spent.explanation).toContain('used all its retries (`retries: 2`)')
    expect(
      d(answered('rate-limited', { status: 429, attempts: 3 }), DC, CLI).explanation
    ).toContain('used all its retries (`--retries 2`)')
  })

  it('rate-limited tells a spent retry budget from a Retry-After beyond the deadline', () => {
    const spent = d(answered('rate-limited', { status: 429, attempts: 3, retryAfterSeconds: 1 }))
    expect(spent.explanation).toMatch(
      /used all its retries \(`?retries: 2`?\), waiting as Jira asked/
    )
    const tooLong = d(
      answered('rate-limited', { status: 429, attempts: 1, retryAfterSeconds: 120 })
    )
    expect(tooLong.explanation).toContain(
      'wait 120 s (Retry-After), more than was left of `timeout-seconds` (30 s)'
    )
  })

  it('server-error names the status and the excerpt', () => {
    const diagnosis = d(
      answered('server-error', { status: 503, attempts: 3, bodyExcerpt: 'Service Unavailable' })
    )
    expect(diagnosis.title).toBe('Jira server error (HTTP 503)')
    expect(diagnosis.headline).toContain('HTTP 503 after 3 attempts')
    expect(diagnosis.headline).toContain('Service Unavailable')
  })

  it('not-found suggests a context path', () => {
    const all = text(
      d(answered('not-found', { status: 404, contentType: 'text/html', bodyExcerpt: 'Not Found' }))
    )
    expect(all).toContain('https://jira.example.com/jira')
    expect(all).toContain('"Not Found"')
  })

  it('identity-mismatch names both sides', () => {
    expect(
      d({ code: 'identity-mismatch', actual: 'Bob (bob)', expected: ['alice', 'carol'] }).headline
    ).toBe('The token belongs to Bob (bob), not to alice or carol')
  })

  it('missing-permissions lists missing and unknown keys', () => {
    const diagnosis = d({
      code: 'missing-permissions',
      project: 'ABC',
      missing: ['CREATE_ISSUES', 'ADD_COMMENTS'],
      unknown: ['FOO']
    })
    expect(diagnosis.headline).toBe(
      "The token's account lacks CREATE_ISSUES, ADD_COMMENTS in project ABC; Jira does not know the permission key FOO"
    )
    expect(diagnosis.steps).toHaveLength(2)
  })

  it('project-not-found names the project', () => {
    expect(
      d({ code: 'project-not-found', project: 'NOPE', response: { status: 404 } }).headline
    ).toContain('Project NOPE does not exist')
  })

  it('token-not-found lists the names, or says there are none', () => {
    expect(
      d({ code: 'token-not-found', tokenName: 'CI', available: ['ci', 'laptop'] }).headline
    ).toBe('This account has no personal access token named "CI"; its tokens are: "ci", "laptop"')
    expect(d({ code: 'token-not-found', tokenName: 'CI', available: [] }).headline).toContain(
      'it has no tokens listed'
    )
  })

  it('token-expiring gives days and date, singular and expired', () => {
    const expiring = (daysLeft: number, expiresAt: string, tokenName?: string): string =>
      d({ code: 'token-expiring', daysLeft, expiresAt, ...(tokenName && { tokenName }) }).headline
    expect(expiring(5, '2026-05-06T00:00:00.000Z', 'ci')).toBe(
      'The token "ci" expires in 5 days, on 2026-05-06'
    )
    expect(expiring(1, '2026-05-02T00:00:00.000Z')).toBe(
      'The token expires in 1 day, on 2026-05-02'
    )
    expect(expiring(-2, '2026-04-29T00:00:00.000Z')).toBe('The token expired on 2026-04-29')
  })

  it('token-expiring with Basic says to rotate the API token and update token-expires-on', () => {
    const all = text(
      d({ code: 'token-expiring', daysLeft: 3, expiresAt: '2026-05-04T00:00:00.000Z' }, CLOUD)
    )
    expect(all).toContain('id.atlassian.com')
    expect(all).toContain('`token-expires-on`')
  })

  it('internal-error says it is a bug, and how to see more on each front-end', () => {
    expect(d({ code: 'internal-error', detail: 'boom' }).headline).toBe(
      'jira-auth-check hit a bug: boom'
    )
    expect(text(d({ code: 'internal-error', detail: 'boom' }))).toContain('Enable debug logging')
    expect(text(d({ code: 'internal-error', detail: 'boom' }, {}, CLI))).toContain('--verbose')
  })

  it('unexpected-response quotes the excerpt', () => {
    const diagnosis = d(
      answered(
        'unexpected-response',
        { status: 200, bodyExcerpt: '<xml' },
        'the body was not valid JSON'
      )
    )
    expect(diagnosis.headline).toContain('but the body was not valid JSON')
    expect(diagnosis.explanation).toBe('It began: <xml')
  })
})

describe('Cloud tokens sent as Bearer', () => {
  const unauthorized = answered('unauthorized', { status: 401, ausername: 'anonymous' })
  const cloudBearer: Context = { ...CLOUD, authScheme: 'bearer' }

  it.each([
    ['the host is Cloud', cloudBearer],
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
    const diagnosis = d(unauthorized, context)
    expect(diagnosis.title).toBe('Jira Cloud does not take a token as Bearer (HTTP 401)')
    expect(diagnosis.steps[0]).toMatch(/^Set `username` to the Atlassian account email/)
    expect(text(diagnosis)).not.toMatch(/Personal Access Tokens|ViewProfile|44 characters|8\.14/)
  })

  it('says a Data Center wants a PAT when a Cloud token reaches it', () => {
    const diagnosis = d(unauthorized, { ...DC, tokenShape: 'cloud-api-token' })
    expect(diagnosis.title).toBe('Jira rejected the token (HTTP 401)')
    expect(diagnosis.steps[0]).toContain('this Jira is Data Center/Server 9.12.2')
  })
})

describe('not-found', () => {
  const notFound = answered('not-found', {
    status: 404,
    contentType: 'text/html',
    bodyExcerpt: 'Not Found'
  })

  it('keeps the port in the context-path hint', () => {
    const all = text(
      d(notFound, { ...DC, origin: 'https://jira.example.com:8443', contextPath: '' })
    )
    expect(all).toContain(
      'e.g. https://jira.example.com:8443/jira rather than https://jira.example.com:8443.'
    )
  })

  it('does not ask to add a context path that domain already has', () => {
    const all = text(
      d(notFound, { ...DC, origin: 'https://jira.example.com', contextPath: '/jira' })
    )
    expect(all).toContain('`domain` already has the context path "/jira"')
    expect(all).not.toMatch(/include it in `domain`/)
  })

  it('never suggests a context path on Cloud, and reads a logged-in 404 as a wrong path', () => {
    const all = text(
      d(
        answered('not-found', {
          status: 404,
          contentType: 'text/html',
          bodyExcerpt: 'Not Found',
          ausername: 'mia%40example.com',
          seraphLoginReason: 'OK'
        }),
        {
          ...DC,
          host: 'acme.atlassian.net',
          origin: 'https://acme.atlassian.net',
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
  it('a refused tunnel names the proxy, the status, and the credentials step for 407', () => {
    const all = text(
      d(
        {
          code: 'proxy-error',
          network: {
            errno: 'EPROXYREFUSED',
            proxyStatus: 407,
            transportMessage: 'the proxy answered CONNECT with HTTP 407'
          }
        },
        PROXIED
      )
    )
    expect(all).toContain('http://proxy.corp:3128')
    expect(all).toContain('refused the tunnel to jira.example.com with HTTP 407')
    expect(all).toContain('wants credentials')
    expect(all).toContain('no_proxy')
    expect(all).toContain('in the runner environment')
    expect(
      text(
        d({ code: 'proxy-error', network: { errno: 'EPROXYREFUSED', proxyStatus: 403 } }, PROXIED)
      )
    ).not.toContain('wants credentials')
  })

  it('an unreachable proxy names the proxy and the errno', () => {
    const unreachable = d(
      {
        code: 'proxy-error',
        network: { errno: 'ECONNREFUSED', transportMessage: 'connect ECONNREFUSED 127.0.0.1:3128' }
      },
      PROXIED
    )
    expect(unreachable.headline).toBe(
      'Could not reach the proxy http://proxy.corp:3128 (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3128)'
    )
  })

  it('reads a 407 from the Jira address as a transparent proxy wanting credentials', () => {
    const diagnosis = d({
      code: 'proxy-error',
      response: { url: URL_MYSELF, status: 407, proxyAuthenticate: 'Basic realm="corp"' }
    })
    expect(diagnosis.title).toBe('A proxy in front of Jira wants credentials (HTTP 407)')
    expect(diagnosis.headline).toContain('(Proxy-Authenticate: Basic realm="corp")')
    expect(text(diagnosis)).toContain('http://user:password@proxy:port')
  })

  it('names the unusable proxy variable and says that nothing was sent', () => {
    const diagnosis = d({
      code: 'proxy-error',
      variable: 'HTTPS_PROXY',
      reason: 'it is not a valid URL'
    })
    expect(diagnosis.headline).toBe(
      '`HTTPS_PROXY` is set for jira.example.com, but it is not a valid URL; nothing was sent'
    )
    expect(diagnosis.explanation).toMatch(/does not fall back to a direct connection/)
    expect(
      text(d({ code: 'proxy-error', variable: 'HTTPS_PROXY', reason: 'x' }, DC, CLI))
    ).toContain('in the environment')
  })
})

describe('expiryWarning', () => {
  const expiry = { daysLeft: 5, expiresAt: '2026-05-06T00:00:00.000Z', name: 'ci' }

  it.each(PLATFORMS)(
    'is the token-expiring words, as a warning that the check passes (%s)',
    (_name, p) => {
      const warning = expiryWarning(expiry, 14, DC, p)
      const failure: FailureOf<'token-expiring'> = {
        code: 'token-expiring',
        daysLeft: 5,
        expiresAt: expiry.expiresAt,
        tokenName: 'ci'
      }
      const base = diagnose(failure, DC, p)
      expect(warning).toEqual({
        ...base,
        explanation: `That is within ${p.setting('expiry-warning-days')} (14); ${p.stillPasses}.`
      })
      expect(p.stillPasses).toMatch(/still passes/)
      expect(warning.headline).toBe('The token "ci" expires in 5 days, on 2026-05-06')
      expectReadsWell(text(warning), p)
    }
  )

  it('leaves the name out when there is none', () => {
    expect(
      expiryWarning({ daysLeft: 1, expiresAt: expiry.expiresAt }, 14, DC, ACTION).headline
    ).toBe('The token expires in 1 day, on 2026-05-06')
  })
})

/** One note of every code, as the check really makes them. */
const NOTES: { [C in NoteCode]: Extract<Note, { code: C }> } = {
  'domain-without-scheme': { code: 'domain-without-scheme', base: 'https://jira.example.com' },
  'insecure-http': { code: 'insecure-http', host: 'jira.internal:8080' },
  'quotes-removed': { code: 'quotes-removed', input: 'token' },
  'bearer-prefix-removed': { code: 'bearer-prefix-removed' },
  'timeout-capped': { code: 'timeout-capped', given: '9999', cap: 600 },
  'retries-capped': { code: 'retries-capped', given: '1000', cap: 10 },
  'tls-override-ignored': { code: 'tls-override-ignored' },
  'account-inactive': { code: 'account-inactive' },
  'token-guessed': { code: 'token-guessed', count: 2, name: 'recent' },
  'token-namesakes': { code: 'token-namesakes', count: 3, name: 'ci' },
  'token-name-on-cloud': { code: 'token-name-on-cloud' },
  'token-name-with-basic': { code: 'token-name-with-basic' },
  'pat-list-unavailable': {
    code: 'pat-list-unavailable',
    reason: 'Jira refused to list the tokens (HTTP 403)',
    tokenName: true
  },
  'pat-list-unreadable': { code: 'pat-list-unreadable' },
  'expiry-date-in-past': { code: 'expiry-date-in-past', date: '2026-04-01' },
  'gateway-only': {
    code: 'gateway-only',
    gatewayUrl: 'https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421'
  },
  'cloud-id-unknown': {
    code: 'cloud-id-unknown',
    reason: 'the site did not say its cloudId (/_edge/tenant_info: 404)'
  },
  'identity-unread': { code: 'identity-unread', status: 401 },
  'admin-rights-unknown': {
    code: 'admin-rights-unknown',
    reason: 'mypermissions answered 403'
  }
}

/** What each note must say: its facts, whichever front-end words it. */
const NOTE_FACTS: { [C in NoteCode]: { level: 'notice' | 'warning'; facts: string[] } } = {
  'domain-without-scheme': { level: 'notice', facts: ['no scheme', 'https://jira.example.com'] },
  'insecure-http': { level: 'warning', facts: ['clear text', 'jira.internal:8080'] },
  'quotes-removed': { level: 'warning', facts: ['wrapped in quotes'] },
  'bearer-prefix-removed': { level: 'warning', facts: ['"Bearer "', 'removed'] },
  'timeout-capped': { level: 'warning', facts: ['9999', '600'] },
  'retries-capped': { level: 'warning', facts: ['1000', 'using 10'] },
  'tls-override-ignored': {
    level: 'warning',
    facts: ['NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_EXTRA_CA_CERTS']
  },
  'account-inactive': { level: 'warning', facts: ['not active'] },
  'token-guessed': { level: 'notice', facts: ['2 tokens', '"recent"', 'guess'] },
  'token-namesakes': { level: 'warning', facts: ['3 tokens', '"ci"', 'expires first'] },
  'token-name-on-cloud': { level: 'warning', facts: ['Jira Cloud'] },
  'token-name-with-basic': { level: 'warning', facts: ['Basic password'] },
  'pat-list-unavailable': {
    level: 'warning',
    facts: ['Jira refused to list the tokens (HTTP 403)']
  },
  'pat-list-unreadable': { level: 'warning', facts: ['token list', 'unknown'] },
  'expiry-date-in-past': { level: 'warning', facts: ['2026-04-01', 'in the past'] },
  'gateway-only': {
    level: 'notice',
    facts: ['scoped API token', 'https://api.atlassian.com/ex/jira/1324a887-', 'api-base-url']
  },
  'cloud-id-unknown': {
    level: 'warning',
    facts: ['gateway', '/_edge/tenant_info: 404', 'cloud-id']
  },
  'identity-unread': {
    level: 'warning',
    facts: ['client credentials are valid', 'HTTP 401', 'not verified']
  },
  'admin-rights-unknown': {
    level: 'notice',
    facts: ['administrator', 'mypermissions answered 403']
  }
}

describe.each(PLATFORMS)('describeNote (%s)', (_name, p) => {
  it.each(Object.values(NOTES).map((note) => [note.code, note] as const))('%s', (code, note) => {
    const { level, message } = describeNote(note, p)
    expect(level).toBe(NOTE_FACTS[code].level)
    expect(message.trim()).not.toBe('')
    for (const fact of NOTE_FACTS[code].facts) expect(message).toContain(fact)
    expectReadsWell(message, p)
  })
})

describe('describeNote: front-end wording', () => {
  it('names the setting as each front-end spells it', () => {
    expect(describeNote(NOTES['token-guessed'], ACTION).message).toContain('set `token-name`')
    expect(describeNote(NOTES['token-guessed'], CLI).message).toContain('set `--token-name`')
    expect(describeNote(NOTES['timeout-capped'], ACTION).message).toMatch(/^`timeout-seconds` 9999/)
    expect(describeNote(NOTES['timeout-capped'], CLI).message).toMatch(/^`--timeout-seconds` 9999/)
  })

  it('gives the YAML hint for quotes in the action only', () => {
    expect(describeNote(NOTES['quotes-removed'], ACTION).message).toContain('in YAML')
    expect(describeNote(NOTES['quotes-removed'], CLI).message).not.toContain('YAML')
  })

  it('words pat-list-unavailable by whether token-name was set', () => {
    const given = describeNote(NOTES['pat-list-unavailable'], ACTION).message
    const none = describeNote(
      { ...NOTES['pat-list-unavailable'], tokenName: false },
      ACTION
    ).message
    expect(given).toContain('`token-name` is set')
    expect(none).toContain("The token's expiry is unknown")
    expect(none).toContain('The token itself works')
  })

  it('points to where the token is kept, never at the token itself', () => {
    expect(describeNote(NOTES['bearer-prefix-removed'], ACTION).message).toContain(
      'the secret that feeds `token`'
    )
    expect(describeNote(NOTES['bearer-prefix-removed'], CLI).message).toContain(
      'the secret behind JIRA_PAT'
    )
  })
})
