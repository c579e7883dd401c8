import { describe, expect, it } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import { cliPlatform } from '../../src/cli/platform.js'
import {
  checkRawOf,
  parseRotateSettings,
  type RotateParseResult
} from '../../src/engine/settings/rotate-parse.js'
import {
  ROTATE_INPUTS,
  type RawRotateSettings,
  type RotateInputName
} from '../../src/engine/settings/rotate-schema.js'
import { rotateSecretsToMask } from '../../src/engine/settings/rotate-secrets.js'
import { PAT } from '../../__fixtures__/settings.js'

const ACTION = actionPlatform({})
const GITHUB_TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'

function raw(overrides: Partial<RawRotateSettings> = {}): RawRotateSettings {
  const defaults = Object.fromEntries(
    ROTATE_INPUTS.map((input) => [input.name, input.default])
  ) as Record<RotateInputName, string>
  return {
    ...defaults,
    domain: 'https://jira.example.com',
    token: PAT,
    'token-name': 'deploy-bot',
    'secret-name': 'JIRA_PAT',
    'secret-repository': 'acme/pipeline',
    'github-token': GITHUB_TOKEN,
    ...overrides
  }
}

function parsed(overrides: Partial<RawRotateSettings> = {}): RotateParseResult {
  return parseRotateSettings(raw(overrides), ACTION)
}

function refused(overrides: Partial<RawRotateSettings>): {
  code: string
  input: string
  detail: string
  suggestion?: string
} {
  const result = parsed(overrides)
  if (result.ok) throw new Error(`expected a refusal for ${JSON.stringify(overrides)}`)
  return result.failure
}

describe('parseRotateSettings: good values', () => {
  it('reads the defaults: a repository secret, 90 days, rotate within 14, revoke the old one', () => {
    const result = parsed()
    if (!result.ok) throw new Error(result.failure.detail)
    const { settings } = result
    expect(settings).toMatchObject({
      tokenName: 'deploy-bot',
      newTokenName: 'deploy-bot',
      expirationDays: 90,
      rotateWithinDays: 14,
      secret: { owner: 'acme', repo: 'pipeline', name: 'JIRA_PAT' },
      githubToken: GITHUB_TOKEN,
      revokeOld: true,
      dryRun: false,
      summary: true
    })
    expect(settings.secret).not.toHaveProperty('environment')
    expect(settings.jira).toMatchObject({
      baseUrl: 'https://jira.example.com',
      token: PAT,
      authScheme: 'bearer',
      timeoutSeconds: 60,
      retries: 2,
      tokenName: 'deploy-bot'
    })
    expect(Object.isFrozen(settings)).toBe(true)
  })

  it('takes an environment secret, another name, and explicit numbers', () => {
    const result = parsed({
      'secret-environment': ' production ',
      'new-token-name': 'deploy-bot 2027',
      'expiration-days': '365',
      'rotate-within-days': '0',
      'revoke-old': 'FALSE',
      'dry-run': 'true'
    })
    if (!result.ok) throw new Error(result.failure.detail)
    expect(result.settings).toMatchObject({
      secret: { owner: 'acme', repo: 'pipeline', environment: 'production', name: 'JIRA_PAT' },
      newTokenName: 'deploy-bot 2027',
      expirationDays: 365,
      rotateWithinDays: 0,
      revokeOld: false,
      dryRun: true
    })
  })

  it('hands the check the Jira half, with its own expiry gates off (the rotation decides)', () => {
    expect(checkRawOf(raw({ 'timeout-seconds': '45', retries: '4' }))).toEqual({
      domain: 'https://jira.example.com',
      token: PAT,
      username: '',
      'client-id': '',
      'client-secret': '',
      'cloud-id': '',
      'timeout-seconds': '45',
      retries: '4',
      'allow-insecure-http': 'false',
      summary: 'false',
      'expected-user': '',
      'required-permissions': '',
      project: '',
      'token-name': 'deploy-bot',
      'token-expires-on': '',
      'expiry-warning-days': '0',
      'expiry-error-days': '0',
      'token-policy': 'off',
      'max-token-lifetime-days': '90',
      'stale-token-days': '90',
      'token-policy-ignore': ''
    })
  })
})

