import { describe, it, expect, jest, beforeEach, afterEach } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'
import { PAT, settingsFor } from '../../__fixtures__/settings.js'

jest.unstable_mockModule('@actions/core', () => core)
const { emitNotes, logLine, report } = await import('../../src/action/report.js')
const { actionPlatform, docsUrl } = await import('../../src/action/platform.js')
const { OUTPUT_NAMES } = await import('../../src/engine/render/outputs.js')
const { redactor } = await import('../../src/engine/settings/secrets.js')
const { failedResult } = await import('../../src/engine/verdict.js')
type CheckResult = import('../../src/engine/verdict.js').CheckResult
type Settings = import('../../src/engine/settings/parse.js').Settings

const TOKEN = PAT
const EVIL = '<script>alert(1)</script> & "x"'
const PLATFORM = actionPlatform({
  GITHUB_ACTION_REPOSITORY: 'acme/jira-auth-check',
  GITHUB_ACTION_REF: 'v1.2.3'
})
const DOCS = 'https://github.com/acme/jira-auth-check/blob/v1.2.3/docs/troubleshooting.md'

const SETTINGS: Settings = settingsFor({
  requiredPermissions: ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'FOO'],
  project: 'ABC'
})

const CONTEXT = {
  baseUrl: 'https://jira.example.com',
  host: 'jira.example.com',
  authScheme: 'bearer' as const,
  timeoutSeconds: 30
}

function success(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    status: 'ok',
    notes: [],
    httpStatus: 200,
    user: {
      name: 'ci-bot',
      key: 'JIRAUSER10100',
      emailAddress: 'ci@example.com',
      displayName: 'CI Bot',
      active: true,
      timeZone: 'Europe/Berlin',
      locale: 'en_US'
    },
    identityJson: '{"name":"ci-bot"}',
    server: { version: '9.12.2', deploymentType: 'Server', serverTitle: 'Jira' },
    expiry: { name: 'ci', matchedBy: 'name', expiresAt: '2026-06-30T00:00:00.000Z', daysLeft: 60 },
    permissions: [
      { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
      { key: 'CREATE_ISSUES', granted: true, unknown: false }
    ],
    context: CONTEXT,
    ...overrides
  }
}

const unauthorized = (): CheckResult => ({
  status: 'failed',
  notes: [],
  httpStatus: 401,
  failure: {
    code: 'unauthorized',
    response: { url: 'https://jira.example.com/rest/api/2/myself', status: 401 }
  },
  context: { ...CONTEXT, tokenLength: 44, tokenShape: 'data-center-pat' }
})

/** The secrets report() masks (it builds its redactors from them). */
const redact = (secrets: string[] = [TOKEN]): string[] => secrets

const exitCode = (): number | string | undefined | null => process.exitCode

const outputs = (): Record<string, string> =>
  Object.fromEntries(core.setOutput.mock.calls.map(([name, value]) => [name, String(value)]))

const ENV = ['GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT'] as const
const savedEnv: Record<string, string | undefined> = {}

beforeEach(() => {
  process.exitCode = undefined
  core.resetSummary()
  core.setOutput.mockReset()
  for (const name of ENV) savedEnv[name] = process.env[name]
  process.env.GITHUB_STEP_SUMMARY = '/tmp/summary.md'
  delete process.env.GITHUB_OUTPUT
})

afterEach(() => {
  process.exitCode = undefined
  for (const name of ENV) {
    if (savedEnv[name] === undefined) delete process.env[name]
    else process.env[name] = savedEnv[name]
  }
})

