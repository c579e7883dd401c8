import { describe, it, expect } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import { cliPlatform } from '../../src/cli/platform.js'
import { diagnose, type Diagnosis } from '../../src/engine/diagnosis/catalogue.js'
import { escapeHtml, renderSummary } from '../../src/engine/render/html.js'
import { jsonReport } from '../../src/engine/render/json.js'
import { OUTPUTS, OUTPUT_NAMES, outputsOf } from '../../src/engine/render/outputs.js'
import { formatDiagnosis, successLine } from '../../src/engine/render/text.js'
import { failedResult, type CheckResult } from '../../src/engine/verdict.js'
import { settingsFor } from '../../__fixtures__/settings.js'

const ACTION = actionPlatform({ GITHUB_ACTION_REPOSITORY: 'acme/jac', GITHUB_ACTION_REF: 'v1' })
const CLI = cliPlatform()
const LINK = 'https://github.com/acme/jac/blob/v1/docs/troubleshooting.md'
const SETTINGS = settingsFor({
  requiredPermissions: ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'FOO'],
  project: 'ABC'
})
const CONTEXT = {
  baseUrl: 'https://jira.example.com',
  host: 'jira.example.com',
  authScheme: 'bearer' as const
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

describe('escapeHtml', () => {
  it('escapes the five HTML characters and stringifies empties', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    )
    expect(escapeHtml(undefined)).toBe('')
    expect(escapeHtml(null)).toBe('')
    expect(escapeHtml(3)).toBe('3')
    expect(escapeHtml(false)).toBe('false')
  })

  it('escapes an ampersand once, and neutralises control characters without cutting the text', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;')
    expect(escapeHtml('a\u202eb')).toBe('a\ufffdb')
    expect(escapeHtml('x'.repeat(1000))).toHaveLength(1000)
  })
})

