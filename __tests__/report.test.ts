import { describe, it, expect, jest, beforeEach, afterEach } from '@jest/globals'
import * as core from '../__fixtures__/core.js'
import { PAT, settingsFor } from '../__fixtures__/settings.js'

jest.unstable_mockModule('@actions/core', () => core)
const { OUTPUT_NAMES, docsUrl, emitNotes, failedResult, outputsOf, redactor, report } =
  await import('../src/report.js')
const { escapeHtml, renderSummary } = await import('../src/summary.js')
const { diagnose } = await import('../src/diagnosis.js')
type CheckResult = import('../src/check.js').CheckResult
type Settings = import('../src/settings.js').Settings

const TOKEN = PAT
const EVIL = '<script>alert(1)</script> & "x"'

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
    evidence: { url: 'https://jira.example.com/rest/api/2/myself', status: 401 }
  },
  context: { ...CONTEXT, tokenLength: 44, tokenShape: 'data-center-pat' }
})

const exitCode = (): number | string | undefined | null => process.exitCode

const outputs = (): Record<string, string> =>
  Object.fromEntries(core.setOutput.mock.calls.map(([name, value]) => [name, String(value)]))

const ENV = ['GITHUB_STEP_SUMMARY', 'GITHUB_ACTION_REPOSITORY', 'GITHUB_ACTION_REF'] as const
const savedEnv: Record<string, string | undefined> = {}

beforeEach(() => {
  process.exitCode = undefined
  core.resetSummary()
  for (const name of ENV) savedEnv[name] = process.env[name]
  process.env.GITHUB_STEP_SUMMARY = '/tmp/summary.md'
  process.env.GITHUB_ACTION_REPOSITORY = 'acme/jira-auth-check'
  process.env.GITHUB_ACTION_REF = 'v1.2.3'
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
    await report(success(), SETTINGS, [TOKEN])
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
      active: 'true',
      'time-zone': 'Europe/Berlin',
      locale: 'en_US',
      identity: '{"name":"ci-bot"}',
      'deployment-type': 'Server',
      'server-version': '9.12.2',
      'token-name': 'ci',
      'token-expires-at': '2026-06-30T00:00:00.000Z',
      'token-days-left': '60',
      'missing-permissions': ''
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
    await report(unauthorized(), SETTINGS, [TOKEN])
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
  })

  it('annotates a failure with core.error and its title', async () => {
    await report(unauthorized(), SETTINGS, [TOKEN])
    expect(core.error).toHaveBeenCalledTimes(1)
    const [text, properties] = core.error.mock.calls[0]
    expect(properties).toEqual({ title: 'Jira rejected the token (HTTP 401)' })
    expect(String(text)).toContain('What to do:')
    expect(
      String(text).endsWith(
        'https://github.com/acme/jira-auth-check/blob/v1.2.3/docs/troubleshooting.md#unauthorized'
      )
    ).toBe(true)
  })

  it('warns, without failing, when the token expires within expiry-warning-days', async () => {
    const result = success({
      status: 'warning',
      expiry: { name: 'ci', expiresAt: '2026-05-06T00:00:00.000Z', daysLeft: 5 }
    })
    await report(result, SETTINGS, [TOKEN])
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.error).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledTimes(1)
    const [text, properties] = core.warning.mock.calls[0]
    expect(properties).toEqual({ title: 'The token expires soon' })
    expect(String(text)).toContain('The token "ci" expires in 5 days, on 2026-05-06')
    expect(String(text)).toContain('expiry-warning-days (14)')
    expect(outputs().status).toBe('warning')
    expect(outputs()['token-days-left']).toBe('5')
  })

  it('lists missing permissions in the output', () => {
    const result = success({
      permissions: [
        { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
        { key: 'CREATE_ISSUES', granted: false, unknown: false },
        { key: 'FOO', granted: false, unknown: true }
      ]
    })
    expect(outputsOf(result)['missing-permissions']).toBe('CREATE_ISSUES,FOO')
  })

  it('emits the notes as warnings and notices', async () => {
    await report(
      success({
        notes: [
          { level: 'warning', message: 'w1' },
          { level: 'notice', message: 'n1' }
        ]
      }),
      SETTINGS,
      []
    )
    expect(core.warning.mock.calls).toEqual([['w1']])
    expect(core.notice.mock.calls).toEqual([['n1']])
  })
})

