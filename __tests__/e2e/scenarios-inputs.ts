/** Issue 4 §2: malformed inputs. Each fails with a specific code and no request reaches any server. */
import { expect } from '@jest/globals'
import type { Run, Scenario } from './harness.js'

interface BadInput {
  name: string
  /** Inputs over a valid domain and token; undefined removes one. */
  inputs: (domain: string, token: string) => Record<string, string>
  env?: Record<string, string>
  code: 'missing-input' | 'invalid-input'
  input: string
  message?: RegExp
  /** The token is an unexpanded expression, not a secret: it must not be masked. */
  notSecret?: boolean
}

const CYRILLIC_A = '\u0430'

const table: BadInput[] = [
  {
    name: 'empty domain, no JIRA_DOMAIN',
    inputs: (_d, t) => ({ domain: '', token: t }),
    code: 'missing-input',
    input: 'domain',
    message: /forks[\s\S]*Dependabot[\s\S]*environment/
  },
  {
    name: 'empty token, no JIRA_PAT',
    inputs: (d) => ({ domain: d, token: '' }),
    code: 'missing-input',
    input: 'token',
    message: /forks/
  },
  {
    name: 'whitespace-only domain',
    inputs: (_d, t) => ({ domain: '   \t ', token: t }),
    code: 'missing-input',
    input: 'domain'
  },
  {
    name: 'whitespace-only token',
    inputs: (d) => ({ domain: d, token: ' \n  ' }),
    code: 'missing-input',
    input: 'token'
  },
  {
    name: 'token is only "Bearer "',
    inputs: (d) => ({ domain: d, token: 'Bearer ' }),
    code: 'missing-input',
    input: 'token'
  },
  {
    name: 'unexpanded ${{ secrets.X }} token: not masked, so the fix stays readable',
    inputs: (d) => ({ domain: d, token: '${{ secrets.JIRA_PAT }}' }),
    code: 'invalid-input',
    input: 'token',
    message: /never expanded[\s\S]*`token: \$\{\{ secrets\.JIRA_PAT \}\}`/,
    notSecret: true
  },
  {
    name: 'unexpanded $JIRA_PAT token: not masked',
    inputs: (d) => ({ domain: d, token: '$JIRA_PAT' }),
    code: 'invalid-input',
    input: 'token',
    message: /shell variable[\s\S]*`token: \$\{\{ env\.JIRA_PAT \}\}`/,
    notSecret: true
  },
  {
    name: 'unexpanded ${JIRA_PAT} token',
    inputs: (d) => ({ domain: d, token: '${JIRA_PAT}' }),
    code: 'invalid-input',
    input: 'token',
    notSecret: true
  },
  {
    name: 'a 100 KB token',
    inputs: (d, t) => ({ domain: d, token: t.repeat(2400) }),
    code: 'invalid-input',
    input: 'token',
    message: /is 105600 characters long/
  },
  {
    name: 'a non-ASCII Bearer token',
    inputs: (d, t) => ({ domain: d, token: `${t.slice(0, 20)}ü${t.slice(21)}` }),
    code: 'invalid-input',
    input: 'token',
    message: /non-ASCII character U\+00FC at position 21/
  },
  {
    name: 'a page URL with a query and a fragment: the base URL, with its port, is suggested',
    inputs: (d, t) => ({
      domain: `${d}/jira/browse/ABC-1?focusedCommentId=1#comment-1`,
      token: t
    }),
    code: 'invalid-input',
    input: 'domain',
    message: /Did you mean `domain: https:\/\/127\.0\.0\.1:\d+\/jira`\?$/m
  },
  {
    name: 'a base URL ending in /rest',
    inputs: (d, t) => ({ domain: `${d}/jira/rest`, token: t }),
    code: 'invalid-input',
    input: 'domain',
    message:
      /includes the path "\/rest"[\s\S]*Did you mean `domain: https:\/\/127\.0\.0\.1:\d+\/jira`\?/
  },
  {
    name: 'a project page URL',
    inputs: (d, t) => ({ domain: `${d}/jira/projects/ABC/issues/ABC-1`, token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /Did you mean `domain: https:\/\/127\.0\.0\.1:\d+\/jira`\?/
  },
  {
    name: 'a Jira Cloud board URL: the site itself, since Cloud has no context path',
    inputs: (_d, t) => ({
      domain: 'https://acme.atlassian.net/jira/software/projects/ABC/boards/1',
      token: t
    }),
    code: 'invalid-input',
    input: 'domain',
    message:
      /Jira Cloud has no context path[\s\S]*Did you mean `domain: https:\/\/acme\.atlassian\.net`\?/
  },
  {
    name: 'port 0',
    inputs: (_d, t) => ({ domain: 'https://127.0.0.1:0/jira', token: t }),
    code: 'invalid-input',
    input: 'domain',
    message:
      /has port 0; a port is a number from 1 to 65535[\s\S]*`domain: https:\/\/127\.0\.0\.1\/jira`/
  },
  {
    name: 'a port above 65535',
    inputs: (_d, t) => ({ domain: 'https://jira.example.com:70000', token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /has port 70000/
  },
  {
    name: 'unexpanded ${{ vars.X }} domain',
    inputs: (_d, t) => ({ domain: '${{ vars.JIRA_DOMAIN }}', token: t }),
    code: 'invalid-input',
    input: 'domain'
  },
  {
    name: 'unexpanded https://$JIRA_DOMAIN',
    inputs: (_d, t) => ({ domain: 'https://$JIRA_DOMAIN', token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /shell variable/
  },
  {
    name: 'newline inside the token',
    inputs: (d, t) => ({ domain: d, token: `${t}\n${t}` }),
    code: 'invalid-input',
    input: 'token',
    message: /line break at position 45/
  },
  {
    name: 'space inside the token',
    inputs: (d, t) => ({ domain: d, token: `${t.slice(0, 20)} ${t.slice(20)}` }),
    code: 'invalid-input',
    input: 'token',
    message: /a space/
  },
  {
    name: 'tab inside the token',
    inputs: (d, t) => ({ domain: d, token: `${t.slice(0, 10)}\t${t.slice(10)}` }),
    code: 'invalid-input',
    input: 'token',
    message: /a tab/
  },
  {
    name: 'control character in the token',
    inputs: (d, t) => ({ domain: d, token: `${t}\u0007` }),
    code: 'invalid-input',
    input: 'token',
    message: /U\+0007/
  },
  {
    name: 'look-alike letter in the token',
    inputs: (d, t) => ({ domain: d, token: `${t.slice(0, 5)}${CYRILLIC_A}${t.slice(6)}` }),
    code: 'invalid-input',
    input: 'token',
    message: /U\+0430/
  },
  {
    name: 'URL with user:pass@',
    inputs: (d, t) => ({ domain: d.replace('https://', 'https://ci-bot:hunter2@'), token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /credentials[\s\S]*Did you mean `domain: https:\/\/127\.0\.0\.1:\d+`/
  },
  {
    name: 'URL with a query',
    inputs: (d, t) => ({ domain: `${d}?os_authType=basic`, token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /query/
  },
  {
    name: 'URL with a fragment',
    inputs: (d, t) => ({ domain: `${d}/#/dashboard`, token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /fragment/
  },
  {
    name: 'ftp:// scheme',
    inputs: (d, t) => ({ domain: d.replace('https://', 'ftp://'), token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /ftp:\/\//
  },
  {
    name: 'http:// without allow-insecure-http',
    inputs: (d, t) => ({ domain: d.replace('https://', 'http://'), token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /clear text/
  },
  {
    name: 'path ending in /rest/api/2/myself',
    inputs: (d, t) => ({ domain: `${d}/jira/rest/api/2/myself`, token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /Did you mean `domain: https:\/\/127\.0\.0\.1:\d+\/jira`/
  },
  {
    name: 'an issue URL',
    inputs: (d, t) => ({ domain: `${d}/browse/ABC-123`, token: t }),
    code: 'invalid-input',
    input: 'domain'
  },
  {
    name: 'IPv6 literal without brackets',
    inputs: (_d, t) => ({ domain: 'https://fe80::1:8443', token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /brackets/
  },
  {
    name: 'IPv6 literal, unterminated bracket',
    inputs: (_d, t) => ({ domain: 'https://[::1:8443/jira', token: t }),
    code: 'invalid-input',
    input: 'domain'
  },
  {
    name: 'unicode look-alike in the domain',
    inputs: (_d, t) => ({ domain: `https://jir${CYRILLIC_A}.example.com`, token: t }),
    code: 'invalid-input',
    input: 'domain',
    message: /U\+0430/
  },
  {
    name: 'space in the domain',
    inputs: (_d, t) => ({ domain: 'https://jira example.com', token: t }),
    code: 'invalid-input',
    input: 'domain'
  },
  {
    name: 'scheme only',
    inputs: (_d, t) => ({ domain: 'https://', token: t }),
    code: 'invalid-input',
    input: 'domain'
  },
  {
    name: 'non-numeric timeout',
    inputs: (d, t) => ({ domain: d, token: t, 'timeout-seconds': 'thirty' }),
    code: 'invalid-input',
    input: 'timeout-seconds',
    message: /e\.g\. 30/
  },
  {
    name: 'negative timeout',
    inputs: (d, t) => ({ domain: d, token: t, 'timeout-seconds': '-5' }),
    code: 'invalid-input',
    input: 'timeout-seconds'
  },
  {
    name: 'zero timeout',
    inputs: (d, t) => ({ domain: d, token: t, 'timeout-seconds': '0' }),
    code: 'invalid-input',
    input: 'timeout-seconds'
  },
  {
    name: 'negative retries',
    inputs: (d, t) => ({ domain: d, token: t, retries: '-1' }),
    code: 'invalid-input',
    input: 'retries'
  },
  {
    name: 'fractional retries',
    inputs: (d, t) => ({ domain: d, token: t, retries: '1.5' }),
    code: 'invalid-input',
    input: 'retries'
  },
  {
    name: 'non-numeric retries',
    inputs: (d, t) => ({ domain: d, token: t, retries: 'twice' }),
    code: 'invalid-input',
    input: 'retries'
  },
  {
    name: 'allow-insecure-http is not a boolean',
    inputs: (d, t) => ({ domain: d, token: t, 'allow-insecure-http': 'yes' }),
    code: 'invalid-input',
    input: 'allow-insecure-http'
  },
  {
    name: 'summary is not a boolean',
    inputs: (d, t) => ({ domain: d, token: t, summary: 'maybe' }),
    code: 'invalid-input',
    input: 'summary'
  },
  {
    name: 'username with a colon',
    inputs: (d, t) => ({ domain: d, token: t, username: 'ci:bot' }),
    code: 'invalid-input',
    input: 'username'
  },
  {
    name: 'unexpanded $JIRA_USERNAME',
    inputs: (d, t) => ({ domain: d, token: t, username: '$JIRA_USERNAME' }),
    code: 'invalid-input',
    input: 'username'
  },
  {
    name: 'unexpanded expected-user',
    inputs: (d, t) => ({ domain: d, token: t, 'expected-user': '${{ inputs.user }}' }),
    code: 'invalid-input',
    input: 'expected-user'
  },
  {
    name: 'permission key with a space',
    inputs: (d, t) => ({ domain: d, token: t, 'required-permissions': 'Browse Projects' }),
    code: 'invalid-input',
    input: 'required-permissions'
  },
  {
    name: 'project key with a dash',
    inputs: (d, t) => ({ domain: d, token: t, project: 'ABC-1' }),
    code: 'invalid-input',
    input: 'project'
  },
  {
    name: 'impossible token-expires-on date',
    inputs: (d, t) => ({ domain: d, token: t, 'token-expires-on': '2027-02-30' }),
    code: 'invalid-input',
    input: 'token-expires-on'
  },
  {
    name: 'free-text token-expires-on',
    inputs: (d, t) => ({ domain: d, token: t, 'token-expires-on': 'next week' }),
    code: 'invalid-input',
    input: 'token-expires-on'
  },
  {
    name: 'negative expiry-warning-days',
    inputs: (d, t) => ({ domain: d, token: t, 'expiry-warning-days': '-1' }),
    code: 'invalid-input',
    input: 'expiry-warning-days'
  }
]

export const inputScenarios: Scenario[] = table.map((row) => ({
  name: `${row.code}: ${row.name}`,
  prepare: (s): Run => {
    const token = s.mintPat()
    const inputs = row.inputs(s.url, token)
    return {
      inputs,
      env: row.env,
      secrets: [token, row.notSecret ? '' : inputs.token].filter(
        (value) => value && value.trim().length >= 8
      )
    }
  },
  expect: { exitCode: 1, status: 'failed', errorCode: row.code, message: row.message },
  verify: (result, s, world) => {
    // Nothing was sent anywhere: no server saw a request, and no request was even logged.
    for (const standin of Object.values(world)) expect(standin.requests).toHaveLength(0)
    expect(result.stdout).not.toMatch(/^GET /m)
    const annotation = result.annotations.find((a) => a.level === 'error')
    expect(annotation?.title).toMatch(new RegExp(`(Missing|Invalid) input: ${row.input}`))
    if (row.notSecret) expect(result.maskedValues).not.toContain(row.inputs(s.url, '').token)
    void s
  }
}))

/** Values that are capped, not refused. */
export const cappedScenarios: Scenario[] = [
  {
    name: 'retries: 1000 is capped at 10, with a warning',
    prepare: (s) => {
      const token = s.mintPat()
      return { inputs: { domain: s.url, token, retries: '1000' }, secrets: [token] }
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) => {
      const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
      expect(warnings.join('\n')).toMatch(/`retries` 1000 is more than 10; using 10/)
    }
  },
  {
    name: 'token with a pasted "Bearer " prefix: stripped with a warning, works',
    prepare: (s) => {
      const token = s.mintPat()
      return { inputs: { domain: s.url, token: `Bearer ${token}` }, secrets: [token] }
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result, s, _world, run) => {
      expect(
        result.annotations.some(
          (a) => a.level === 'warning' && /starts with "Bearer "/.test(a.message)
        )
      ).toBe(true)
      expect(s.requests.find((r) => r.endpoint === 'myself')?.authorization).toBe(run.inputs.token)
    }
  },
  {
    name: 'domain without a scheme: https:// assumed, with a notice',
    prepare: (s) => {
      const token = s.mintPat()
      return { inputs: { domain: s.url.replace('https://', ''), token }, secrets: [token] }
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) =>
      expect(
        result.annotations.some(
          (a) => a.level === 'notice' && /no scheme; using https:\/\//.test(a.message)
        )
      ).toBe(true)
  },
  {
    name: 'domain and token from JIRA_DOMAIN / JIRA_PAT',
    prepare: (s) => {
      const token = s.mintPat()
      return { inputs: {}, env: { JIRA_DOMAIN: s.url, JIRA_PAT: token }, secrets: [token] }
    },
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'ci-bot' } }
  }
]
