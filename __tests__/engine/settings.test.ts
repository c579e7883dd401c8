import { describe, it, expect } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import { cliPlatform } from '../../src/cli/platform.js'
import { describeNote } from '../../src/engine/diagnosis/notes.js'
import type { Platform } from '../../src/engine/diagnosis/platform.js'
import type { Failure, Note } from '../../src/engine/findings.js'
import {
  MAX_RETRIES,
  MAX_TIMEOUT_SECONDS,
  MAX_TOKEN_LENGTH,
  parseSettings,
  type ParseResult,
  type Settings
} from '../../src/engine/settings/parse.js'
import {
  INPUTS,
  actionDescription,
  defaults,
  inputSpec,
  type InputName,
  type InputSpec,
  type RawSettings
} from '../../src/engine/settings/schema.js'
import { PAT, rawFor, settingsFor } from '../../__fixtures__/settings.js'

const ACTION = actionPlatform({})
const CLI = cliPlatform()
const TOKEN = PAT // shape of a DC PAT, 44 chars

function parsed(
  overrides: Partial<RawSettings> = {},
  p: Platform = ACTION
): {
  settings: Settings
  notes: Note[]
} {
  const result = parseSettings(rawFor(overrides), p)
  if (!result.ok)
    throw new Error(`parseSettings refused ${JSON.stringify(overrides)}: ${result.failure.detail}`)
  return result
}

const settingsOf = (overrides: Partial<RawSettings> = {}): Settings => parsed(overrides).settings

type InputFailure = Extract<ParseResult, { ok: false }>['failure']

/** The failure parseSettings returns; fails the test if it accepts the settings. */
function failureOf(overrides: Partial<RawSettings>, p: Platform = ACTION): InputFailure {
  const result = parseSettings(rawFor(overrides), p)
  if (result.ok) throw new Error(`parseSettings accepted ${JSON.stringify(overrides)}`)
  return result.failure
}

describe('the schema', () => {
  it('names every setting once, in kebab-case, with an environment variable only for the five', () => {
    const names = INPUTS.map((input) => input.name)
    expect(new Set(names).size).toBe(names.length)
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/)
    expect(
      (INPUTS as readonly InputSpec[])
        .filter((input) => input.env)
        .map((input) => [input.name, input.env])
    ).toEqual([
      ['domain', 'JIRA_DOMAIN'],
      ['token', 'JIRA_PAT'],
      ['username', 'JIRA_USERNAME'],
      ['client-id', 'JIRA_CLIENT_ID'],
      ['client-secret', 'JIRA_CLIENT_SECRET']
    ])
  })

  it('has two secrets (the token, the client secret) and one action-only setting (summary)', () => {
    const specs = INPUTS as readonly InputSpec[]
    expect(specs.filter((input) => input.secret).map((input) => input.name)).toEqual([
      'token',
      'client-secret'
    ])
    expect(specs.filter((input) => input.actionOnly).map((input) => input.name)).toEqual([
      'summary'
    ])
  })

  it('gives every setting a one-line description ending in a full stop', () => {
    for (const input of INPUTS) {
      expect(input.description).not.toMatch(/\n/)
      expect(input.description).toMatch(/\.$/)
    }
  })

  it('defaults() is the default of every setting, and a fresh object each time', () => {
    expect(defaults()).toEqual({
      domain: '',
      token: '',
      username: '',
      'client-id': '',
      'client-secret': '',
      'cloud-id': '',
      'timeout-seconds': '30',
      retries: '2',
      'allow-insecure-http': 'false',
      summary: 'true',
      'expected-user': '',
      'required-permissions': '',
      project: '',
      'token-name': '',
      'token-expires-on': '',
      'expiry-warning-days': '14',
      'expiry-error-days': '0',
      'token-policy': 'warn',
      'max-token-lifetime-days': '90',
      'stale-token-days': '90',
      'token-policy-ignore': ''
    })
    const first = defaults()
    first.domain = 'changed'
    expect(defaults().domain).toBe('')
  })

  it('actionDescription adds the environment fallback, and only where there is one', () => {
    expect(actionDescription(inputSpec('token'))).toBe(
      `${inputSpec('token').description} Defaults to the JIRA_PAT environment variable.`
    )
    expect(actionDescription(inputSpec('retries'))).toBe(inputSpec('retries').description)
  })

  it('inputSpec finds each setting by name', () => {
    for (const input of INPUTS) expect(inputSpec(input.name as InputName)).toBe(input)
  })

  it('every default parses (with a domain and a token)', () => {
    expect(parseSettings(rawFor(), ACTION).ok).toBe(true)
  })
})