describe('renderSummary', () => {
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
      ACTION
    )
    expect(html.startsWith('<h2>Jira token check</h2>\n<p>✅ The token works</p>\n')).toBe(true)
    expect(html).toContain('<h3>Identity</h3>')
    expect(html).toContain('<th align="left">Display name</th><td>CI Bot</td>')
    expect(html).toContain('<th align="left">Active</th><td>yes</td>')
    expect(html).toContain('<th align="left">URL</th><td>https://jira.example.com</td>')
    expect(html).toContain('<th align="left">Version</th><td>9.12.2</td>')
    expect(html).toContain('2026-06-30 (60 days left)')
    expect(html).toContain('<th align="left">Found</th><td>by `token-name`</td>')
    expect(html).toContain('<h3>Permissions in ABC</h3>')
    expect(html).toContain('<td><code>BROWSE_PROJECTS</code></td><td>✅</td>')
    expect(html).toContain('<td><code>CREATE_ISSUES</code></td><td>❌</td>')
    expect(html).toContain('<td><code>FOO</code></td><td>❓ unknown key</td>')
    expect(html).not.toContain('Account ID')
    expect(html).not.toContain('Verdict')
  })

  it('says a warning, and marks an inactive account', () => {
    const html = renderSummary(
      success({ status: 'warning', user: { name: 'x', active: false } }),
      SETTINGS,
      undefined,
      ACTION
    )
    expect(html).toContain('<p>⚠️ The token works, with a warning</p>')
    expect(html).toContain('<th align="left">Active</th><td><b>no</b></td>')
  })

  it('flags a short expiry by the same thresholds as the verdict, and says "never" for a non-expiring token', () => {
    const soon = renderSummary(
      success({ expiry: { name: 'ci', expiresAt: '2026-05-02T00:00:00.000Z', daysLeft: 1 } }),
      SETTINGS,
      undefined,
      ACTION
    )
    expect(soon).toContain('2026-05-02 (⚠️ <b>1 day left</b>)')
    const quiet = renderSummary(
      success({ expiry: { name: 'ci', expiresAt: '2026-05-02T00:00:00.000Z', daysLeft: 1 } }),
      { ...SETTINGS, expiryWarningDays: 0 },
      undefined,
      ACTION
    )
    expect(quiet).toContain('2026-05-02 (1 day left)')
    const never = renderSummary(
      success({ expiry: { name: 'ci', nonExpiring: true, matchedBy: 'only-token' } }),
      SETTINGS,
      undefined,
      ACTION
    )
    expect(never).toContain('<th align="left">Expires</th><td>never</td>')
    expect(never).toContain('the account&#39;s only token')
  })

  it('explains an unknown expiry, escaped', () => {
    const html = renderSummary(
      success({ expiry: { unknownBecause: 'no <PAT> API' } }),
      SETTINGS,
      undefined,
      ACTION
    )
    expect(html).toContain('unknown: no &lt;PAT&gt; API')
  })

  it('names the setting each front-end uses for how the token was found', () => {
    const guessed = success({ expiry: { name: 'ci', matchedBy: 'guess', nonExpiring: true } })
    expect(renderSummary(guessed, SETTINGS, undefined, ACTION)).toContain('(set `token-name`)')
    expect(renderSummary(guessed, SETTINGS, undefined, CLI)).toContain('(set `--token-name`)')
    const given = success({
      expiry: { matchedBy: 'input', expiresAt: '2026-06-30T00:00:00.000Z', daysLeft: 60 }
    })
    expect(renderSummary(given, SETTINGS, undefined, ACTION)).toContain('from `token-expires-on`')
  })

  it('escapes every Jira value', () => {
    const evil = '<img src=x onerror=alert(1)>'
    const html = renderSummary(
      success({
        user: { name: evil, key: evil, accountId: evil, emailAddress: evil, displayName: evil },
        server: { version: evil, deploymentType: evil, serverTitle: evil },
        expiry: { name: evil, expiresAt: '2026-06-30T00:00:00.000Z', daysLeft: 60 },
        permissions: [{ key: evil, granted: true, unknown: false }]
      }),
      SETTINGS,
      undefined,
      ACTION
    )
    expect(html).not.toContain('<img')
    expect(html.match(/&lt;img src=x onerror=alert\(1\)&gt;/g)).toHaveLength(10)
  })

  it('ends a failure with the verdict and a link to its troubleshooting anchor', () => {
    const result = unauthorized()
    const diagnosis = diagnose(result.failure!, result.context, ACTION)
    const html = renderSummary(result, undefined, diagnosis, ACTION)
    expect(html).toContain('<p>❌ Failed: <code>unauthorized</code></p>')
    expect(html).toContain('<h3>Verdict: Jira rejected the token (HTTP 401)</h3>')
    expect(html).toContain(`<a href="${LINK}#unauthorized">Troubleshooting: unauthorized</a>`)
    expect(html).toMatch(/<ol><li>.*<\/li><\/ol>/)
    expect(html).not.toContain('<h3>Identity</h3>')
    expect(html).not.toContain('<h3>Token</h3>')
  })

  it('shows the base URL from the context when settings are unknown, and nothing of a server it never saw', () => {
    const result: CheckResult = {
      ...failedResult({ code: 'internal-error', detail: 'x' }, [], CONTEXT),
      server: { version: '9.12.2' }
    }
    const html = renderSummary(result, undefined, undefined, ACTION)
    expect(html).toContain('<th align="left">URL</th><td>https://jira.example.com</td>')
    expect(
      renderSummary(
        failedResult({ code: 'internal-error', detail: 'x' }),
        undefined,
        undefined,
        ACTION
      )
    ).not.toContain('<h3>Server</h3>')
  })

  it('leaves out empty rows and sections', () => {
    const html = renderSummary(
      success({ user: { name: 'ci-bot' }, permissions: [], expiry: undefined }),
      SETTINGS,
      undefined,
      ACTION
    )
    expect(html).toContain('<table><tr><th align="left">Username</th><td>ci-bot</td></tr></table>')
    expect(html).not.toContain('<h3>Permissions')
    expect(html).not.toContain('<h3>Token</h3>')
  })

  it('escapes the diagnosis and leaves out a missing explanation or steps', () => {
    const diagnosis: Diagnosis = {
      code: 'forbidden',
      title: 'T <b>',
      headline: 'H & co',
      steps: []
    }
    const html = renderSummary(unauthorized(), undefined, diagnosis, ACTION)
    expect(html).toContain('<h3>Verdict: T &lt;b&gt;</h3>\n<p>H &amp; co</p>\n<p><a href=')
    expect(html).not.toContain('<ol>')
  })
})

