import { describe, it, expect, jest, beforeEach } from '@jest/globals'
import * as core from '../__fixtures__/core.js'
import { PAT, settingsFor } from '../__fixtures__/settings.js'

jest.unstable_mockModule('@actions/core', () => core)
const {
  parseSettings,
  readRawInputs,
  secretsToMask,
  InputError,
  MAX_RETRIES,
  MAX_TIMEOUT_SECONDS,
  MAX_TOKEN_LENGTH
} = await import('../src/settings.js')
type RawInputs = import('../src/settings.js').RawInputs
type Note = import('../src/settings.js').Note
type Failure = import('../src/findings.js').Failure

const TOKEN = PAT // shape of a DC PAT, 44 chars

function raw(overrides: Partial<RawInputs> = {}): RawInputs {
  return {
    domain: 'https://jira.example.com',
    token: TOKEN,
    username: '',
    timeoutSeconds: '30',
    retries: '2',
    allowInsecureHttp: 'false',
    summary: 'true',
    expectedUser: '',
    requiredPermissions: '',
    project: '',
    tokenName: '',
    tokenExpiresOn: '',
    expiryWarningDays: '14',
    expiryErrorDays: '0',
    ...overrides
  }
}

/** The failure parseSettings throws; fails the test if it does not throw an InputError. */
function failureOf(overrides: Partial<RawInputs>, notes: Note[] = []): Failure {
  try {
    parseSettings(raw(overrides), notes)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InstanceType<typeof InputError>).failure
  }
  throw new Error(`parseSettings accepted ${JSON.stringify(overrides)}`)
}

beforeEach(() => {
  core.getInput.mockReturnValue('')
})

describe('parseSettings: defaults', () => {
  it('parses a minimal good input', () => {
    const notes: Note[] = []
    const settings = parseSettings(raw(), notes)
    // The shared fixture claims to be exactly this: keep it honest.
    expect(settings).toEqual(settingsFor())
    expect(notes).toEqual([])
    expect(Object.isFrozen(settings)).toBe(true)
  })

  it('uses basic auth when a username is given', () => {
    const settings = parseSettings(raw({ username: ' ci-bot@example.com ' }))
    expect(settings.authScheme).toBe('basic')
    expect(settings.username).toBe('ci-bot@example.com')
  })

  it('accepts a non-ASCII username', () => {
    expect(parseSettings(raw({ username: 'jörg' })).username).toBe('jörg')
  })

  it('rejects a username with a colon', () => {
    const failure = failureOf({ username: 'bob:pw' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe('username')
  })
})

describe('parseSettings: missing inputs', () => {
  it.each([
    ['domain', { domain: '' }, 'JIRA_DOMAIN'],
    ['domain', { domain: '   ' }, 'JIRA_DOMAIN'],
    ['token', { token: '' }, 'JIRA_PAT'],
    ['token', { token: ' \n ' }, 'JIRA_PAT']
  ] as const)('%s empty (%j) is missing-input', (input, overrides, variable) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('missing-input')
    expect(failure.evidence.input).toBe(input)
    expect(failure.evidence.detail).toContain(variable)
    expect(failure.evidence.detail).toMatch(/forks/)
    expect(failure.evidence.detail).toMatch(/Dependabot/)
    expect(failure.evidence.detail).toMatch(/environment/)
  })

  it('reports a missing domain before a missing token', () => {
    expect(failureOf({ domain: '', token: '' }).evidence.input).toBe('domain')
  })
})

describe('parseSettings: unexpanded expressions and variables', () => {
  it.each([
    ['token', { token: '${{ secrets.JIRA_PAT }}' }],
    ['token', { token: '$JIRA_PAT' }],
    ['token', { token: '${JIRA_PAT}' }],
    ['domain', { domain: '${{ vars.JIRA_DOMAIN }}' }],
    ['domain', { domain: '$JIRA_DOMAIN' }],
    ['domain', { domain: 'https://$HOST/jira' }],
    ['username', { username: '${{ secrets.USER }}' }],
    ['expected-user', { expectedUser: 'alice, ${{ env.X }}' }],
    ['project', { project: '${{ vars.P }}' }],
    ['token-name', { tokenName: '${{ vars.N }}' }],
    ['token-expires-on', { tokenExpiresOn: '${{ vars.D }}' }]
  ] as const)('%s %j is invalid-input', (input, overrides) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe(input)
  })

  it('explains an unexpanded ${{ }} expression', () => {
    expect(failureOf({ token: '${{ secrets.X }}' }).evidence.detail).toContain('never expanded')
  })

  it('names the shell variable and suggests an expression', () => {
    const detail = failureOf({ token: '$JIRA_PAT' }).evidence.detail ?? ''
    expect(detail).toContain('"$JIRA_PAT"')
    expect(detail).toContain('${{ env.JIRA_PAT }}')
  })
})