describe('report: redaction', () => {
  it('removes a secret from annotation text, the failure message and outputs', async () => {
    const result = failedResult({
      code: 'internal-error',
      evidence: { detail: `exploded near ${TOKEN}` }
    })
    result.user = { displayName: `name ${TOKEN}` }
    await report(result, undefined, [TOKEN])
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

  it('redacts notes', () => {
    emitNotes([{ level: 'notice', message: `x ${TOKEN} y` }], redactor([TOKEN]))
    expect(core.notice).toHaveBeenCalledWith('x *** y')
  })

  it('replaces longer secrets first and every occurrence', () => {
    const redact = redactor(['abc', 'abcdef', ''])
    expect(redact('abcdef abc abcdef')).toBe('*** *** ***')
    expect(redactor([])('unchanged')).toBe('unchanged')
  })
})

describe('report: job summary', () => {
  it('writes the summary with Jira values HTML-escaped', async () => {
    await report(success({ user: { name: 'ci-bot', displayName: EVIL } }), SETTINGS, [TOKEN])
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(core.summary.write).toHaveBeenCalledTimes(1)
    const html = String(core.summary.addRaw.mock.calls[0][0])
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;')
    expect(html).not.toContain('<script>')
    expect(html).toContain('✅ The token works')
  })

  it('escapes Jira values in a failure summary too', async () => {
    const result = failedResult(
      { code: 'forbidden', evidence: { status: 403, bodyExcerpt: EVIL } },
      CONTEXT
    )
    await report(result, SETTINGS, [TOKEN])
    const html = String(core.summary.addRaw.mock.calls[0][0])
    expect(html).toContain('❌ Failed: <code>forbidden</code>')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
  })

  it('writes no summary when summary is false', async () => {
    await report(success(), { ...SETTINGS, summary: false }, [])
    expect(core.summary.addRaw).not.toHaveBeenCalled()
  })

  it('writes no summary outside a runner (no GITHUB_STEP_SUMMARY)', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await report(success(), SETTINGS, [])
    expect(core.summary.addRaw).not.toHaveBeenCalled()
  })

  it('writes the summary when settings are unknown (input failure)', async () => {
    await report(
      failedResult({ code: 'missing-input', evidence: { input: 'token', detail: 'empty' } }),
      undefined,
      []
    )
    expect(core.summary.write).toHaveBeenCalledTimes(1)
  })

  it('turns a failed summary write into one warning naming the file and the reason, and still fails the step', async () => {
    core.summary.write.mockImplementation(() =>
      Promise.reject(Object.assign(new Error('EISDIR: illegal operation'), { code: 'EISDIR' }))
    )
    await report(unauthorized(), SETTINGS, [])
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
})

describe('report: a GITHUB_OUTPUT that cannot be written', () => {
  it('says so in one error annotation, prints the verdict to the log and fails the step', async () => {
    core.setOutput.mockImplementation(() => {
      throw Object.assign(new Error("EISDIR: illegal operation on a directory, open '/x'"), {
        code: 'EISDIR'
      })
    })
    try {
      process.env.GITHUB_OUTPUT = '/runner/output'
      await report(success(), SETTINGS, [TOKEN])
    } finally {
      delete process.env.GITHUB_OUTPUT
      core.setOutput.mockReset()
    }
    expect(core.error).toHaveBeenCalledTimes(1)
    const [message, properties] = core.error.mock.calls[0]
    expect(String(message)).toMatch(
      /^GITHUB_OUTPUT \(\/runner\/output\) cannot be written \(EISDIR: it is a directory\)/
    )
    expect(String(message)).toContain('not with the Jira token')
    expect(properties).toEqual({ title: "The runner's GITHUB_OUTPUT file cannot be written" })
    expect(core.info).toHaveBeenCalledWith('Verdict: status=ok')
    expect(exitCode()).toBe(1)
  })

  it('names a missing folder plainly', async () => {
    core.setOutput.mockImplementation(() => {
      throw new Error('Missing file at path: /nowhere/output')
    })
    try {
      await report(unauthorized(), SETTINGS, [])
    } finally {
      core.setOutput.mockReset()
    }
    const messages = core.error.mock.calls.map(([message]) => String(message))
    expect(messages).toHaveLength(2)
    expect(messages[1]).toContain('the file does not exist or cannot be written')
    expect(core.info).toHaveBeenCalledWith('Verdict: status=failed, error-code=unauthorized')
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
  })

  it('reads process.env by default', () => {
    expect(docsUrl()).toBe(
      'https://github.com/acme/jira-auth-check/blob/v1.2.3/docs/troubleshooting.md'
    )
  })
})

describe('failedResult', () => {
  it('wraps a failure', () => {
    const failure = { code: 'internal-error' as const, evidence: { detail: 'x' } }
    expect(failedResult(failure)).toEqual({ status: 'failed', failure, notes: [], context: {} })
  })
})

describe('escapeHtml', () => {
  it('escapes the five HTML characters and stringifies empties', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    )
    expect(escapeHtml(undefined)).toBe('')
    expect(escapeHtml(null)).toBe('')
    expect(escapeHtml(3)).toBe('3')
  })
})

describe('renderSummary', () => {
  const LINK = 'https://github.com/acme/jac/blob/v1/docs/troubleshooting.md'

  it('shows identity, server, token and permissions', () => {
    const html = renderSummary(
      success({
        permissions: [
          { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
          { key: 'CREATE_ISSUES', granted: false, unknown: false },
          { key: 'FOO', granted: false, unknown: true }
        ]
      }),
      SETTINGS,
      undefined,
      LINK
    )
    expect(html).toContain('<th align="left">Display name</th><td>CI Bot</td>')
    expect(html).toContain('<th align="left">URL</th><td>https://jira.example.com</td>')
    expect(html).toContain('<th align="left">Version</th><td>9.12.2</td>')
    expect(html).toContain('2026-06-30 (60 days left)')
    expect(html).toContain('<h3>Permissions in ABC</h3>')
    expect(html).toContain('<td><code>BROWSE_PROJECTS</code></td><td>✅</td>')
    expect(html).toContain('<td><code>CREATE_ISSUES</code></td><td>❌</td>')
    expect(html).toContain('<td><code>FOO</code></td><td>❓ unknown key</td>')
    expect(html).not.toContain('Account ID')
    expect(html).not.toContain('Verdict')
  })

  it('flags a short expiry and says "never" for a non-expiring token', () => {
    const soon = renderSummary(
      success({ expiry: { name: 'ci', expiresAt: '2026-05-02T00:00:00.000Z', daysLeft: 1 } }),
      SETTINGS,
      undefined,
      LINK
    )
    expect(soon).toContain('2026-05-02 (⚠️ <b>1 day left</b>)')
    const never = renderSummary(
      success({ expiry: { name: 'ci', nonExpiring: true, matchedBy: 'only-token' } }),
      SETTINGS,
      undefined,
      LINK
    )
    expect(never).toContain('<th align="left">Expires</th><td>never</td>')
    expect(never).toContain('the account&#39;s only token')
  })

  it('explains an unknown expiry', () => {
    const html = renderSummary(
      success({ expiry: { unknownBecause: 'no <PAT> API' } }),
      SETTINGS,
      undefined,
      LINK
    )
    expect(html).toContain('unknown: no &lt;PAT&gt; API')
  })

  it('ends a failure with the verdict and a link to its troubleshooting anchor', () => {
    const result = unauthorized()
    const diagnosis = diagnose(result.failure!, result.context)
    const html = renderSummary(result, undefined, diagnosis, LINK)
    expect(html).toContain('<h3>Verdict: Jira rejected the token (HTTP 401)</h3>')
    expect(html).toContain(`<a href="${LINK}#unauthorized">Troubleshooting: unauthorized</a>`)
    expect(html).toMatch(/<ol><li>.*<\/li><\/ol>/)
    expect(html).not.toContain('<h3>Identity</h3>')
  })
})
