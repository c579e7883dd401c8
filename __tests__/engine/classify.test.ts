import { describe, it, expect } from '@jest/globals'
import {
  classifyFailure,
  excerpt,
  header,
  jiraMessage,
  parseMyself,
  parsePatList,
  parsePermissions,
  parseServerInfo,
  responseEvidence,
  transportMessage
} from '../../src/engine/classify.js'
import type { Failure } from '../../src/engine/findings.js'
import {
  proxyInvalid,
  probe,
  response,
  timeout,
  transportError
} from '../../__fixtures__/probes.js'

const URL_MYSELF = 'https://jira.example.com/rest/api/2/myself'

/** The failure, narrowed to its code; fails the test on another code. */
function as<C extends Failure['code']>(failure: Failure, code: C): Extract<Failure, { code: C }> {
  expect(failure.code).toBe(code)
  return failure as Extract<Failure, { code: C }>
}

describe('header', () => {
  it('reads a header case-insensitively and joins arrays', () => {
    expect(header({ 'x-ausername': 'bob' }, 'X-AUSERNAME')).toBe('bob')
    expect(header({ 'set-cookie': ['a=1', 'b=2'] }, 'Set-Cookie')).toBe('a=1, b=2')
    expect(header({}, 'location')).toBeUndefined()
  })
})

describe('excerpt', () => {
  it('returns undefined for a blank body', () => {
    expect(excerpt('  \n ')).toBeUndefined()
  })

  it('collapses whitespace to one line', () => {
    expect(excerpt('  line one\n\n  line\ttwo  ')).toBe('line one line two')
  })

  it('takes the HTML title and the Basic failure reason', () => {
    const html =
      '<!DOCTYPE html><html><head><title> Unauthorized (401) </title></head><body>' +
      '<p>Basic Authentication Failure - Reason : AUTHENTICATED_FAILED</p></body></html>'
    expect(excerpt(html)).toBe(
      'Unauthorized (401) — Basic Authentication Failure - Reason : AUTHENTICATED_FAILED'
    )
  })

  it('strips tags from HTML without a title', () => {
    expect(excerpt('<html><body><h1>Service</h1><p>Unavailable</p></body></html>')).toBe(
      'Service Unavailable'
    )
  })

  it("prefers Jira's own error text in a JSON body", () => {
    expect(excerpt('{"errorMessages":["You are not\\nauthorised"],"errors":{}}')).toBe(
      'You are not authorised'
    )
    expect(excerpt('{"unrelated":true}')).toBe('{"unrelated":true}')
  })

  it('neutralises control characters so no line can become a runner command', () => {
    expect(excerpt('<title>a\u001b[31m</title><html>')).toBe('a\ufffd[31m')
  })

  it('cuts long text at max with an ellipsis', () => {
    const text = excerpt('x'.repeat(500), 50) ?? ''
    expect(text).toHaveLength(50)
    expect(text.endsWith('…')).toBe(true)
    expect(excerpt('y'.repeat(200))).toBe('y'.repeat(200))
    expect(excerpt('y'.repeat(201))).toHaveLength(200)
  })
})

describe('transportMessage', () => {
  it("keeps OpenSSL's reason only", () => {
    expect(
      transportMessage(
        'write EPROTO 80AC1F0C:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record/ssl3_record.c:354:'
      )
    ).toBe('wrong version number')
  })

  it('collapses whitespace, neutralises controls and caps the length at 160', () => {
    expect(transportMessage('connect  ECONNREFUSED\n10.0.0.1:443')).toBe(
      'connect ECONNREFUSED 10.0.0.1:443'
    )
    expect(transportMessage('bad\u202ename')).toBe('bad\ufffdname')
    expect(transportMessage('z'.repeat(500))).toHaveLength(160)
  })
})