describe('parseSettings: defaults', () => {
  it('parses a minimal good input, exactly as the shared fixture claims', () => {
    const result = parseSettings(
      { ...defaults(), domain: 'https://jira.example.com', token: PAT },
      ACTION
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    // The shared fixture claims to be exactly this: keep it honest.
    expect(result.settings).toEqual(settingsFor())
    expect(result.notes).toEqual([])
    expect(Object.isFrozen(result.settings)).toBe(true)
    expect(Object.isFrozen(result.settings.expectedUsers)).toBe(true)
    expect(Object.isFrozen(result.settings.requiredPermissions)).toBe(true)
  })

  it('gives the same settings whichever front-end words the messages', () => {
    expect(parsed({}, CLI).settings).toEqual(parsed({}, ACTION).settings)
  })

  it('uses basic auth when a username is given', () => {
    const settings = settingsOf({ username: ' ci-bot@example.com ' })
    expect(settings.authScheme).toBe('basic')
    expect(settings.username).toBe('ci-bot@example.com')
  })

  it('accepts a non-ASCII username', () => {
    expect(settingsOf({ username: 'jörg' }).username).toBe('jörg')
  })

  it('rejects a username with a colon', () => {
    const failure = failureOf({ username: 'bob:pw' })
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe('username')
  })

  it('returns a failure instead of throwing, with the notes made before it', () => {
    const result = parseSettings(
      rawFor({ domain: '"https://jira.example.com"', retries: 'x' }),
      ACTION
    )
    expect(result).toEqual({
      ok: false,
      failure: expect.objectContaining({ code: 'invalid-input', input: 'retries' }),
      notes: [{ code: 'quotes-removed', input: 'domain' }]
    })
  })
})

describe('parseSettings: missing inputs', () => {
  it.each([
    ['domain', { domain: '' }, 'JIRA_DOMAIN'],
    ['domain', { domain: '   ' }, 'JIRA_DOMAIN'],
    ['domain', { domain: '""' }, 'JIRA_DOMAIN'],
    ['token', { token: '' }, 'JIRA_PAT'],
    ['token', { token: ' \n ' }, 'JIRA_PAT']
  ] as const)('%s empty (%j) is missing-input', (input, overrides, variable) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('missing-input')
    expect(failure.input).toBe(input)
    expect(failure.detail).toContain(variable)
    expect(failure.detail).toMatch(/forks/)
    expect(failure.detail).toMatch(/Dependabot/)
    expect(failure.detail).toMatch(/environment/)
  })

  it('the CLI says how to give each, and never a secret as a flag', () => {
    const domain = failureOf({ domain: '' }, CLI)
    expect(domain.detail).toContain('`--domain`')
    expect(domain.detail).toContain('export JIRA_DOMAIN')
    expect(domain.detail).not.toMatch(/Dependabot|forks/)
    const token = failureOf({ token: '' }, CLI)
    expect(token.detail).toContain('`JIRA_PAT`, `--token-file PATH` or `--token-stdin`')
    expect(token.detail).toContain('never as a flag')
  })

  it('reports a missing domain before a missing token', () => {
    expect(failureOf({ domain: '', token: '' }).input).toBe('domain')
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
    ['expected-user', { 'expected-user': 'alice, ${{ env.X }}' }],
    ['required-permissions', { 'required-permissions': '$PERMS' }],
    ['project', { project: '${{ vars.P }}' }],
    ['token-name', { 'token-name': '${{ vars.N }}' }],
    ['token-expires-on', { 'token-expires-on': '${{ vars.D }}' }]
  ] as const)('%s %j is invalid-input', (input, overrides) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe(input)
  })

  it('explains an unexpanded ${{ }} expression, where expressions work in each front-end', () => {
    const action = failureOf({ token: '${{ secrets.X }}' }).detail
    expect(action).toContain('never expanded')
    expect(action).toContain('`with:` and `env:`')
    const cli = failureOf({ token: '${{ secrets.X }}' }, CLI).detail
    expect(cli).toContain('GitHub Actions syntax')
    expect(cli).not.toContain('with:')
  })

  it('names the shell variable and suggests an expression in the action', () => {
    const detail = failureOf({ token: '$JIRA_PAT' }).detail
    expect(detail).toContain('"$JIRA_PAT"')
    expect(detail).toContain('${{ env.JIRA_PAT }}')
  })

  it('tells the CLI user to export the variable, or to use double quotes', () => {
    expect(failureOf({ token: '$JIRA_PAT' }, CLI).detail).toContain('Export JIRA_PAT')
    expect(failureOf({ project: '$PROJECT' }, CLI).detail).toContain('`--project "$PROJECT"`')
  })

  it('catches an unexpanded variable behind a pasted "Bearer " prefix', () => {
    // parseToken checks for "$VAR" before it strips "Bearer ": "Bearer $JIRA_PAT" is sent as the
    // literal token "$JIRA_PAT" (and secretsToMask masks it, hiding the fix).
    expect(failureOf({ token: 'Bearer $JIRA_PAT' })).toMatchObject({
      code: 'invalid-input',
      input: 'token'
    })
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
    expect(failure.input).toBe('token')
    expect(failure.detail).toContain(name)
    expect(failure.detail).toContain(`position ${half1.length + 1} of ${token.length}`)
    const everything = JSON.stringify(failure)
    expect(everything).not.toContain(half1)
    expect(everything).not.toContain(half2)
  })

  it.each(['Bearer ', 'bearer ', 'BEARER\t', 'Bearer   '])(
    'strips a %j prefix with a note',
    (prefix) => {
      const { settings, notes } = parsed({ token: `${prefix}${TOKEN}` })
      expect(settings.token).toBe(TOKEN)
      expect(notes).toEqual([{ code: 'bearer-prefix-removed' }])
      const { level, message } = describeNote(notes[0], ACTION)
      expect(level).toBe('warning')
      expect(message).toContain('Bearer')
      expect(message).not.toContain(TOKEN)
    }
  )

  it('does not strip "Bearer" that is part of the token', () => {
    expect(settingsOf({ token: 'BearerXYZ0123456789' }).token).toBe('BearerXYZ0123456789')
  })

  it.each(['Bearer', 'Bearer   ', 'bearer'])(
    'treats %j (the word and no token) as missing-input',
    (token) => {
      const failure = failureOf({ token })
      expect(failure.code).toBe('missing-input')
      expect(failure.input).toBe('token')
      expect(failure.detail).toContain('only the word "Bearer"')
    }
  )

  it('trims surrounding whitespace from the token', () => {
    expect(settingsOf({ token: `  ${TOKEN}\n` }).token).toBe(TOKEN)
  })
})

