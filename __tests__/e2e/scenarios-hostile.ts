/**
 * Everything Jira, a proxy or the network sends is hostile input. Each table here is a class of
 * cases: values that try to become runner commands, runner files that cannot be written, answers
 * of an odd shape, secondary probes that fail after /myself worked, hangs in every phase, proxies,
 * TLS overrides and Cloud tokens sent as Bearer.
 */
import { expect } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActionResult } from '../../test-support/run-action.mjs'
import { basicCredential, countEndpoint, type Run, type Scenario } from './harness.js'

/** Each line would be a workflow command if it reached the log raw. */
const INJECTION = [
  '',
  '::error title=Forged::FORGED-ERROR',
  '::warning::FORGED-WARNING',
  '::notice::FORGED-NOTICE',
  '::add-mask::Jira',
  '::stop-commands::STOPTOKEN',
  '  ::set-output name=status::forged'
].join('\n')

/** Proves that no line of an injected value became a command, and that the value still shows, neutralised. */
function assertNotInjected(result: ActionResult, shown?: string): void {
  expect(result.maskedValues).not.toContain('Jira')
  expect(result.commands.map((command) => command.command)).not.toContain('stop-commands')
  expect(result.commands.map((command) => command.command)).not.toContain('set-output')
  for (const annotation of result.annotations) {
    expect(annotation.title).not.toBe('Forged')
    expect(annotation.message).not.toMatch(/^FORGED-/)
  }
  for (const line of result.stdout.split('\n')) {
    if (/^\s*::/.test(line)) expect(line).toMatch(/^::(add-mask|error|warning|notice|debug)[ :]/)
  }
  if (shown) expect(result.stdout).toContain(shown)
}

function pat(domain: string, token: string, extra: Record<string, string> = {}): Run {
  return { inputs: { domain, token, ...extra }, secrets: [token] }
}

function basic(
  domain: string,
  username: string,
  token: string,
  extra: Record<string, string> = {}
): Run {
  return {
    inputs: { domain, token, username, ...extra },
    secrets: [token, basicCredential(username, token)]
  }
}

/** A /myself answer of the stand-in's own shape, replaced by `body`. */
function myselfAnswer(body: string): Scenario['settings'] {
  return {
    fault: {
      type: 'status',
      status: 200,
      paths: ['myself'],
      body,
      headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-AUSERNAME': 'ci-bot' }
    }
  }
}

function warnings(result: ActionResult): string {
  return result.annotations
    .filter((annotation) => annotation.level === 'warning')
    .map((annotation) => annotation.message)
    .join('\n')
}