describe('parseSettings: token', () => {
  const half1 = 'abcdEFGH12345678'
  const half2 = 'zyxwVUTS98765432'
  it.each([
    ['a line break', `${half1}\n${half2}`],
    ['a line break', `${half1}\r\n${half2}`],
    ['a tab', `${half1}\t${half2}`],
    ['a space', `${half1} ${half2}`],
    ['the control character U+0000', `${half1}\u0000${half2}`],
    ['the non-ASCII character U+00A0', `${half1}\u00a0${half2}`]
  ])('rejects %s inside the token without echoing it', (name, token) => {
    const failure = failureOf({ token })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe('token')
    expect(failure.evidence.detail).toContain(name)
    expect(failure.evidence.detail).toContain(`position ${half1.length + 1} of ${token.length}`)
    const everything = JSON.stringify(failure)
    expect(everything).not.toContain(half1)
    expect(everything).not.toContain(half2)
  })

  it.each(['Bearer ', 'bearer ', 'BEARER\t', 'Bearer   '])(
    'strips a %j prefix with a warning',
    (prefix) => {
      const notes: Note[] = []
      const settings = parseSettings(raw({ token: `${prefix}${TOKEN}` }), notes)
      expect(settings.token).toBe(TOKEN)
      expect(notes).toHaveLength(1)
      expect(notes[0].level).toBe('warning')
      expect(notes[0].message).toContain('Bearer')
      expect(notes[0].message).not.toContain(TOKEN)
    }
  )

  it('does not strip "Bearer" that is part of the token', () => {
    expect(parseSettings(raw({ token: 'BearerXYZ0123456789' })).token).toBe('BearerXYZ0123456789')
  })

  it.each(['Bearer', 'Bearer   ', 'bearer'])(
    'treats %j (the word and no token) as missing-input',
    (token) => {
      const failure = failureOf({ token })
      expect(failure.code).toBe('missing-input')
      expect(failure.evidence.input).toBe('token')
      expect(failure.evidence.detail).toContain('only the word "Bearer"')
    }
  )

  it('trims surrounding whitespace from the token', () => {
    expect(parseSettings(raw({ token: `  ${TOKEN}\n` })).token).toBe(TOKEN)
  })
})

