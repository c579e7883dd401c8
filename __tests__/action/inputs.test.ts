import { describe, it, expect, jest, beforeEach } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readInputs } = await import('../../src/action/inputs.js')
const { INPUTS, defaults } = await import('../../src/engine/settings/schema.js')

beforeEach(() => {
  core.getInput.mockReturnValue('')
})

describe('readInputs', () => {
  it('reads every input of the schema through core.getInput, with the schema defaults', () => {
    core.getInput.mockImplementation(
      (name) => ({ domain: 'https://d', token: 't0k', project: 'ABC' })[name] ?? ''
    )
    expect(readInputs({})).toEqual({
      domain: 'https://d',
      token: 't0k',
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
      project: 'ABC',
      'token-name': '',
      'token-expires-on': '',
      'expiry-warning-days': '14',
      'expiry-error-days': '0',
      'token-policy': 'warn',
      'max-token-lifetime-days': '90',
      'stale-token-days': '90',
      'token-policy-ignore': ''
    })
    expect(core.getInput.mock.calls.map(([name]) => name)).toEqual(
      INPUTS.map((input) => input.name)
    )
  })

  it('is the schema defaults when nothing is given', () => {
    expect(readInputs({})).toEqual(defaults())
  })

  it('passes every value through as given', () => {
    core.getInput.mockImplementation((name) => (name === 'expected-user' ? 'alice,\nbob' : ''))
    expect(readInputs({})['expected-user']).toBe('alice,\nbob')
  })

  it('falls back to JIRA_DOMAIN, JIRA_PAT and JIRA_USERNAME, trimmed', () => {
    const inputs = readInputs({
      JIRA_DOMAIN: ' jira.example.com ',
      JIRA_PAT: ' pat\n',
      JIRA_USERNAME: 'bob '
    })
    expect(inputs.domain).toBe('jira.example.com')
    expect(inputs.token).toBe('pat')
    expect(inputs.username).toBe('bob')
  })

  it('reads no environment variable for the other inputs', () => {
    expect(readInputs({ RETRIES: '9', JIRA_RETRIES: '9', INPUT_RETRIES: '9' }).retries).toBe('2')
  })

  it('prefers the input over the environment variable', () => {
    core.getInput.mockImplementation((name) => (name === 'token' ? 'from-input' : ''))
    expect(readInputs({ JIRA_PAT: 'from-env' }).token).toBe('from-input')
  })

  it('ignores an environment variable that is only whitespace', () => {
    expect(readInputs({ JIRA_DOMAIN: '  \n' }).domain).toBe('')
  })

  it('reads process.env by default', () => {
    const saved = process.env.JIRA_USERNAME
    process.env.JIRA_USERNAME = 'from-process-env'
    try {
      expect(readInputs().username).toBe('from-process-env')
    } finally {
      if (saved === undefined) delete process.env.JIRA_USERNAME
      else process.env.JIRA_USERNAME = saved
    }
  })
})