describe('outputsOf', () => {
  it('names every output once, in the order OUTPUTS declares, with a description', () => {
    expect(OUTPUT_NAMES).toEqual(OUTPUTS.map((output) => output.name))
    expect(new Set(OUTPUT_NAMES).size).toBe(OUTPUT_NAMES.length)
    for (const output of OUTPUTS) expect(output.description.trim()).not.toBe('')
    expect(Object.keys(outputsOf(success()))).toEqual([...OUTPUT_NAMES])
  })

  it('gives every output as a string', () => {
    expect(outputsOf(success())).toEqual({
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
  })

  it('is empty where nothing is known, status and error code aside', () => {
    const outputs = outputsOf(failedResult({ code: 'internal-error', detail: 'x' }))
    expect(outputs.status).toBe('failed')
    expect(outputs['error-code']).toBe('internal-error')
    for (const name of OUTPUT_NAMES.filter((n) => n !== 'status' && n !== 'error-code')) {
      expect(outputs[name]).toBe('')
    }
  })

  it('lists missing and unknown permissions, and writes false and 0 as such', () => {
    const outputs = outputsOf(
      success({
        user: { name: 'x', active: false },
        expiry: { expiresAt: '2026-05-01T00:00:00.000Z', daysLeft: 0 },
        permissions: [
          { key: 'BROWSE_PROJECTS', granted: true, unknown: false },
          { key: 'CREATE_ISSUES', granted: false, unknown: false },
          { key: 'FOO', granted: false, unknown: true }
        ]
      })
    )
    expect(outputs['missing-permissions']).toBe('CREATE_ISSUES,FOO')
    expect(outputs.active).toBe('false')
    expect(outputs['token-days-left']).toBe('0')
  })

  it('writes an email Jira hides (null) as empty', () => {
    expect(outputsOf(success({ user: { accountId: 'a', emailAddress: null } })).email).toBe('')
  })
})

describe('jsonReport', () => {
  it('is the outputs, plus the diagnosis of a failure and the notes as worded', () => {
    const result = unauthorized()
    const diagnosis = diagnose(result.failure!, result.context, CLI)
    const report = jsonReport(result, diagnosis, [{ level: 'warning', message: 'w' }])
    expect(report).toEqual({
      ...outputsOf(result),
      diagnosis: { title: diagnosis.title, headline: diagnosis.headline, steps: diagnosis.steps },
      notes: [{ level: 'warning', message: 'w' }]
    })
    expect('code' in report.diagnosis!).toBe(false)
  })

  it('has no diagnosis on success, and round-trips through JSON', () => {
    const report = jsonReport(success(), undefined, [])
    expect('diagnosis' in report).toBe(false)
    expect(report.notes).toEqual([])
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('copies only the level and message of each note', () => {
    const note = { level: 'notice' as const, message: 'm', extra: 'dropped' }
    expect(jsonReport(success(), undefined, [note]).notes).toEqual([
      { level: 'notice', message: 'm' }
    ])
  })
})

describe('formatDiagnosis', () => {
  it('puts the headline first, then the explanation, then numbered steps, then the link', () => {
    const formatted = formatDiagnosis(
      { code: 'timeout', title: 'T', headline: 'H', explanation: 'E', steps: ['one', 'two'] },
      LINK
    )
    expect(formatted).toBe(
      ['H', 'E', 'What to do:', '  1. one', '  2. two', `More: ${LINK}#timeout`].join('\n')
    )
  })

  it('leaves out empty parts, and never the title', () => {
    expect(formatDiagnosis({ code: 'forbidden', title: 'T', headline: 'H', steps: [] }, LINK)).toBe(
      `H\nMore: ${LINK}#forbidden`
    )
  })
})

describe('successLine', () => {
  it('names the Jira version and the account', () => {
    expect(successLine(success())).toBe(
      'Authenticated to Jira 9.12.2 as CI Bot (ci-bot, ci@example.com)'
    )
  })

  it('leaves the version out when unknown, and says so when the user is', () => {
    expect(successLine(success({ server: undefined }))).toBe(
      'Authenticated to Jira as CI Bot (ci-bot, ci@example.com)'
    )
    expect(successLine(success({ user: undefined }))).toBe(
      'Authenticated to Jira 9.12.2 as an unknown user'
    )
  })

  it('neutralises and caps what Jira says', () => {
    const line = successLine(
      success({
        server: { version: `9\n::error::${'x'.repeat(100)}` },
        user: { name: 'mia', displayName: 'Mia\r\n::x' }
      })
    )
    expect(line).not.toMatch(/[\r\n]/)
    expect(line).toContain('Mia\ufffd\ufffd::x (mia)')
    expect(line.length).toBeLessThan(
      'Authenticated to Jira  as Mia\ufffd\ufffd::x (mia)'.length + 61
    )
  })
})