describe('parseSettings: domain', () => {
  it.each([
    ['https://jira.example.com', 'https://jira.example.com'],
    ['https://jira.example.com/', 'https://jira.example.com'],
    ['https://jira.example.com///', 'https://jira.example.com'],
    ['https://example.com/jira', 'https://example.com/jira'],
    ['https://example.com/jira/', 'https://example.com/jira'],
    ['https://example.com/tools/jira//', 'https://example.com/tools/jira'],
    ['HTTPS://JIRA.Example.COM', 'https://jira.example.com'],
    ['https://jira.example.com:8443/', 'https://jira.example.com:8443'],
    ['https://jira.example.com:443', 'https://jira.example.com'],
    ['https://[::1]:8443', 'https://[::1]:8443'],
    ['https://[2001:db8::1]/jira/', 'https://[2001:db8::1]/jira'],
    ['  https://jira.example.com  ', 'https://jira.example.com']
  ])('%j → %j without notes', (domain, baseUrl) => {
    const notes: Note[] = []
    expect(parseSettings(raw({ domain }), notes).baseUrl).toBe(baseUrl)
    expect(notes).toEqual([])
  })

  it.each([
    ['jira.example.com', 'https://jira.example.com'],
    ['jira.example.com/jira/', 'https://jira.example.com/jira'],
    ['jira.example.com:8443', 'https://jira.example.com:8443'],
    ['localhost:8080', 'https://localhost:8080']
  ])('adds https:// to %j with a notice', (domain, baseUrl) => {
    const notes: Note[] = []
    expect(parseSettings(raw({ domain }), notes).baseUrl).toBe(baseUrl)
    expect(notes).toEqual([
      { level: 'notice', message: `\`domain\` has no scheme; using ${baseUrl}.` }
    ])
  })

  it('rejects credentials in the URL, suggests the URL without them, and masks the password', () => {
    const failure = failureOf({ domain: 'https://bob:s3cr3tPw@jira.example.com/jira/' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe('domain')
    expect(failure.evidence.suggestion).toBe('https://jira.example.com/jira')
    expect(JSON.stringify(failure)).not.toContain('s3cr3tPw')
    expect(JSON.stringify(failure)).not.toContain('bob')
    // The parser is pure: the password is masked by secretsToMask, before parsing.
    expect(core.setSecret).not.toHaveBeenCalled()
    expect(
      secretsToMask({
        domain: 'https://bob:s3cr3tPw@jira.example.com/jira/',
        token: TOKEN,
        username: ''
      })
    ).toContain('s3cr3tPw')
  })

  it('masks a percent-encoded URL password as written and decoded', () => {
    const secrets = secretsToMask({
      domain: 'https://bob:p%40ss%3Aword@jira.example.com',
      token: TOKEN,
      username: ''
    })
    expect(secrets).toContain('p@ss:word')
    expect(secrets).toContain('p%40ss%3Aword')
  })

  it('rejects a user without password in the URL', () => {
    const failure = failureOf({ domain: 'https://bob@jira.example.com' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.suggestion).toBe('https://jira.example.com')
    expect(core.setSecret).not.toHaveBeenCalled()
  })

  it.each([
    ['https://jira.example.com/?x=1', 'https://jira.example.com'],
    ['https://jira.example.com/jira?os_authType=basic', 'https://jira.example.com/jira'],
    ['https://jira.example.com/#frag', 'https://jira.example.com']
  ])('rejects the query or fragment in %j', (domain, suggestion) => {
    const failure = failureOf({ domain })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toMatch(/has a (query string|fragment)/)
    expect(failure.evidence.suggestion).toBe(suggestion)
  })

  it.each([
    ['https://jira.example.com/rest/api/2/myself', 'https://jira.example.com'],
    ['https://jira.example.com/jira/rest/api/2/myself', 'https://jira.example.com/jira'],
    ['https://jira.example.com/browse/ABC-1', 'https://jira.example.com'],
    ['https://jira.example.com/secure/Dashboard.jspa', 'https://jira.example.com'],
    ['https://jira.example.com/jira/login.jsp', 'https://jira.example.com/jira'],
    ['jira.example.com/REST/api/latest/serverInfo', 'https://jira.example.com']
  ])('rejects the API path in %j with the base as suggestion', (domain, suggestion) => {
    const failure = failureOf({ domain })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe('domain')
    expect(failure.evidence.suggestion).toBe(suggestion)
  })

  it('rejects ftp://', () => {
    const failure = failureOf({ domain: 'ftp://jira.example.com/x' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain('ftp://')
    expect(failure.evidence.suggestion).toBe('https://jira.example.com/x')
  })

  it('rejects a scheme without slashes', () => {
    const failure = failureOf({ domain: 'mailto:jira@example.com' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain('not an http(s) URL')
  })

  it('rejects http:// unless allowed', () => {
    const failure = failureOf({ domain: 'http://jira.internal:8080/jira' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain('allow-insecure-http')
    expect(failure.evidence.suggestion).toBe('https://jira.internal:8080/jira')
  })

  it('accepts http:// with allow-insecure-http and warns', () => {
    const notes: Note[] = []
    const settings = parseSettings(
      raw({ domain: 'http://jira.internal:8080/jira/', allowInsecureHttp: 'TRUE' }),
      notes
    )
    expect(settings.baseUrl).toBe('http://jira.internal:8080/jira')
    expect(settings.allowInsecureHttp).toBe(true)
    expect(notes).toHaveLength(1)
    expect(notes[0].level).toBe('warning')
    expect(notes[0].message).toContain('clear text')
    expect(notes[0].message).toContain('jira.internal:8080')
  })

  it('does not warn about https when allow-insecure-http is on', () => {
    const notes: Note[] = []
    parseSettings(raw({ allowInsecureHttp: 'true' }), notes)
    expect(notes).toEqual([])
  })

  it.each(['https://2001:db8::1:8443', '2001:db8::1', 'https://2001:db8::1/jira'])(
    'rejects the unbracketed IPv6 address %j with a hint',
    (domain) => {
      const failure = failureOf({ domain })
      expect(failure.code).toBe('invalid-input')
      expect(failure.evidence.detail).toContain('must be in brackets')
    }
  )

  it('rejects a Cyrillic look-alike letter and names it', () => {
    const failure = failureOf({ domain: 'https://jir\u0430.example.com' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain('U+0430')
    expect(failure.evidence.detail).toContain('position 12')
  })

  it.each([
    ['a space', 'https://jira example.com'],
    ['a tab', 'https://jira.example.com\t/x'],
    ['a line break', 'https://jira.example.com\nhttps://other.example.com']
  ])('rejects %s in the domain', (name, domain) => {
    const failure = failureOf({ domain })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain(name)
  })

  it('rejects something that is not a URL', () => {
    const failure = failureOf({ domain: 'https://' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain('not a valid URL')
  })
})

describe('parseSettings: numbers', () => {
  it.each(['abc', '-1', '0', '0.0', '', '1e3', '30s'])(
    'timeout-seconds %j is invalid',
    (timeoutSeconds) => {
      const failure = failureOf({ timeoutSeconds })
      expect(failure.code).toBe('invalid-input')
      expect(failure.evidence.input).toBe('timeout-seconds')
    }
  )

  it.each([
    ['30', 30],
    [' 5 ', 5],
    ['1.5', 1.5],
    ['600', 600]
  ])('timeout-seconds %j → %d', (timeoutSeconds, expected) => {
    const notes: Note[] = []
    expect(parseSettings(raw({ timeoutSeconds }), notes).timeoutSeconds).toBe(expected)
    expect(notes).toEqual([])
  })

  it('caps timeout-seconds with a warning', () => {
    const notes: Note[] = []
    expect(parseSettings(raw({ timeoutSeconds: '9999' }), notes).timeoutSeconds).toBe(
      MAX_TIMEOUT_SECONDS
    )
    expect(notes).toHaveLength(1)
    expect(notes[0].level).toBe('warning')
    expect(notes[0].message).toContain('9999')
  })

  it.each([
    ['0', 0],
    ['2', 2],
    ['10', 10]
  ])('retries %j → %d', (retries, expected) => {
    const notes: Note[] = []
    expect(parseSettings(raw({ retries }), notes).retries).toBe(expected)
    expect(notes).toEqual([])
  })

  it('caps retries 1000 at 10 with a warning', () => {
    const notes: Note[] = []
    expect(parseSettings(raw({ retries: '1000' }), notes).retries).toBe(10)
    expect(MAX_RETRIES).toBe(10)
    expect(notes).toHaveLength(1)
    expect(notes[0].level).toBe('warning')
    expect(notes[0].message).toContain('1000')
  })

  it.each(['-1', 'two', '1.5', ''])('retries %j is invalid', (retries) => {
    const failure = failureOf({ retries })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe('retries')
  })

  it.each([
    ['expiry-warning-days', { expiryWarningDays: 'x' }],
    ['expiry-warning-days', { expiryWarningDays: '-3' }],
    ['expiry-error-days', { expiryErrorDays: '1.5' }]
  ] as const)('%s %j is invalid', (input, overrides) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe(input)
  })

  it('parses the expiry days', () => {
    const settings = parseSettings(raw({ expiryWarningDays: '30', expiryErrorDays: ' 7 ' }))
    expect(settings.expiryWarningDays).toBe(30)
    expect(settings.expiryErrorDays).toBe(7)
  })
})

describe('parseSettings: booleans', () => {
  it.each([
    ['summary', { summary: 'yes' }],
    ['summary', { summary: '1' }],
    ['allow-insecure-http', { allowInsecureHttp: 'on' }]
  ] as const)('%s %j is invalid', (input, overrides) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe(input)
  })

  it('parses summary case-insensitively', () => {
    expect(parseSettings(raw({ summary: ' False ' })).summary).toBe(false)
    expect(parseSettings(raw({ summary: 'TRUE' })).summary).toBe(true)
  })
})

describe('parseSettings: lists, permissions, project, token name', () => {
  it('splits expected-user on commas and new lines, trimming, dropping blanks and duplicates', () => {
    const settings = parseSettings(raw({ expectedUser: 'alice, bob\n carol ,,\n\nalice' }))
    expect(settings.expectedUsers).toEqual(['alice', 'bob', 'carol'])
  })

  it('uppercases permission keys and drops duplicates', () => {
    const settings = parseSettings(
      raw({ requiredPermissions: 'browse_projects,\nCreate_Issues, BROWSE_PROJECTS' })
    )
    expect(settings.requiredPermissions).toEqual(['BROWSE_PROJECTS', 'CREATE_ISSUES'])
  })

  it.each(['BROWSE-PROJECTS', '1ABC', 'browse projects', 'ADMIN;DROP'])(
    'rejects the permission key %j',
    (key) => {
      const failure = failureOf({ requiredPermissions: `BROWSE_PROJECTS, ${key}` })
      expect(failure.code).toBe('invalid-input')
      expect(failure.evidence.input).toBe('required-permissions')
      expect(failure.evidence.detail).toContain(key.toUpperCase())
    }
  )

  it.each([
    ['abc', 'ABC'],
    [' Proj_1 ', 'PROJ_1'],
    ['10000', '10000'],
    ['', '']
  ])('project %j → %j', (project, expected) => {
    expect(parseSettings(raw({ project })).project).toBe(expected)
  })

  it.each(['AB-1', '1ABC', 'A B', 'ABC/1'])('rejects the project %j', (project) => {
    const failure = failureOf({ project })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe('project')
  })

  it('keeps token-name as given (trimmed, case preserved)', () => {
    expect(parseSettings(raw({ tokenName: '  CI token (GitHub) ' })).tokenName).toBe(
      'CI token (GitHub)'
    )
  })
})

describe('parseSettings: token-expires-on', () => {
  it.each([
    ['2027-03-31', '2027-03-31T00:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2027-03-31T12:00:00Z', '2027-03-31T12:00:00.000Z'],
    ['2027-03-31T12:00Z', '2027-03-31T12:00:00.000Z'],
    ['2027-03-31T12:00:00.500+02:00', '2027-03-31T10:00:00.500Z'],
    ['2027-03-31T12:00:00-0130', '2027-03-31T13:30:00.000Z']
  ])('%j → %s', (tokenExpiresOn, iso) => {
    expect(parseSettings(raw({ tokenExpiresOn })).tokenExpiresOn?.toISOString()).toBe(iso)
  })

  it.each([
    '2027-02-30',
    '2027-02-29',
    '2027-13-01',
    '2027-3-31',
    '31/03/2027',
    'tomorrow',
    '2027-03-31T12:00:00',
    '2027-03-31 12:00Z'
  ])('rejects %j', (tokenExpiresOn) => {
    const failure = failureOf({ tokenExpiresOn })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.input).toBe('token-expires-on')
    expect(failure.evidence.detail).toContain(tokenExpiresOn)
  })
})

describe('secretsToMask', () => {
  it('returns nothing for an empty token', () => {
    expect(secretsToMask({ token: '  ', username: 'bob' })).toEqual([])
  })

  it('masks the token as given and trimmed', () => {
    expect(secretsToMask({ token: ` ${TOKEN}\n`, username: '' })).toEqual([` ${TOKEN}\n`, TOKEN])
  })

  it('includes base64(username:token) when a username is set', () => {
    const secrets = secretsToMask({
      token: 'apitoken-1234567890',
      username: ' ci-bot@example.com '
    })
    const credential = Buffer.from('ci-bot@example.com:apitoken-1234567890').toString('base64')
    expect(secrets).toContain(credential)
    expect(secrets).toContain('apitoken-1234567890')
  })

  it('derives the Basic credential from the token without a "Bearer " prefix', () => {
    const secrets = secretsToMask({ token: 'Bearer apitoken-1234567890', username: 'bob' })
    expect(secrets).toContain(Buffer.from('bob:apitoken-1234567890').toString('base64'))
  })

  it('masks the bare token but never the lone word "Bearer"', () => {
    const secrets = secretsToMask({ token: `Bearer ${TOKEN}`, username: '' })
    expect(secrets).toContain(TOKEN)
    expect(secrets).toContain(`Bearer ${TOKEN}`)
    expect(secrets).not.toContain('Bearer')
    expect(secrets.every((secret) => secret.includes(TOKEN))).toBe(true)
  })

  it('masks each long piece of a token holding whitespace, but not short common words', () => {
    const secrets = secretsToMask({ token: 'abcdEFGH12345678\nzyxwVUTS98765432 and', username: '' })
    expect(secrets).toContain('abcdEFGH12345678')
    expect(secrets).toContain('zyxwVUTS98765432')
    expect(secrets).not.toContain('and')
  })

  it('never returns an empty string', () => {
    expect(secretsToMask({ token: 'Bearer x', username: '' })).not.toContain('')
  })
})

describe('readRawInputs', () => {
  it('reads inputs through core.getInput, with the documented defaults', () => {
    core.getInput.mockImplementation(
      (name) => ({ domain: 'https://d', token: 't0k', project: 'ABC' })[name] ?? ''
    )
    expect(readRawInputs({})).toEqual({
      domain: 'https://d',
      token: 't0k',
      username: '',
      timeoutSeconds: '30',
      retries: '2',
      allowInsecureHttp: 'false',
      summary: 'true',
      expectedUser: '',
      requiredPermissions: '',
      project: 'ABC',
      tokenName: '',
      tokenExpiresOn: '',
      expiryWarningDays: '14',
      expiryErrorDays: '0'
    })
  })

  it('falls back to JIRA_DOMAIN, JIRA_PAT and JIRA_USERNAME', () => {
    const inputs = readRawInputs({
      JIRA_DOMAIN: ' jira.example.com ',
      JIRA_PAT: ' pat\n',
      JIRA_USERNAME: 'bob '
    })
    expect(inputs.domain).toBe('jira.example.com')
    expect(inputs.token).toBe('pat')
    expect(inputs.username).toBe('bob')
  })

  it('prefers the input over the environment variable', () => {
    core.getInput.mockImplementation((name) => (name === 'token' ? 'from-input' : ''))
    expect(readRawInputs({ JIRA_PAT: 'from-env' }).token).toBe('from-input')
  })
})

describe('secretsToMask: the word "Bearer" alone', () => {
  it.each(['Bearer', 'Bearer  ', 'bearer'])('masks nothing for %j', (token) => {
    expect(secretsToMask({ token, username: 'bob' })).toEqual([])
  })
})

describe('parseSettings: domain hints lead to the base URL in one step', () => {
  it.each([
    [
      'https://jira.example.com:8443/jira/browse/ABC-1?focusedCommentId=1#comment-1',
      'https://jira.example.com:8443/jira'
    ],
    ['https://jira.example.com/jira/rest', 'https://jira.example.com/jira'],
    ['https://jira.example.com/rest/', 'https://jira.example.com'],
    ['https://jira.example.com/jira/projects/ABC/issues/ABC-1', 'https://jira.example.com/jira'],
    ['https://jira.example.com/secure/RapidBoard.jspa?rapidView=1', 'https://jira.example.com'],
    ['https://jira.example.com/jira/plugins/servlet/desk', 'https://jira.example.com/jira'],
    [
      'https://acme.atlassian.net/jira/software/projects/ABC/boards/1',
      'https://acme.atlassian.net'
    ],
    ['https://acme.atlassian.net/browse/ABC-1', 'https://acme.atlassian.net'],
    ['https://acme.atlassian.net/wiki', 'https://acme.atlassian.net']
  ])('%s suggests %s', (domain, suggestion) => {
    const failure = failureOf({ domain })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.suggestion).toBe(suggestion)
  })

  it('keeps a context path that merely looks like a word', () => {
    expect(parseSettings(raw({ domain: 'https://example.com/tools/jira' })).baseUrl).toBe(
      'https://example.com/tools/jira'
    )
    expect(parseSettings(raw({ domain: 'https://example.com/projects' })).baseUrl).toBe(
      'https://example.com/projects'
    )
  })

  it.each([
    ['https://jira.example.com:0', 'https://jira.example.com'],
    ['https://jira.example.com:70000/jira', 'https://jira.example.com/jira'],
    ['jira.example.com:99999', 'https://jira.example.com']
  ])('rejects the port in %s and suggests %s', (domain, suggestion) => {
    const failure = failureOf({ domain })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toMatch(/a port is a number from 1 to 65535/)
    expect(failure.evidence.suggestion).toBe(suggestion)
  })

  it('accepts ports 1 and 65535', () => {
    expect(parseSettings(raw({ domain: 'https://h:1' })).baseUrl).toBe('https://h:1')
    expect(parseSettings(raw({ domain: 'https://h:65535' })).baseUrl).toBe('https://h:65535')
  })
})

describe('parseSettings: token values', () => {
  it.each([
    ['double', `"${PAT}"`],
    ['single', `'${PAT}'`],
    ['double, with spaces inside', `"  ${PAT} "`]
  ])('strips %s quotes with a warning that names them', (_name, token) => {
    const notes: Note[] = []
    expect(parseSettings(raw({ token }), notes).token).toBe(PAT)
    expect(notes).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining('`token` was wrapped in quotes')
      })
    ])
    expect(JSON.stringify(notes)).not.toContain(PAT)
  })

  it('rejects a lone quote in a Bearer token, naming it', () => {
    const failure = failureOf({ token: `"${PAT}` })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain('a quote (") at position 1')
  })

  it('strips quotes around domain and username too', () => {
    const notes: Note[] = []
    const settings = parseSettings(
      raw({ domain: '"https://jira.example.com"', username: "'bob@example.com'" }),
      notes
    )
    expect(settings.baseUrl).toBe('https://jira.example.com')
    expect(settings.username).toBe('bob@example.com')
    expect(notes.map((note) => note.message).join('\n')).toMatch(
      /`domain` was wrapped[\s\S]*`username` was wrapped/
    )
  })

  it('rejects a token longer than MAX_TOKEN_LENGTH before any request, without echoing it', () => {
    const token = 'A'.repeat(MAX_TOKEN_LENGTH + 1)
    const failure = failureOf({ token })
    expect(failure.code).toBe('invalid-input')
    expect(failure.evidence.detail).toContain(`is ${MAX_TOKEN_LENGTH + 1} characters long`)
    expect(JSON.stringify(failure)).not.toContain(token)
  })

  it('accepts a token of exactly MAX_TOKEN_LENGTH', () => {
    const token = 'A'.repeat(MAX_TOKEN_LENGTH)
    expect(parseSettings(raw({ token })).token).toBe(token)
  })

  it('accepts non-ASCII letters and spaces in a Basic password', () => {
    const settings = parseSettings(raw({ username: 'jörg', token: 'Pässwörd mit Ümlaut ✓' }))
    expect(settings.token).toBe('Pässwörd mit Ümlaut ✓')
  })

  it.each([
    ['a line break', 'pass\nword'],
    ['the control character U+0085', 'pass\u0085word'],
    ['a tab', 'pass\tword']
  ])('still rejects %s in a Basic password', (name, token) => {
    const failure = failureOf({ username: 'jörg', token })
    expect(failure.evidence.detail).toContain(name)
  })

  it('keeps a Bearer token ASCII', () => {
    expect(failureOf({ token: `${PAT.slice(0, 10)}é${PAT.slice(11)}` }).evidence.detail).toContain(
      'non-ASCII character U+00E9'
    )
  })

  it('takes a $password that is not an upper-case variable name as a Basic password', () => {
    expect(parseSettings(raw({ username: 'bob', token: '$Winter2026' })).token).toBe('$Winter2026')
    expect(failureOf({ username: 'bob', token: '$JIRA_PASSWORD' }).code).toBe('invalid-input')
    expect(failureOf({ token: '$Winter2026' }).code).toBe('invalid-input')
  })
})

describe('secretsToMask: what is not a secret stays readable', () => {
  it.each(['${{ secrets.JIRA_PAT }}', '$JIRA_PAT', '${JIRA_PAT}'])(
    'masks nothing for the unexpanded %j',
    (token) => {
      expect(secretsToMask({ token, username: '' })).toEqual([])
    }
  )

  it('masks a $password with Basic auth', () => {
    expect(secretsToMask({ token: '$Winter2026', username: 'bob' })).toContain('$Winter2026')
  })

  it('masks the value inside quotes and derives the Basic credential from it', () => {
    const secrets = secretsToMask({ token: `'s3cr3t-v4lue'`, username: '"bob"' })
    expect(secrets).toContain('s3cr3t-v4lue')
    expect(secrets).toContain(Buffer.from('bob:s3cr3t-v4lue').toString('base64'))
  })
})