describe('report: outputs and exit', () => {
  it('sets every output on success, and never fails the step', async () => {
    await report(success(), SETTINGS, redact(), PLATFORM)
    expect(core.setOutput.mock.calls.map(([name]) => name)).toEqual([...OUTPUT_NAMES])
    expect(outputs()).toEqual({
      status: 'ok',
      'error-code': '',
      'http-status': '200',
      'display-name': 'CI Bot',
      email: 'ci@example.com',
      username: 'ci-bot',
      'user-key': 'JIRAUSER10100',
      'account-id': '',
      'account-type': '',
      active: 'true',
      'time-zone': 'Europe/Berlin',
      locale: 'en_US',
      identity: '{"name":"ci-bot"}',
      'deployment-type': 'Server',
      'server-version': '9.12.2',
      'token-name': 'ci',
      'token-expires-at': '2026-06-30T00:00:00.000Z',
      'token-created-at': '',
      'token-last-used-at': '',
      'token-days-left': '60',
      'missing-permissions': '',
      'credential-kind': '',
      'api-base-url': '',
      'cloud-id': '',
      'access-token': '',
      'access-token-expires-at': '',
      'policy-findings': ''
    })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(exitCode()).toBeUndefined()
    expect(core.error).not.toHaveBeenCalled()
    expect(core.warning).not.toHaveBeenCalled()
    expect(core.info).toHaveBeenCalledWith(
      'Authenticated to Jira 9.12.2 as CI Bot (ci-bot, ci@example.com)'
    )
  })

  it('sets every output on failure and fails the step with exactly one annotation', async () => {
    await report(unauthorized(), SETTINGS, redact(), PLATFORM)
    expect(core.setOutput.mock.calls.map(([name]) => name)).toEqual([...OUTPUT_NAMES])
    expect(outputs()).toMatchObject({
      status: 'failed',
      'error-code': 'unauthorized',
      'http-status': '401',
      'display-name': '',
      identity: ''
    })
    // setFailed would add a second error annotation: the exit code is set directly.
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(exitCode()).toBe(1)
    expect(core.error).toHaveBeenCalledTimes(1)
    expect(String(core.error.mock.calls[0][0])).toMatch(/^Jira did not accept the token \(HTTP 401/)
    expect(core.info).not.toHaveBeenCalled()
  })

  it('annotates a failure with core.error, its title and the docs of the running version', async () => {
    await report(unauthorized(), SETTINGS, redact(), PLATFORM)
    const [text, properties] = core.error.mock.calls[0]
    expect(properties).toEqual({ title: 'Jira rejected the token (HTTP 401)' })
    expect(String(text)).toContain('What to do:')
    expect(String(text).endsWith(`${DOCS}#unauthorized`)).toBe(true)
  })

  it('fails the step for an input failure, without settings', async () => {
    await report(
      failedResult({ code: 'missing-input', input: 'token', detail: '`token` is empty.' }),
      undefined,
      redact(),
      PLATFORM
    )
    expect(exitCode()).toBe(1)
    expect(core.error).toHaveBeenCalledWith(expect.stringMatching(/^`token` is empty\./), {
      title: 'Missing input: token'
    })
    expect(outputs()).toMatchObject({
      status: 'failed',
      'error-code': 'missing-input',
      'http-status': ''
    })
  })

  it('warns, without failing, when the token expires within expiry-warning-days', async () => {
    const result = success({
      status: 'warning',
      expiry: { name: 'ci', expiresAt: '2026-05-06T00:00:00.000Z', daysLeft: 5 }
    })
    await report(result, SETTINGS, redact(), PLATFORM)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.error).not.toHaveBeenCalled()
    expect(exitCode()).toBeUndefined()
    expect(core.warning).toHaveBeenCalledTimes(1)
    const [text, properties] = core.warning.mock.calls[0]
    expect(properties).toEqual({ title: 'The token expires soon' })
    expect(String(text)).toContain('The token "ci" expires in 5 days, on 2026-05-06')
    expect(String(text)).toContain('`expiry-warning-days` (14)')
    expect(String(text).endsWith(`${DOCS}#token-expiring`)).toBe(true)
    expect(outputs().status).toBe('warning')
    expect(outputs()['token-days-left']).toBe('5')
  })

  it('neutralises a hostile token name in the expiry warning', async () => {
    const result = success({
      status: 'warning',
      expiry: { name: 'ci\n::error::x', expiresAt: '2026-05-06T00:00:00.000Z', daysLeft: 5 }
    })
    await report(result, SETTINGS, redact(), PLATFORM)
    expect(String(core.warning.mock.calls[0][0])).toContain('"ci\ufffd::error::x"')
  })

  it('lists missing permissions in the output', async () => {
    await report(
      success({
        permissions: [
          { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
          { key: 'CREATE_ISSUES', granted: false, unknown: false },
          { key: 'FOO', granted: false, unknown: true }
        ]
      }),
      SETTINGS,
      redact(),
      PLATFORM
    )
    expect(outputs()['missing-permissions']).toBe('CREATE_ISSUES,FOO')
  })

  it('emits the notes as warnings and notices, worded for the action', async () => {
    await report(
      success({
        notes: [
          { code: 'insecure-http', host: 'jira.internal' },
          { code: 'domain-without-scheme', base: 'https://jira.example.com' }
        ]
      }),
      SETTINGS,
      redact([]),
      PLATFORM
    )
    expect(core.warning.mock.calls).toEqual([
      ['`allow-insecure-http` is on: the token travels in clear text to jira.internal.']
    ])
    expect(core.notice.mock.calls).toEqual([
      ['`domain` has no scheme; using https://jira.example.com.']
    ])
  })

  it('emits the notes of a failure too, before its annotation', async () => {
    const result = failedResult({ code: 'internal-error', detail: 'boom' }, [
      { code: 'tls-override-ignored' }
    ])
    await report(result, undefined, redact([]), PLATFORM)
    expect(core.warning).toHaveBeenCalledTimes(1)
    expect(String(core.warning.mock.calls[0][0])).toContain('NODE_TLS_REJECT_UNAUTHORIZED')
    expect(core.warning.mock.invocationCallOrder[0]).toBeLessThan(
      core.error.mock.invocationCallOrder[0]
    )
  })
})

describe('report: redaction', () => {
  it('removes a secret from annotation text, the title, outputs and the summary', async () => {
    const result: CheckResult = {
      ...failedResult({ code: 'internal-error', detail: `exploded near ${TOKEN}` }),
      user: { displayName: `name ${TOKEN}` }
    }
    await report(result, undefined, redact(), PLATFORM)
    const everything = JSON.stringify([
      core.error.mock.calls,
      core.setFailed.mock.calls,
      core.setOutput.mock.calls,
      core.summary.addRaw.mock.calls
    ])
    expect(everything).not.toContain(TOKEN)
    expect(String(core.error.mock.calls[0][0])).toContain('exploded near ***')
    expect(outputs()['display-name']).toBe('name ***')
  })

  it('removes a secret with HTML characters from the job summary', async () => {
    // A Basic password such as this is escaped in the summary (p&amp;ss...) before the redactor
    // runs, so neither the redactor nor the runner's masking recognises it any more.
    const password = `p&ss<w>"rd'`
    const result = failedResult({ code: 'internal-error', detail: `exploded near ${password}` })
    await report(result, undefined, redact([password]), PLATFORM)
    expect(String(core.error.mock.calls[0][0])).toContain('exploded near ***')
    const html = String(core.summary.addRaw.mock.calls[0][0])
    expect(html).toContain('exploded near ***')
    expect(html).not.toContain('p&amp;ss')
  })

  it('redacts notes', () => {
    emitNotes(
      [{ code: 'domain-without-scheme', base: `https://${TOKEN}.example.com` }],
      redactor(redact()),
      PLATFORM
    )
    expect(core.notice).toHaveBeenCalledWith(
      '`domain` has no scheme; using https://***.example.com.'
    )
  })

  it('logLine redacts and makes sure no line can start a workflow command', () => {
    logLine(`one ${TOKEN}\n::error::two\n  ::add-mask::three`, redactor(redact()))
    expect(core.info).toHaveBeenCalledWith('one ***\n: :error::two\n  : :add-mask::three')
  })
})

describe('report: job summary', () => {
  it('writes the summary with Jira values HTML-escaped', async () => {
    await report(
      success({ user: { name: 'ci-bot', displayName: EVIL } }),
      SETTINGS,
      redact(),
      PLATFORM
    )
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(core.summary.write).toHaveBeenCalledTimes(1)
    const html = String(core.summary.addRaw.mock.calls[0][0])
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;')
    expect(html).not.toContain('<script>')
    expect(html).toContain('✅ The token works')
  })

  it('escapes Jira values in a failure summary too, and links the docs of the running version', async () => {
    const result = failedResult(
      { code: 'forbidden', response: { status: 403, bodyExcerpt: EVIL } },
      [],
      CONTEXT
    )
    await report(result, SETTINGS, redact(), PLATFORM)
    const html = String(core.summary.addRaw.mock.calls[0][0])
    expect(html).toContain('❌ Failed: <code>forbidden</code>')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toContain(`<a href="${DOCS}#forbidden">`)
  })

  it('writes no summary when summary is false', async () => {
    await report(success(), { ...SETTINGS, summary: false }, redact([]), PLATFORM)
    expect(core.summary.addRaw).not.toHaveBeenCalled()
  })

  it('writes no summary outside a runner (no GITHUB_STEP_SUMMARY)', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await report(success(), SETTINGS, redact([]), PLATFORM)
    expect(core.summary.addRaw).not.toHaveBeenCalled()
  })

  it('writes the summary when settings are unknown (input failure)', async () => {
    await report(
      failedResult({ code: 'missing-input', input: 'token', detail: 'empty' }),
      undefined,
      redact([]),
      PLATFORM
    )
    expect(core.summary.write).toHaveBeenCalledTimes(1)
  })

  it('turns a failed summary write into one warning naming the file and the reason, and still fails the step', async () => {
    core.summary.write.mockImplementation(() =>
      Promise.reject(Object.assign(new Error('EISDIR: illegal operation'), { code: 'EISDIR' }))
    )
    await report(unauthorized(), SETTINGS, redact([]), PLATFORM)
    expect(core.warning).toHaveBeenCalledTimes(1)
    const [message, properties] = core.warning.mock.calls[0]
    expect(String(message)).toContain(
      'GITHUB_STEP_SUMMARY (/tmp/summary.md) cannot be written (EISDIR: it is a directory)'
    )
    expect(String(message)).toContain('not with the Jira token')
    expect(String(message)).toContain('status failed (unauthorized)')
    expect(properties).toEqual({ title: "The runner's GITHUB_STEP_SUMMARY file cannot be written" })
    expect(core.error).toHaveBeenCalledTimes(1)
    expect(exitCode()).toBe(1)
  })

  it('does not fail a passing step for a summary that cannot be written', async () => {
    core.summary.write.mockImplementation(() =>
      Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }))
    )
    await report(success(), SETTINGS, redact([]), PLATFORM)
    expect(core.warning).toHaveBeenCalledTimes(1)
    expect(String(core.warning.mock.calls[0][0])).toContain('(EACCES: permission denied)')
    expect(core.error).not.toHaveBeenCalled()
    expect(exitCode()).toBeUndefined()
  })
})