const CLOUD_ID = '1324a887-45db-1bf4-1e99-ef0ff456d421'

describe('parseSettings: client credentials and the Cloud gateway', () => {
  it('takes a client id and secret instead of a token', () => {
    const settings = settingsOf({ token: '', 'client-id': ' abc ', 'client-secret': '"s3cret"' })
    expect(settings).toMatchObject({
      authScheme: 'client-credentials',
      clientId: 'abc',
      clientSecret: 's3cret',
      token: '',
      username: ''
    })
  })

  it.each<[string, Partial<RawSettings>, string, RegExp]>([
    [
      'a token and client credentials',
      { 'client-id': 'abc', 'client-secret': 'x' },
      'client-id',
      /exclude each other/
    ],
    [
      'a client id without its secret',
      { token: '', 'client-id': 'abc' },
      'client-secret',
      /needs its secret/
    ],
    [
      'a secret without its client id',
      { token: '', 'client-secret': 'x' },
      'client-id',
      /give the client id/
    ],
    [
      'a username with client credentials',
      { token: '', 'client-id': 'abc', 'client-secret': 'x', username: 'bob' },
      'username',
      /Leave `username` empty/
    ]
  ])('refuses %s, naming the input', (_name, overrides, input, detail) => {
    expect(failureOf(overrides)).toMatchObject({
      code: 'invalid-input',
      input,
      detail: expect.stringMatching(detail)
    })
  })

  it('still says missing-input for no credential at all, and names both ways', () => {
    const failure = failureOf({ token: '' })
    expect(failure).toMatchObject({ code: 'missing-input', input: 'token' })
    expect(failure.detail).toContain('`client-id` and `client-secret`')
  })

  it('reads the gateway form of domain as the cloudId', () => {
    expect(
      settingsOf({ domain: `https://api.atlassian.com/ex/jira/${CLOUD_ID.toUpperCase()}` })
    ).toMatchObject({
      gateway: true,
      cloudId: CLOUD_ID,
      baseUrl: `https://api.atlassian.com/ex/jira/${CLOUD_ID.toUpperCase()}`
    })
    expect(
      failureOf({ domain: `https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/api/2/myself` })
    ).toMatchObject({
      input: 'domain',
      suggestion: `https://api.atlassian.com/ex/jira/${CLOUD_ID}`
    })
  })

  it('takes cloud-id on a site, lower-cased', () => {
    expect(
      settingsOf({ domain: 'https://acme.atlassian.net', 'cloud-id': CLOUD_ID.toUpperCase() })
    ).toMatchObject({
      gateway: false,
      cloudId: CLOUD_ID
    })
  })

  it('refuses a cloud-id that is not a UUID, with a good value', () => {
    const failure = failureOf({ 'cloud-id': 'acme' })
    expect(failure).toMatchObject({ code: 'invalid-input', input: 'cloud-id' })
    expect(failure.detail).toContain('1324a887-45db-1bf4-1e99-ef0ff456d421')
  })

  it('decodes an expected-user given URL-encoded, as X-AACCOUNTID carries it', () => {
    expect(settingsOf({ 'expected-user': `712020%3A${CLOUD_ID}` }).expectedUsers).toEqual([
      `712020:${CLOUD_ID}`
    ])
  })
})