describe('classifyFailure: the code', () => {
  it.each([
    [response(401, ''), 'unauthorized'],
    [response(403, 'Forbidden'), 'forbidden'],
    [
      response(403, '', {
        'x-authentication-denied-reason': 'CAPTCHA_CHALLENGE; login-url=https://j/login.jsp'
      }),
      'captcha-required'
    ],
    [
      response(
        403,
        '<html><body>Basic Authentication has been disabled on this instance.</body></html>'
      ),
      'basic-auth-disabled'
    ],
    [
      response(404, '<html><title>Not Found</title></html>', { 'content-type': 'text/html' }),
      'not-found'
    ],
    [response(407, '', { 'proxy-authenticate': 'Basic realm="corp"' }), 'proxy-error'],
    [response(429, '', { 'retry-after': '30' }), 'rate-limited'],
    [response(500, ''), 'server-error'],
    [response(502, ''), 'server-error'],
    [response(503, ''), 'server-error'],
    [response(301, '', { location: 'https://sso.example.com/' }), 'login-redirect'],
    [response(302, '', { location: 'https://sso.example.com/' }), 'login-redirect'],
    [response(307, ''), 'login-redirect'],
    [
      response(200, '<html><title>Log in</title></html>', {
        'content-type': 'text/html;charset=UTF-8'
      }),
      'login-redirect'
    ],
    [response(200, '  <!DOCTYPE html><html></html>'), 'login-redirect'],
    [response(200, 'not json', { 'content-type': 'text/plain' }), 'unexpected-response'],
    [response(204, ''), 'unexpected-response'],
    [response(400, { errorMessages: ['bad'] }), 'unexpected-response'],
    [timeout('headers'), 'timeout'],
    [timeout('body', 200), 'timeout'],
    [proxyInvalid(), 'proxy-error'],
    [transportError('ECONNREFUSED', 'proxy'), 'proxy-error'],
    [transportError('EPROXYREFUSED', 'proxy', 'refused', 407), 'proxy-error'],
    [transportError('ENOTFOUND'), 'dns-error'],
    [transportError('EAI_AGAIN'), 'dns-error'],
    [transportError('CERT_HAS_EXPIRED'), 'tls-error'],
    [transportError('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls-error'],
    [transportError('SELF_SIGNED_CERT_IN_CHAIN'), 'tls-error'],
    [transportError('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls-error'],
    [transportError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls-error'],
    [transportError('EPROTO'), 'tls-error'],
    [transportError('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls-error'],
    [transportError('ECONNREFUSED'), 'connection-error'],
    [transportError('ECONNRESET', 'body'), 'connection-error'],
    [transportError('EHOSTUNREACH'), 'connection-error']
  ])('%j → %s', (outcome, code) => {
    expect(classifyFailure(probe(outcome)).code).toBe(code)
  })

  it('does not call a 403 CAPTCHA unless the denied-reason header says so', () => {
    expect(classifyFailure(probe(response(403, 'CAPTCHA_CHALLENGE'))).code).toBe('forbidden')
  })
})

describe('classifyFailure: the evidence of each kind', () => {
  it('an answer carries the response evidence, with every Jira header', () => {
    const failure = as(
      classifyFailure(
        probe(
          response(401, '<html><head><title>Unauthorized (401)</title></head></html>', {
            'content-type': 'text/html;charset=UTF-8',
            'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
            'x-authentication-denied-reason': 'CAPTCHA_CHALLENGE',
            'x-ausername': 'anonymous',
            location: 'https://sso.example.com/',
            'proxy-authenticate': 'Basic realm="corp"',
            'retry-after': '7'
          }),
          URL_MYSELF,
          3
        )
      ),
      'unauthorized'
    )
    expect(failure).toEqual({
      code: 'unauthorized',
      response: {
        url: URL_MYSELF,
        attempts: 3,
        elapsedMs: 12,
        status: 401,
        seraphLoginReason: 'AUTHENTICATED_FAILED',
        deniedReason: 'CAPTCHA_CHALLENGE',
        ausername: 'anonymous',
        location: 'https://sso.example.com/',
        proxyAuthenticate: 'Basic realm="corp"',
        retryAfterSeconds: 7,
        contentType: 'text/html;charset=UTF-8',
        bodyExcerpt: 'Unauthorized (401)'
      }
    })
  })

  it('a 407 from the Jira address is a proxy-error with the response, not the network', () => {
    const failure = classifyFailure(probe(response(407, '', { 'proxy-authenticate': 'Basic' })))
    expect(failure).toEqual({
      code: 'proxy-error',
      response: expect.objectContaining({ status: 407, proxyAuthenticate: 'Basic' })
    })
  })

  it('a transport error carries the network evidence, and nothing of a response', () => {
    const failure = classifyFailure(
      probe(
        transportError('ECONNREFUSED', 'connect', 'connect ECONNREFUSED 10.0.0.1:443'),
        URL_MYSELF,
        2
      )
    )
    expect(failure).toEqual({
      code: 'connection-error',
      network: {
        url: URL_MYSELF,
        attempts: 2,
        elapsedMs: 12,
        errno: 'ECONNREFUSED',
        transportMessage: 'connect ECONNREFUSED 10.0.0.1:443'
      }
    })
  })

  it("a refused CONNECT keeps the proxy's status", () => {
    const failure = as(
      classifyFailure(probe(transportError('EPROXYREFUSED', 'proxy', 'HTTP 407', 407))),
      'proxy-error'
    )
    expect('network' in failure && failure.network.proxyStatus).toBe(407)
  })

  it('a timeout carries its phase, and the status once the headers came', () => {
    expect(classifyFailure(probe(timeout('body', 200)))).toEqual({
      code: 'timeout',
      timeout: { url: URL_MYSELF, attempts: 1, elapsedMs: 12, phase: 'body', status: 200 }
    })
    const early = as(classifyFailure(probe(timeout('lookup'))), 'timeout')
    expect(early.timeout.phase).toBe('lookup')
    expect('status' in early.timeout).toBe(false)
  })

  it('an unusable proxy variable names the variable and the reason, never the value', () => {
    expect(classifyFailure(probe(proxyInvalid('HTTPS_PROXY', 'it names no proxy host')))).toEqual({
      code: 'proxy-error',
      variable: 'HTTPS_PROXY',
      reason: 'it names no proxy host',
      url: URL_MYSELF
    })
  })
})

describe('responseEvidence', () => {
  it('says the body was cut rather than quoting a truncated body', () => {
    const outcome = response(200, 'a'.repeat(100), {}, { truncated: true })
    expect(responseEvidence(probe(outcome), outcome).bodyExcerpt).toBe(
      'the body was larger than 1 MiB and was cut'
    )
  })

  it('neutralises every header Jira sent', () => {
    const outcome = response(401, '', { 'x-ausername': 'Mia\n::add-mask::Jira' })
    expect(responseEvidence(probe(outcome), outcome).ausername).toBe('Mia\ufffd::add-mask::Jira')
  })

  it('leaves out what is not there', () => {
    const outcome = response(503, '')
    expect(responseEvidence(probe(outcome), outcome)).toEqual({
      url: URL_MYSELF,
      attempts: 1,
      elapsedMs: 12,
      status: 503
    })
  })

  it('drops a Retry-After it cannot read', () => {
    const outcome = response(429, '', { 'retry-after': 'soon' })
    expect('retryAfterSeconds' in responseEvidence(probe(outcome), outcome)).toBe(false)
  })
})

describe('parseMyself', () => {
  it('accepts a Data Center user', () => {
    const user = { name: 'ci-bot', key: 'JIRAUSER10100', displayName: 'CI Bot', active: true }
    expect(parseMyself(probe(response(200, user)))).toEqual({
      ok: true,
      value: { user, json: JSON.stringify(user) }
    })
  })

  it('accepts a Cloud user (accountId only)', () => {
    const parsed = parseMyself(
      probe(response(200, { accountId: '5b10a2844c20165700ede21g', name: '', key: '' }))
    )
    expect(parsed.ok && parsed.value.user.accountId).toBe('5b10a2844c20165700ede21g')
  })

  it('stringifies a number, reads "false" as false, keeps a null email, and drops an object', () => {
    const parsed = parseMyself(
      probe(response(200, { name: 42, active: 'false', emailAddress: null, displayName: { x: 1 } }))
    )
    expect(parsed.ok && parsed.value.user).toEqual({
      name: '42',
      active: false,
      emailAddress: null
    })
  })

  it.each([
    [response(200, ''), 'the body was empty'],
    [
      response(200, '{"name":', { 'content-type': 'application/json' }),
      'the body was not valid JSON'
    ],
    [response(200, '{"name":"x"}', {}, { truncated: true }), 'the body was larger than 1 MiB'],
    [response(200, { errorMessages: [] }), 'the JSON has no name, key, accountId or displayName'],
    [response(200, [{ name: 'x' }]), 'the JSON was an array, not a Jira user'],
    [
      response(200, 'null', { 'content-type': 'application/json' }),
      'the JSON was null, not a Jira user'
    ],
    [
      response(200, { name: {}, key: [], displayName: null }),
      'the JSON has no name, key, accountId or displayName ("key" is an array, "name" is an object)'
    ]
  ])('rejects %j as unexpected-response: %s', (outcome, detail) => {
    const parsed = parseMyself(probe(outcome))
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    const failure = as(parsed.failure, 'unexpected-response')
    expect(failure.detail).toBe(detail)
    expect(failure.response.status).toBe(200)
    expect(failure.response.url).toBe(URL_MYSELF)
  })

  it('classifies a non-200 answer', () => {
    const parsed = parseMyself(probe(response(401, '')))
    expect(parsed.ok ? 'ok' : parsed.failure.code).toBe('unauthorized')
  })

  it('treats a 200 login page as login-redirect, not as JSON', () => {
    const parsed = parseMyself(
      probe(response(200, '<!DOCTYPE html><html><title>Log in</title></html>'))
    )
    expect(parsed.ok ? 'ok' : parsed.failure.code).toBe('login-redirect')
  })
})

describe('parseServerInfo', () => {
  it('returns the object', () => {
    const info = { version: '9.12.2', deploymentType: 'Server' }
    expect(parseServerInfo(probe(response(200, info)))).toEqual(info)
  })

  it('keeps only the fields it knows, of the right type', () => {
    expect(
      parseServerInfo(
        probe(
          response(200, {
            version: 9,
            buildNumber: '1',
            versionNumbers: [9, 'x'],
            serverTitle: 'Jira',
            extra: 'dropped'
          })
        )
      )
    ).toEqual({ version: '9', serverTitle: 'Jira' })
  })

  it('returns undefined for no probe, a failure, or a non-object', () => {
    expect(parseServerInfo(undefined)).toBeUndefined()
    expect(parseServerInfo(probe(response(503, '')))).toBeUndefined()
    expect(parseServerInfo(probe(transportError('ECONNRESET')))).toBeUndefined()
    expect(parseServerInfo(probe(response(200, [1, 2])))).toBeUndefined()
  })
})

describe('parsePatList', () => {
  it('returns the tokens with a name', () => {
    const tokens = [
      { id: 1, name: 'ci', expiringAt: '2027-01-01T00:00:00.000+00:00' },
      { id: 2, name: 'other' }
    ]
    expect(parsePatList(probe(response(200, [...tokens, { id: 3 }, 'junk'])))).toEqual({
      kind: 'tokens',
      tokens
    })
  })

  it('reads a numeric string id and drops one that is not a number', () => {
    expect(
      parsePatList(
        probe(
          response(200, [
            { id: '12', name: 'a' },
            { id: 'x', name: 'b' }
          ])
        )
      )
    ).toEqual({
      kind: 'tokens',
      tokens: [
        { id: 12, name: 'a' },
        { id: undefined, name: 'b' }
      ]
    })
  })

  it('says a 404 means no PAT API, and that it is no news', () => {
    const result = parsePatList(probe(response(404, '<html></html>')))
    expect(result).toMatchObject({ kind: 'unavailable', expected: true })
    expect(result.kind === 'unavailable' && result.reason).toContain('8.14')
  })

  it.each([401, 403])('says a %d means Jira refused to list', (status) => {
    const result = parsePatList(probe(response(status, '')))
    expect(result).toEqual({
      kind: 'unavailable',
      reason: `Jira refused to list the tokens (HTTP ${status})`
    })
  })

  it('calls a redirect or an HTML page unavailable, not a login failure', () => {
    expect(parsePatList(probe(response(302, '', { location: '/login.jsp' })))).toEqual({
      kind: 'unavailable',
      reason:
        'Jira answered the token list with a redirect (HTTP 302), so no plugin serves it there'
    })
    expect(parsePatList(probe(response(200, '<html><title>Log in</title></html>')))).toEqual({
      kind: 'unavailable',
      reason: 'Jira answered the token list with an HTML page'
    })
  })

  it('calls a non-array unavailable', () => {
    expect(parsePatList(probe(response(200, { tokens: [] }))).kind).toBe('unavailable')
  })

  it('fails on a server error', () => {
    const result = parsePatList(probe(response(500, '')))
    expect(result.kind === 'failed' && result.failure.code).toBe('server-error')
  })
})

describe('parsePermissions', () => {
  const answer = {
    permissions: {
      BROWSE_PROJECTS: { key: 'BROWSE_PROJECTS', havePermission: true },
      CREATE_ISSUES: { key: 'CREATE_ISSUES', havePermission: false }
    }
  }

  it('maps every requested key to granted/unknown', () => {
    const parsed = parsePermissions(
      probe(response(200, answer)),
      ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'NO_SUCH_KEY'],
      ''
    )
    expect(parsed).toEqual({
      ok: true,
      value: [
        { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
        { key: 'CREATE_ISSUES', granted: false, unknown: false },
        { key: 'NO_SUCH_KEY', granted: false, unknown: true }
      ]
    })
  })

  it('reads havePermission "true" as held, and anything else as not', () => {
    const parsed = parsePermissions(
      probe(
        response(200, {
          permissions: { A: { havePermission: 'true' }, B: { havePermission: 1 } }
        })
      ),
      ['A', 'B'],
      ''
    )
    expect(parsed.ok && parsed.value.map((p) => p.granted)).toEqual([true, false])
  })

  it('returns an empty list when nothing was requested', () => {
    expect(parsePermissions(probe(response(200, answer)), [], 'ABC')).toEqual({
      ok: true,
      value: []
    })
  })

  it('turns a 404 with a project into project-not-found', () => {
    const parsed = parsePermissions(
      probe(response(404, { errorMessages: ["No project could be found with key 'ABC'."] })),
      ['BROWSE_PROJECTS'],
      'ABC'
    )
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    const failure = as(parsed.failure, 'project-not-found')
    expect(failure.project).toBe('ABC')
    expect(failure.response.status).toBe(404)
  })

  it('treats a 404 without a project as not-found', () => {
    const parsed = parsePermissions(probe(response(404, '')), ['BROWSE_PROJECTS'], '')
    expect(parsed.ok ? 'ok' : parsed.failure.code).toBe('not-found')
  })

  it("turns a 400 into invalid-input on required-permissions with Jira's message", () => {
    const parsed = parsePermissions(
      probe(response(400, { errorMessages: ['Permission key FOO does not exist'], errors: {} })),
      ['FOO'],
      ''
    )
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    const failure = as(parsed.failure, 'invalid-input')
    expect(failure.input).toBe('required-permissions')
    expect(failure.detail).toBe(
      'Jira rejected the permission check: Permission key FOO does not exist'
    )
    expect(failure.response?.status).toBe(400)
  })

  it('fails without a permissions object', () => {
    const parsed = parsePermissions(probe(response(200, { other: 1 })), ['BROWSE_PROJECTS'], '')
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(as(parsed.failure, 'unexpected-response').detail).toBe('no "permissions" object')
  })
})

describe('jiraMessage', () => {
  it('reads errorMessages, message, error_description, or the text', () => {
    expect(jiraMessage('{"errorMessages":["a","b"]}')).toBe('a b')
    expect(jiraMessage('{"message":"Client must be authenticated","status-code":401}')).toBe(
      'Client must be authenticated'
    )
    expect(jiraMessage('{"error":"invalid_grant","error_description":"Token expired"}')).toBe(
      'Token expired'
    )
    expect(jiraMessage('{"errorMessages":[],"errors":{}}')).toBeUndefined()
    expect(jiraMessage('plain  text')).toBe('plain text')
    expect(jiraMessage('[1]')).toBeUndefined()
  })
})