describe('parseRotateSettings: each bad value names its input and shows a good one', () => {
  it.each<[string, Partial<RawRotateSettings>, string, string, RegExp]>([
    ['no domain', { domain: '' }, 'missing-input', 'domain', /JIRA_DOMAIN/],
    ['no token', { token: '' }, 'missing-input', 'token', /JIRA_PAT/],
    [
      'no token-name',
      { 'token-name': ' ' },
      'missing-input',
      'token-name',
      /token-name: deploy-bot/
    ],
    [
      'new name equal to the old one while the old stays',
      { 'revoke-old': 'false' },
      'invalid-input',
      'new-token-name',
      /two tokens would be named "deploy-bot"[\s\S]*new-token-name: deploy-bot-next/
    ],
    [
      'a token name with a line break',
      { 'new-token-name': 'a\nb' },
      'invalid-input',
      'new-token-name',
      /a line break at position 2/
    ],
    [
      'an unexpanded expression as the name',
      { 'token-name': '${{ vars.NAME }}' },
      'invalid-input',
      'token-name',
      /never expanded/
    ],
    [
      'a zero lifetime',
      { 'expiration-days': '0' },
      'invalid-input',
      'expiration-days',
      /at least 1 day, e\.g\. `expiration-days: 90`/
    ],
    [
      'a lifetime in words',
      { 'expiration-days': 'ninety' },
      'invalid-input',
      'expiration-days',
      /e\.g\. 90/
    ],
    [
      'a negative window',
      { 'rotate-within-days': '-1' },
      'invalid-input',
      'rotate-within-days',
      /0 rotates on every run/
    ],
    [
      'no secret-name',
      { 'secret-name': '' },
      'missing-input',
      'secret-name',
      /secret-name: JIRA_PAT/
    ],
    [
      'a secret name with a dash',
      { 'secret-name': 'JIRA-PAT' },
      'invalid-input',
      'secret-name',
      /letters, digits and _/
    ],
    [
      'a GITHUB_ secret name',
      { 'secret-name': 'GITHUB_JIRA' },
      'invalid-input',
      'secret-name',
      /GITHUB_/
    ],
    [
      'no repository at all',
      { 'secret-repository': '' },
      'missing-input',
      'secret-repository',
      /acme\/pipeline/
    ],
    [
      'a repository without owner',
      { 'secret-repository': 'pipeline' },
      'invalid-input',
      'secret-repository',
      /owner\/name/
    ],
    [
      'an environment with a tab',
      { 'secret-environment': 'prod\tx' },
      'invalid-input',
      'secret-environment',
      /a tab/
    ],
    [
      'no github-token',
      { 'github-token': '' },
      'missing-input',
      'github-token',
      /create-github-app-token[\s\S]*forks/
    ],
    [
      'a github-token with a space',
      { 'github-token': 'ghs_a b' },
      'invalid-input',
      'github-token',
      /a space/
    ],
    [
      'the Jira token as github-token',
      { 'github-token': PAT },
      'invalid-input',
      'github-token',
      /same value as `token`/
    ],
    ['revoke-old yes', { 'revoke-old': 'yes' }, 'invalid-input', 'revoke-old', /use true or false/],
    [
      'a timeout in words',
      { 'timeout-seconds': 'soon' },
      'invalid-input',
      'timeout-seconds',
      /e\.g\. 30/
    ]
  ])('%s', (_name, overrides, code, input, message) => {
    const failure = refused(overrides)
    expect({ code: failure.code, input: failure.input }).toEqual({ code, input })
    expect(failure.detail).toMatch(message)
  })

  it('suggests the value meant for secrets.NAME and a repository URL', () => {
    expect(refused({ 'secret-name': 'secrets.JIRA_PAT' }).suggestion).toBe('JIRA_PAT')
    expect(
      refused({ 'secret-repository': 'https://github.com/acme/pipeline.git' }).suggestion
    ).toBe('acme/pipeline')
  })

  it('never echoes the GitHub token in its refusals', () => {
    const token = 'github_pat_11ABCDEFG0123456789 tail'
    const failure = refused({ 'github-token': token })
    expect(failure.detail).not.toContain('github_pat_11ABCDEFG0123456789')
  })

  it('names settings through the platform', () => {
    const result = parseRotateSettings(raw({ 'secret-name': '' }), cliPlatform())
    if (result.ok) throw new Error('expected a refusal')
    expect(result.failure.detail).toMatch(/^`--secret-name` is empty/)
  })
})

describe('rotateSecretsToMask', () => {
  it('masks the Jira token as the check does, and the GitHub token with its pieces', () => {
    const values = rotateSecretsToMask({
      token: ` ${PAT}\n`,
      domain: 'https://user:pa%24s@jira.example.com',
      'github-token': '"ghs_first0000000 ghs_second000000"'
    })
    expect(values).toEqual(
      expect.arrayContaining([
        PAT,
        'pa%24s',
        'pa$s',
        '"ghs_first0000000 ghs_second000000"',
        'ghs_first0000000 ghs_second000000',
        'ghs_first0000000',
        'ghs_second000000'
      ])
    )
  })

  it('leaves an unexpanded expression readable: it is the fix the error shows', () => {
    expect(
      rotateSecretsToMask({
        token: '',
        domain: '',
        'github-token': '${{ steps.app.outputs.token }}'
      })
    ).toEqual([])
  })
})