describe('parseSettings: the token policy', () => {
  it('reads the policy, its limits and the codes to ignore', () => {
    expect(
      settingsOf({
        'token-policy': ' FAIL ',
        'max-token-lifetime-days': '30',
        'stale-token-days': '0',
        'token-policy-ignore': 'admin-rights,\nPersonal-Account'
      })
    ).toMatchObject({
      tokenPolicy: 'fail',
      maxTokenLifetimeDays: 30,
      staleTokenDays: 0,
      tokenPolicyIgnore: ['admin-rights', 'personal-account']
    })
  })

  it('refuses an unknown policy and an unknown code, showing good ones', () => {
    expect(failureOf({ 'token-policy': 'strict' })).toMatchObject({
      input: 'token-policy',
      detail: expect.stringContaining('warn, fail, off'),
      suggestion: 'warn'
    })
    expect(failureOf({ 'token-policy-ignore': 'no-expiri' })).toMatchObject({
      input: 'token-policy-ignore',
      detail: expect.stringContaining('no-expiry, long-lifetime'),
      suggestion: 'no-expiry'
    })
  })
})

describe('parseSettings: numbers', () => {
  it.each(['abc', '-1', '0', '0.0', '', '1e3', '30s'])('timeout-seconds %j is invalid', (value) => {
    const failure = failureOf({ 'timeout-seconds': value })
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe('timeout-seconds')
  })

  it.each([
    ['30', 30],
    [' 5 ', 5],
    ['1.5', 1.5],
    ['600', 600]
  ])('timeout-seconds %j → %d', (value, expected) => {
    const { settings, notes } = parsed({ 'timeout-seconds': value })
    expect(settings.timeoutSeconds).toBe(expected)
    expect(notes).toEqual([])
  })

  it('caps timeout-seconds with a note', () => {
    const { settings, notes } = parsed({ 'timeout-seconds': '9999' })
    expect(settings.timeoutSeconds).toBe(MAX_TIMEOUT_SECONDS)
    expect(MAX_TIMEOUT_SECONDS).toBe(600)
    expect(notes).toEqual([{ code: 'timeout-capped', given: '9999', cap: 600 }])
    expect(describeNote(notes[0], ACTION)).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('9999')
    })
  })

  it.each([
    ['0', 0],
    ['2', 2],
    ['10', 10]
  ])('retries %j → %d', (retries, expected) => {
    const { settings, notes } = parsed({ retries })
    expect(settings.retries).toBe(expected)
    expect(notes).toEqual([])
  })

  it('caps retries 1000 at 10 with a note', () => {
    const { settings, notes } = parsed({ retries: '1000' })
    expect(settings.retries).toBe(10)
    expect(MAX_RETRIES).toBe(10)
    expect(notes).toEqual([{ code: 'retries-capped', given: '1000', cap: 10 }])
    expect(describeNote(notes[0], ACTION).message).toContain('1000')
  })

  it.each(['-1', 'two', '1.5', ''])('retries %j is invalid', (retries) => {
    const failure = failureOf({ retries })
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe('retries')
  })

  it.each([
    ['expiry-warning-days', { 'expiry-warning-days': 'x' }],
    ['expiry-warning-days', { 'expiry-warning-days': '-3' }],
    ['expiry-error-days', { 'expiry-error-days': '1.5' }]
  ] as const)('%s %j is invalid', (input, overrides) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe(input)
  })

  it('parses the expiry days', () => {
    const settings = settingsOf({ 'expiry-warning-days': '30', 'expiry-error-days': ' 7 ' })
    expect(settings.expiryWarningDays).toBe(30)
    expect(settings.expiryErrorDays).toBe(7)
  })
})