describe('report: a GITHUB_OUTPUT that cannot be written', () => {
  it('says so in one error annotation, prints the verdict to the log and fails the step', async () => {
    core.setOutput.mockImplementation(() => {
      throw Object.assign(new Error("EISDIR: illegal operation on a directory, open '/x'"), {
        code: 'EISDIR'
      })
    })
    process.env.GITHUB_OUTPUT = '/runner/output'
    await report(success(), SETTINGS, redact(), PLATFORM)
    expect(core.setOutput).toHaveBeenCalledTimes(1)
    expect(core.error).toHaveBeenCalledTimes(1)
    const [message, properties] = core.error.mock.calls[0]
    expect(String(message)).toMatch(
      /^GITHUB_OUTPUT \(\/runner\/output\) cannot be written \(EISDIR: it is a directory\)/
    )
    expect(String(message)).toContain('not with the Jira token')
    expect(String(message)).toContain('status ok.')
    expect(properties).toEqual({ title: "The runner's GITHUB_OUTPUT file cannot be written" })
    expect(core.info).toHaveBeenCalledWith('Verdict: status=ok')
    expect(exitCode()).toBe(1)
  })

  it('names a missing folder plainly, and says it when GITHUB_OUTPUT is unset', async () => {
    core.setOutput.mockImplementation(() => {
      throw new Error('Missing file at path: /nowhere/output')
    })
    await report(unauthorized(), SETTINGS, redact([]), PLATFORM)
    const messages = core.error.mock.calls.map(([message]) => String(message))
    expect(messages).toHaveLength(2)
    expect(messages[1]).toContain('GITHUB_OUTPUT (unset)')
    expect(messages[1]).toContain('the file does not exist or cannot be written')
    expect(core.info).toHaveBeenCalledWith('Verdict: status=failed, error-code=unauthorized')
    expect(exitCode()).toBe(1)
  })

  it('neutralises an unknown error message', async () => {
    core.setOutput.mockImplementation(() => {
      throw new Error('weird\n::error::x')
    })
    await report(success(), SETTINGS, redact([]), PLATFORM)
    expect(String(core.error.mock.calls[0][0])).toContain('(weird\ufffd::error::x)')
  })
})

describe('docsUrl', () => {
  it('links the running version of the action', () => {
    expect(docsUrl({ GITHUB_ACTION_REPOSITORY: 'acme/jac', GITHUB_ACTION_REF: 'v2.0.1' })).toBe(
      'https://github.com/acme/jac/blob/v2.0.1/docs/troubleshooting.md'
    )
  })

  it('falls back to the upstream repository and v1', () => {
    expect(docsUrl({ GITHUB_ACTION_REPOSITORY: '', GITHUB_ACTION_REF: '' })).toBe(
      'https://github.com/jira-auth-check/jira-auth-check/blob/v1/docs/troubleshooting.md'
    )
    expect(docsUrl({})).toBe(docsUrl({ GITHUB_ACTION_REPOSITORY: '', GITHUB_ACTION_REF: '' }))
  })

  it('is what actionPlatform links', () => {
    expect(PLATFORM.docsUrl).toBe(DOCS)
  })
})