/** A loopback server that accepts connections and never says a word: a hung TLS peer or proxy. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}

export const injectionScenarios: Scenario[] = [
  {
    name: 'a display name with line breaks and workflow commands is neutralised (Data Center)',
    prepare: (s) => {
      s.addUser({ name: 'mia', displayName: `Mia${INJECTION}` })
      return pat(s.url, s.mintPat({ user: 'mia' }))
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'display-name': `Mia${INJECTION}` } },
    verify: (result) =>
      assertNotInjected(result, 'as Mia\ufffd::error title=Forged::FORGED-ERROR\ufffd')
  },
  {
    name: 'a display name with workflow commands is neutralised (Cloud, Basic)',
    on: 'cloud',
    prepare: (s) => {
      s.addUser({ name: 'eve', email: 'eve@example.com', displayName: `Eve${INJECTION}` })
      return basic(s.url, 'eve@example.com', s.mintApiToken({ email: 'eve@example.com' }))
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) => assertNotInjected(result, 'as Eve\ufffd::error title=Forged')
  },
  {
    name: 'a server version with workflow commands is neutralised',
    settings: { version: `10.3.19${INJECTION}` },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) => assertNotInjected(result, 'Authenticated to Jira 10.3.19\ufffd::error')
  },
  {
    name: 'token names with workflow commands are neutralised in the guess notice',
    prepare: (s) => {
      s.addUser({ name: 'noor' })
      s.mintPat({
        user: 'noor',
        name: `old${INJECTION}`,
        lastAccessedAt: new Date(Date.now() - 86_400_000)
      })
      const token = s.mintPat({ user: 'noor', name: `new${INJECTION}`, lastAccessedAt: new Date() })
      return pat(s.url, token)
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) => {
      assertNotInjected(result)
      const notices = result.annotations.filter((a) => a.level === 'notice').map((a) => a.message)
      expect(notices.join('\n')).toContain('assuming "new\ufffd::error title=Forged')
    }
  },
  {
    name: 'token names with workflow commands are neutralised in token-not-found',
    prepare: (s) => {
      s.addUser({ name: 'omar' })
      const token = s.mintPat({ user: 'omar', name: `mine${INJECTION}` })
      return pat(s.url, token, { 'token-name': 'deploy-bot' })
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-not-found',
      message: /its tokens are: "mine\ufffd::error title=Forged/
    },
    verify: (result) => assertNotInjected(result)
  },
  {
    name: 'a 403 body with commands and terminal escapes is neutralised',
    settings: {
      fault: {
        type: 'status',
        status: 403,
        body: `Blocked by policy${INJECTION}\u001b[31m red`,
        headers: { 'Content-Type': 'text/plain' }
      }
    },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'forbidden',
      message: /Blocked by policy ::error title=Forged::FORGED-ERROR .*\ufffd\[31m red/
    },
    verify: (result) => assertNotInjected(result)
  },
  {
    name: 'header values with C1 controls and "::" are neutralised',
    settings: {
      fault: {
        type: 'status',
        status: 401,
        body: '{"message":"Client must be authenticated to access this resource.","status-code":401}',
        headers: {
          'Content-Type': 'application/json;charset=UTF-8',
          'X-AUSERNAME': '::add-mask::Jira\u0085::error::FORGED-ERROR'
        }
      }
    },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /Jira named the user "::add-mask::Jira\ufffd::error::FORGED-ERROR"/
    },
    verify: (result) => assertNotInjected(result)
  },
  {
    name: "Jira's own error text in a JSON body is neutralised",
    prepare: (s) => {
      s.set({
        fault: {
          type: 'status',
          status: 400,
          paths: ['mypermissions'],
          body: JSON.stringify({ errorMessages: [`bad key${INJECTION}`], errors: {} }),
          headers: { 'Content-Type': 'application/json;charset=UTF-8' }
        }
      })
      return pat(s.url, s.mintPat(), { 'required-permissions': 'BROWSE_PROJECTS' })
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'invalid-input',
      message: /Jira rejected the permission check: bad key ::error title=Forged/
    },
    verify: (result) => assertNotInjected(result)
  },
  {
    name: 'a redirect Location with commands shows only its host',
    settings: {
      fault: {
        type: 'redirect',
        location: 'https://sso.example.com/login?next=\u0085::add-mask::Jira'
      }
    },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'login-redirect',
      message: /redirect \(HTTP 302\) to sso\.example\.com instead of the API/
    },
    verify: (result) => assertNotInjected(result)
  }
]

export const runnerFileScenarios: Scenario[] = [
  {
    name: 'GITHUB_OUTPUT is a directory: one annotation naming it and EISDIR, the verdict in the log',
    prepare: (s) => {
      const dir = mkdtempSync(join(tmpdir(), 'jac-output-dir-'))
      return {
        ...pat(s.url, s.mintPat()),
        env: { GITHUB_OUTPUT: dir },
        cleanup: async () => rmSync(dir, { recursive: true, force: true })
      }
    },
    expect: { exitCode: 1, status: 'ok', outputsWritten: false },
    verify: (result) => {
      const errors = result.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0].title).toBe("The runner's GITHUB_OUTPUT file cannot be written")
      expect(errors[0].message).toContain('(EISDIR: it is a directory)')
      expect(errors[0].message).toContain('not with the Jira token')
      expect(result.stdout).toMatch(/^Authenticated to Jira/m)
      expect(result.stdout).toMatch(/^Verdict: status=ok$/m)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  },
  {
    name: 'GITHUB_OUTPUT in a folder that does not exist, with a failing check: both reported',
    prepare: (s) => ({
      ...pat(s.url, s.mintPat({ expiresInDays: -2 })),
      env: { GITHUB_OUTPUT: join(tmpdir(), 'jac-no-such-folder', 'output') }
    }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'unauthorized', outputsWritten: false },
    verify: (result) => {
      const errors = result.annotations.filter((a) => a.level === 'error')
      expect(errors[1].message).toContain('the file does not exist or cannot be written')
      expect(result.stdout).toMatch(/^Verdict: status=failed, error-code=unauthorized$/m)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  },
  {
    name: 'GITHUB_STEP_SUMMARY is a directory: a warning, the step still passes',
    prepare: (s) => {
      const dir = mkdtempSync(join(tmpdir(), 'jac-summary-dir-'))
      return {
        ...pat(s.url, s.mintPat()),
        env: { GITHUB_STEP_SUMMARY: dir },
        cleanup: async () => rmSync(dir, { recursive: true, force: true })
      }
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) => {
      expect(warnings(result)).toMatch(
        /GITHUB_STEP_SUMMARY \(.*\) cannot be written \(EISDIR: it is a directory\)/
      )
      expect(warnings(result)).toContain('not with the Jira token')
    }
  },
  {
    name: 'GITHUB_STEP_SUMMARY in a folder that does not exist: a warning, the failure still reported once',
    prepare: (s) => ({
      ...pat(s.url, s.mintPat({ expiresInDays: -2 })),
      env: { GITHUB_STEP_SUMMARY: join(tmpdir(), 'jac-no-such-folder', 'summary') }
    }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'unauthorized' },
    verify: (result) => expect(warnings(result)).toMatch(/GITHUB_STEP_SUMMARY .* cannot be written/)
  }
]

const DEEP = `${'['.repeat(5000)}1${']'.repeat(5000)}`

export const oddAnswerScenarios: Scenario[] = [
  {
    name: '/myself with fields of the wrong type: tolerated, stringified or dropped',
    settings: myselfAnswer(
      '{"name":"ci-bot","key":"JIRAUSER10100","displayName":"CI Bot","timeZone":42,"locale":{},"active":"true","emailAddress":["x"]}'
    ),
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: { username: 'ci-bot', 'time-zone': '42', locale: '', active: 'true', email: '' }
    }
  },
  {
    name: '/myself with an object for "name" and a display name: tolerated',
    settings: myselfAnswer('{"name":{},"key":"JIRAUSER10100","displayName":"CI Bot"}'),
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: { exitCode: 0, status: 'ok', outputs: { username: '', 'user-key': 'JIRAUSER10100' } }
  },
  {
    name: '/myself with no usable identity field: unexpected-response says which fields were odd',
    settings: myselfAnswer('{"name":{},"key":[],"displayName":null}'),
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unexpected-response',
      message: /no name, key, accountId or displayName \("key" is an array, "name" is an object\)/
    }
  },
  {
    name: '/myself with a field nested 5,000 levels deep: ok, identity still valid JSON',
    settings: myselfAnswer(
      `{"name":"ci-bot","key":"JIRAUSER10100","displayName":"CI Bot","groups":${DEEP}}`
    ),
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'ci-bot' } },
    verify: (result) => {
      const identity = JSON.parse(result.outputs.identity) as Record<string, unknown>
      expect(identity.name).toBe('ci-bot')
      expect(result.outputs.identity).toContain('"…"')
    }
  },
  {
    name: '/myself with a UTF-8 byte-order mark before the JSON: ok',
    settings: myselfAnswer('\ufeff{"name":"ci-bot","key":"JIRAUSER10100","displayName":"CI Bot"}'),
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'ci-bot', 'display-name': 'CI Bot' } }
  },
  {
    name: 'serverInfo with a number for the version and an object for the type: ok',
    settings: {
      fault: {
        type: 'status',
        status: 200,
        paths: ['serverInfo'],
        body: '{"version":42,"deploymentType":{},"serverTitle":["x"]}',
        headers: { 'Content-Type': 'application/json' }
      }
    },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: { 'server-version': '42', 'deployment-type': '' }
    }
  },
  {
    name: 'PAT list entries of odd types and a BOM: the usable ones are read',
    prepare: (s) => {
      const token = s.mintPat({ name: 'ci-token' })
      s.set({
        fault: {
          type: 'status',
          status: 200,
          paths: ['tokens'],
          body: `\ufeff[{"id":"x","name":{}},7,{"id":58,"name":"ci-token","expiringAt":12345}]`,
          headers: { 'Content-Type': 'application/json' }
        }
      })
      return pat(s.url, token, { 'token-name': 'ci-token' })
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      outputs: { 'token-name': 'ci-token', 'token-expires-at': '' }
    }
  },
  {
    name: 'mypermissions with "true" as a string and odd entries: read as Jira meant',
    prepare: (s) => {
      s.set({
        fault: {
          type: 'status',
          status: 200,
          paths: ['mypermissions'],
          body: '{"permissions":{"BROWSE_PROJECTS":{"havePermission":"true"},"CREATE_ISSUES":7}}',
          headers: { 'Content-Type': 'application/json' }
        }
      })
      return pat(s.url, s.mintPat(), { 'required-permissions': 'BROWSE_PROJECTS, CREATE_ISSUES' })
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'missing-permissions',
      message: /does not know the permission key CREATE_ISSUES/,
      outputs: { 'missing-permissions': 'CREATE_ISSUES' }
    }
  }
]

export const secondaryProbeScenarios: Scenario[] = [
  {
    name: 'PAT list answers 302 to login.jsp: expiry unknown, a warning, the step passes',
    prepare: (s) => {
      s.set({
        fault: {
          type: 'status',
          status: 302,
          paths: ['tokens'],
          body: '',
          headers: { Location: `${s.url}/login.jsp?permissionViolation=true` }
        }
      })
      return pat(s.url, s.mintPat())
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'token-expires-at': '' } },
    verify: (result) =>
      expect(warnings(result)).toMatch(
        /expiry is unknown: Jira answered the token list with a redirect \(HTTP 302\)/
      )
  },
  {
    name: 'PAT list answers 302 with token-name set: warns that the name could not be checked',
    prepare: (s) => {
      s.set({
        fault: {
          type: 'status',
          status: 302,
          paths: ['tokens'],
          body: '',
          headers: { Location: `${s.url}/login.jsp` }
        }
      })
      return pat(s.url, s.mintPat({ name: 'deploy-bot' }), { 'token-name': 'deploy-bot' })
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) =>
      expect(warnings(result)).toMatch(/`token-name` is set, but .*the name could not be checked/)
  },
  ...[401, 403].map((status): Scenario => ({
    name: `PAT list answers ${status} after /myself worked: a warning, the step passes`,
    settings: { fault: { type: 'status', status, paths: ['tokens'] } },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) =>
      expect(warnings(result)).toContain(`Jira refused to list the tokens (HTTP ${status})`)
  })),
  {
    name: 'token-name on Cloud: a warning that Cloud has no PAT list, pointing to token-expires-on',
    on: 'cloud',
    prepare: (s) => basic(s.url, 'ci-bot@example.com', s.mintApiToken(), { 'token-name': 'ci' }),
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) => {
      expect(warnings(result)).toMatch(/Jira Cloud has no list of API tokens/)
      expect(warnings(result)).toContain('`token-expires-on`')
    }
  },
  {
    name: 'two PATs with the same name: a warning, and the expiry of the one that expires first',
    prepare: (s) => {
      s.addUser({ name: 'twin' })
      s.mintPat({ user: 'twin', name: 'deploy', expiresInDays: 80 })
      const token = s.mintPat({ user: 'twin', name: 'deploy', expiresInDays: 20 })
      return pat(s.url, token, { 'token-name': 'deploy' })
    },
    expect: { exitCode: 0, status: 'ok', outputs: { 'token-days-left': /^(19|20)$/ } },
    verify: (result) =>
      expect(warnings(result)).toMatch(/2 tokens of this account are named "deploy"/)
  },
  {
    name: '/myself says "active": false: a warning',
    settings: myselfAnswer(
      '{"name":"ci-bot","key":"JIRAUSER10100","displayName":"CI Bot","active":false}'
    ),
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: { exitCode: 0, status: 'ok', outputs: { active: 'false' } },
    verify: (result) => expect(warnings(result)).toMatch(/not active/)
  }
]

export const deadlineScenarios: Scenario[] = [
  {
    name: 'a DNS lookup that never returns: timeout at the deadline, process ends by timeout + 1 s',
    prepare: (s) => ({
      ...pat(`https://jira.hang.test:${s.port}`, s.mintPat(), { 'timeout-seconds': '2' }),
      lookups: { 'jira.hang.test': 'hang' }
    }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'timeout',
      message: /the DNS lookup of jira\.hang\.test did not finish/
    },
    verify: (result) => {
      expect(result.durationMs).toBeLessThan(3000)
      expect(result.stdout).not.toContain('stopped itself')
    }
  },
  {
    name: 'a TLS handshake that never finishes: timeout in the TLS phase, by timeout + 1 s',
    prepare: async (s) => {
      const silent = await silentServer()
      return {
        ...pat(`https://127.0.0.1:${silent.port}`, s.mintPat(), { 'timeout-seconds': '2' }),
        cleanup: silent.close
      }
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'timeout',
      message: /the TLS handshake with 127\.0\.0\.1 did not finish/
    },
    verify: (result) => expect(result.durationMs).toBeLessThan(3000)
  },
  {
    name: 'a proxy that never answers CONNECT: timeout in the proxy phase, by timeout + 1 s',
    prepare: async (s) => {
      const silent = await silentServer()
      return {
        ...pat(`https://jira.standin.test:${s.port}`, s.mintPat(), { 'timeout-seconds': '2' }),
        env: { https_proxy: `http://127.0.0.1:${silent.port}` },
        cleanup: silent.close
      }
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'timeout',
      message: /the proxy tunnel to jira\.standin\.test did not finish/
    },
    verify: (result) => expect(result.durationMs).toBeLessThan(3000)
  }
]

export const transportScenarios: Scenario[] = [
  {
    name: 'NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored: an untrusted certificate still fails, with a warning',
    settings: { tls: 'untrusted' },
    prepare: (s) => ({ ...pat(s.url, s.mintPat()), env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } }),
    expect: { exitCode: 1, status: 'failed', errorCode: 'tls-error' },
    verify: (result, s) => {
      expect(warnings(result)).toMatch(/NODE_TLS_REJECT_UNAUTHORIZED=0 is set, and was ignored/)
      // Node's own "verification disabled" warning would be untrue: the variable was dropped.
      expect(result.stderr).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED/)
      expect(countEndpoint(s, 'myself')).toBe(0)
    }
  },
  {
    name: 'a 407 from the Jira address itself (a transparent proxy): proxy-error with the credentials hint',
    settings: {
      fault: {
        type: 'status',
        status: 407,
        headers: { 'Proxy-Authenticate': 'Basic realm="corp-proxy"' }
      }
    },
    prepare: (s) => pat(s.url, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'proxy-error',
      message:
        /HTTP 407 Proxy Authentication Required[\s\S]*Proxy-Authenticate: Basic realm="corp-proxy"[\s\S]*http:\/\/user:password@proxy:port/
    }
  },
  {
    name: 'a proxy URL that cannot be parsed: proxy-error, nothing sent, the password never shown',
    prepare: (s) => ({
      ...pat(`https://jira.standin.test:${s.port}`, s.mintPat()),
      env: { https_proxy: 'http://proxyuser:pa%zzword@127.0.0.1:9' },
      secrets: ['pa%zzword']
    }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'proxy-error',
      message:
        /`https_proxy` is set for jira\.standin\.test, but its user name or password holds a "%"/
    },
    verify: (result, _s, world) => {
      for (const standin of Object.values(world)) expect(standin.requests).toHaveLength(0)
      expect(result.maskedValues).toContain('pa%zzword')
    }
  }
]

export const cloudBearerScenarios: Scenario[] = [
  {
    name: 'a Cloud API token sent as Bearer to Cloud: every step is about Cloud, none about PATs',
    on: 'cloud',
    prepare: (s) => pat(s.url, s.mintApiToken()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message:
        /^Jira Cloud did not accept the token as Bearer[\s\S]*Set `username` to the Atlassian account email/
    },
    verify: (result) => {
      const error = result.annotations.find((a) => a.level === 'error')!
      expect(error.title).toBe('Jira Cloud does not take a token as Bearer (HTTP 401)')
      expect(error.message).not.toMatch(/Personal Access Tokens|ViewProfile\.jspa|44 characters/)
    }
  },
  {
    name: 'a Cloud API token sent as Bearer to Data Center: says this Jira wants a PAT',
    prepare: (s) => pat(s.url, `ATATT3xFfGF0${'a'.repeat(150)}`),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /Atlassian Cloud API token, but this Jira is Data Center\/Server 10\.3\.19/
    }
  }
]

export const tokenValueScenarios: Scenario[] = [
  {
    name: 'a token wrapped in quotes: the quotes are stripped with a warning',
    prepare: (s) => {
      const token = s.mintPat()
      return { inputs: { domain: s.url, token: `"${token}"` }, secrets: [token] }
    },
    expect: { exitCode: 0, status: 'ok' },
    verify: (result) =>
      expect(warnings(result)).toMatch(/`token` was wrapped in quotes; they were removed/)
  },
  {
    name: 'a password wrapped in single quotes, Basic on Data Center: stripped, and Jira accepts it',
    prepare: (s) => {
      s.addUser({ name: 'quinn', password: 'correct-horse-staple' })
      return {
        inputs: { domain: s.url, username: 'quinn', token: "'correct-horse-staple'" },
        secrets: ['correct-horse-staple', basicCredential('quinn', 'correct-horse-staple')]
      }
    },
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'quinn' } },
    verify: (_result, s) => expect(s.failedLoginCount('quinn')).toBe(0)
  },
  {
    name: 'a non-ASCII Basic password is sent as UTF-8 and accepted',
    prepare: (s) => {
      s.addUser({ name: 'jörg', password: 'Pässwörd mit Leerzeichen ✓' })
      const password = 'Pässwörd mit Leerzeichen ✓'
      return {
        inputs: { domain: s.url, username: 'jörg', token: password },
        secrets: [password, basicCredential('jörg', password)]
      }
    },
    expect: { exitCode: 0, status: 'ok', outputs: { username: 'jörg' } }
  }
]

export const notFoundScenarios: Scenario[] = [
  {
    name: 'not-found with the port kept: suggests the context path on the same origin',
    on: 'dcContext',
    prepare: (s) => pat(s.origin, s.mintPat()),
    expect: { exitCode: 1, status: 'failed', errorCode: 'not-found' },
    verify: (result, s) => {
      const error = result.annotations.find((a) => a.level === 'error')!
      expect(error.message).toContain(`e.g. ${s.origin}/jira rather than ${s.origin}.`)
    }
  },
  {
    name: 'not-found when domain already has a context path: says so instead of asking to add one',
    on: 'dcContext',
    prepare: (s) => pat(`${s.origin}/wrong`, s.mintPat()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'not-found',
      message: /`domain` already has the context path "\/wrong"/
    },
    verify: (result) => {
      const error = result.annotations.find((a) => a.level === 'error')!
      expect(error.message).not.toMatch(/include it in `domain`/)
    }
  },
  {
    name: 'a Cloud 404 that names the user: the credentials worked, the path is wrong, no context path',
    on: 'cloud',
    settings: {
      fault: {
        type: 'status',
        status: 404,
        paths: ['myself'],
        headers: { 'X-AUSERNAME': 'ci-bot%40example.com', 'X-Seraph-LoginReason': 'OK' }
      }
    },
    prepare: (s) => basic(s.url, 'ci-bot@example.com', s.mintApiToken()),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'not-found',
      message:
        /The credentials worked \(Jira named the user "ci-bot%40example\.com"\): only the path is wrong\.[\s\S]*Jira Cloud has no context path/
    },
    verify: (result) => {
      const error = result.annotations.find((a) => a.level === 'error')!
      expect(error.message).not.toMatch(/\/jira rather than/)
    }
  }
]