describe('parseSettings: booleans', () => {
  it.each([
    ['summary', { summary: 'yes' }],
    ['summary', { summary: '1' }],
    ['allow-insecure-http', { 'allow-insecure-http': 'on' }]
  ] as const)('%s %j is invalid', (input, overrides) => {
    const failure = failureOf(overrides)
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe(input)
    expect(failure.detail).toContain('use true or false')
  })

  it('parses booleans case-insensitively, with spaces around', () => {
    expect(settingsOf({ summary: ' False ' }).summary).toBe(false)
    expect(settingsOf({ summary: 'TRUE' }).summary).toBe(true)
    expect(settingsOf({ 'allow-insecure-http': 'True' }).allowInsecureHttp).toBe(true)
  })
})

describe('parseSettings: lists, permissions, project, token name', () => {
  it('splits expected-user on commas and new lines, trimming, dropping blanks and duplicates', () => {
    expect(settingsOf({ 'expected-user': 'alice, bob\n carol ,,\n\nalice' }).expectedUsers).toEqual(
      ['alice', 'bob', 'carol']
    )
  })

  it('uppercases permission keys and drops duplicates', () => {
    expect(
      settingsOf({ 'required-permissions': 'browse_projects,\nCreate_Issues, BROWSE_PROJECTS' })
        .requiredPermissions
    ).toEqual(['BROWSE_PROJECTS', 'CREATE_ISSUES'])
  })

  it.each(['BROWSE-PROJECTS', '1ABC', 'browse projects', 'ADMIN;DROP'])(
    'rejects the permission key %j',
    (key) => {
      const failure = failureOf({ 'required-permissions': `BROWSE_PROJECTS, ${key}` })
      expect(failure.code).toBe('invalid-input')
      expect(failure.input).toBe('required-permissions')
      expect(failure.detail).toContain(key.toUpperCase())
    }
  )

  it.each([
    ['abc', 'ABC'],
    [' Proj_1 ', 'PROJ_1'],
    ['10000', '10000'],
    ['', '']
  ])('project %j → %j', (project, expected) => {
    expect(settingsOf({ project }).project).toBe(expected)
  })

  it.each(['AB-1', '1ABC', 'A B', 'ABC/1'])('rejects the project %j', (project) => {
    const failure = failureOf({ project })
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe('project')
  })

  it('keeps token-name as given (trimmed, case preserved)', () => {
    expect(settingsOf({ 'token-name': '  CI token (GitHub) ' }).tokenName).toBe('CI token (GitHub)')
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
  ])('%j → %s', (value, iso) => {
    expect(settingsOf({ 'token-expires-on': value }).tokenExpiresOn?.toISOString()).toBe(iso)
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
  ])('rejects %j', (value) => {
    const failure = failureOf({ 'token-expires-on': value })
    expect(failure.code).toBe('invalid-input')
    expect(failure.input).toBe('token-expires-on')
    expect(failure.detail).toContain(value)
  })
})

describe('parseSettings: token values', () => {
  it.each([
    ['double', `"${PAT}"`],
    ['single', `'${PAT}'`],
    ['double, with spaces inside', `"  ${PAT} "`]
  ])('strips %s quotes with a note that names them', (_name, token) => {
    const { settings, notes } = parsed({ token })
    expect(settings.token).toBe(PAT)
    expect(notes).toEqual([{ code: 'quotes-removed', input: 'token' }])
    expect(describeNote(notes[0], ACTION)).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('`token` was wrapped in quotes')
    })
    expect(JSON.stringify(notes)).not.toContain(PAT)
  })

  it('rejects a lone quote in a Bearer token, naming it', () => {
    const failure = failureOf({ token: `"${PAT}` })
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain('a quote (") at position 1')
  })

  it('strips quotes around domain and username too, in that order', () => {
    const { settings, notes } = parsed({
      domain: '"https://jira.example.com"',
      username: "'bob@example.com'"
    })
    expect(settings.baseUrl).toBe('https://jira.example.com')
    expect(settings.username).toBe('bob@example.com')
    expect(notes).toEqual([
      { code: 'quotes-removed', input: 'domain' },
      { code: 'quotes-removed', input: 'username' }
    ])
  })

  it('rejects a token longer than MAX_TOKEN_LENGTH before any request, without echoing it', () => {
    const token = 'A'.repeat(MAX_TOKEN_LENGTH + 1)
    const failure = failureOf({ token })
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain(`is ${MAX_TOKEN_LENGTH + 1} characters long`)
    expect(JSON.stringify(failure)).not.toContain(token)
  })

  it('accepts a token of exactly MAX_TOKEN_LENGTH', () => {
    const token = 'A'.repeat(MAX_TOKEN_LENGTH)
    expect(settingsOf({ token }).token).toBe(token)
  })

  it('accepts non-ASCII letters and spaces in a Basic password', () => {
    expect(settingsOf({ username: 'jörg', token: 'Pässwörd mit Ümlaut ✓' }).token).toBe(
      'Pässwörd mit Ümlaut ✓'
    )
  })

  it.each([
    ['a line break', 'pass\nword'],
    ['the control character U+0085', 'pass\u0085word'],
    ['a tab', 'pass\tword']
  ])('still rejects %s in a Basic password', (name, token) => {
    expect(failureOf({ username: 'jörg', token }).detail).toContain(name)
  })

  it('keeps a Bearer token ASCII', () => {
    expect(failureOf({ token: `${PAT.slice(0, 10)}é${PAT.slice(11)}` }).detail).toContain(
      'non-ASCII character U+00E9'
    )
  })

  it('takes a $password that is not an upper-case variable name as a Basic password', () => {
    expect(settingsOf({ username: 'bob', token: '$Winter2026' }).token).toBe('$Winter2026')
    expect(failureOf({ username: 'bob', token: '$JIRA_PASSWORD' }).code).toBe('invalid-input')
    expect(failureOf({ token: '$Winter2026' }).code).toBe('invalid-input')
  })
})

/** Every bad input the parser words, on both front-ends. */
const BAD: Array<Partial<RawSettings>> = [
  { domain: '' },
  { token: '' },
  { token: 'Bearer' },
  { domain: 'ftp://jira.example.com' },
  { domain: 'mailto:jira@example.com' },
  { domain: 'https://jira.example.com:0' },
  { domain: 'https://2001:db8::1' },
  { domain: 'https://bob:pw@jira.example.com' },
  { domain: 'https://jira.example.com/?x=1' },
  { domain: 'https://jira.example.com/browse/ABC-1' },
  { domain: 'https://acme.atlassian.net/wiki' },
  { domain: 'http://jira.internal' },
  { domain: 'https://jir\u0430.example.com' },
  { domain: '${{ vars.D }}' },
  { domain: 'https://$HOST' },
  { token: '${{ secrets.T }}' },
  { token: '$JIRA_PAT' },
  { token: 'A'.repeat(MAX_TOKEN_LENGTH + 1) },
  { token: 'abc def' },
  { username: 'bob:pw' },
  { username: '$JIRA_USERNAME' },
  { username: 'bo\tb' },
  { 'timeout-seconds': 'x' },
  { retries: 'x' },
  { 'allow-insecure-http': 'maybe' },
  { summary: 'maybe' },
  { 'expected-user': '$WHO' },
  { 'required-permissions': 'not a key' },
  { project: 'A-1' },
  { 'token-name': '${{ vars.N }}' },
  { 'token-expires-on': 'soon' },
  { 'expiry-warning-days': 'x' },
  { 'expiry-error-days': 'x' },
  { 'client-id': 'abc', 'client-secret': 's3cret' },
  { 'client-secret': '', token: '', 'client-id': 'abc' },
  { 'client-id': '', token: '', 'client-secret': 's3cret' },
  { 'client-id': 'a b', token: '', 'client-secret': 's3cret' },
  { 'client-secret': '${{ secrets.S }}', token: '', 'client-id': 'abc' },
  { username: 'bob', token: '', 'client-id': 'abc', 'client-secret': 's3cret' },
  { 'token-policy': 'strict' },
  { 'token-policy-ignore': 'no-expiri' },
  { 'max-token-lifetime-days': 'ninety' },
  { 'stale-token-days': '-1' },
  { 'cloud-id': 'acme' },
  { 'cloud-id': '$CLOUD_ID' },
  { domain: 'https://api.atlassian.com/ex/jira/not-a-uuid' },
  {
    'cloud-id': '00000000-45db-1bf4-1e99-ef0ff456d421',
    domain: 'https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421'
  }
]

/** No holes in the text, and each front-end's own words only. */
function expectReadsWell(words: string, detail: string, p: Platform): void {
  expect(words).not.toMatch(/undefined|\[object Object\]|NaN/)
  expect(detail).not.toMatch(/ {2}| [.,;:)]/)
  if (p.kind === 'cli') {
    expect(words).not.toContain('with:')
    expect(words).not.toMatch(/runner/i)
  } else {
    expect(words).not.toMatch(/--[a-z]/)
  }
}

describe.each([
  ['action', ACTION],
  ['cli', CLI]
])('every input failure reads well (%s)', (_name, p) => {
  it.each(BAD.map((overrides) => [JSON.stringify(overrides).slice(0, 60), overrides] as const))(
    '%s',
    (_label, overrides) => {
      const failure: Failure = failureOf(overrides, p)
      expect(failure.code === 'missing-input' || failure.code === 'invalid-input').toBe(true)
      expect(failure.input).toBe(Object.keys(overrides)[0])
      expect(failure.detail).toContain(p.setting(failure.input))
      expectReadsWell(JSON.stringify(failure), failure.detail, p)
    }
  )
})
