/**
 * The CLI as a CI job runs it: the bundle as a process against the stand-in, asserting the exit
 * code, the --json document and the report on stderr for every error code a server can produce,
 * and that no secret appears anywhere in its output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, type CliResult } from '../test-support/run-cli.mjs'
import { startConnectProxy, type Standin } from '../test-support/standin/index.mjs'
import { OUTPUT_NAMES } from '../src/engine/render/outputs.js'
import { startWorld, stopWorld, type World } from './e2e/harness.js'

interface CliRun {
  args?: string[]
  env?: Record<string, string | undefined>
  stdin?: string
  secrets: string[]
  lookups?: Record<string, string>
  cleanup?: () => Promise<void>
}

interface CliScenario {
  name: string
  on?: keyof World
  settings?: Parameters<Standin['set']>[0]
  prepare: (s: Standin, world: World) => CliRun | Promise<CliRun>
  expect: { exit: number; status?: string; errorCode?: string; stderr?: RegExp }
  verify?: (result: CliResult, s: Standin) => void
}

const pat = (s: Standin, extra: string[] = [], token = s.mintPat()): CliRun => ({
  args: ['--domain', s.url, '--json', ...extra],
  env: { JIRA_PAT: token },
  secrets: [token]
})

const PROXIED = 'jira.standin.test'

const scenarios: CliScenario[] = [
  {
    name: 'ok: exit 0, the identity in JSON, a report on stderr',
    prepare: (s) => pat(s, ['--token-name', 'ci-token'], s.mintPat({ name: 'ci-token' })),
    expect: { exit: 0, status: 'ok', stderr: /^✔ Authenticated to Jira 10\.3\.19 as CI Bot/m },
    verify: (result) => {
      expect(result.json).toMatchObject({ username: 'ci-bot', 'token-name': 'ci-token', notes: [] })
      expect(result.json?.diagnosis).toBeUndefined()
    }
  },
  {
    name: 'token-policy fail: exit 1, the findings in JSON and the report',
    prepare: (s) =>
      pat(
        s,
        [
          '--token-name',
          'forever',
          '--token-policy',
          'fail',
          '--token-policy-ignore',
          'stale-tokens'
        ],
        s.mintPat({ name: 'forever', expiresInDays: null })
      ),
    expect: {
      exit: 1,
      status: 'failed',
      errorCode: 'token-policy',
      stderr: /no-expiry: Create a token with an expiry/
    },
    verify: (result) => expect(result.json?.['policy-findings']).toBe('no-expiry')
  },
  {
    name: 'token-policy warn: exit 0, and the findings reported as a warning',
    prepare: (s) =>
      pat(
        s,
        ['--token-name', 'forever-2', '--token-policy-ignore', 'stale-tokens'],
        s.mintPat({ name: 'forever-2', expiresInDays: null })
      ),
    expect: { exit: 0, status: 'ok', stderr: /^! Token hygiene: 1 finding$/m },
    verify: (result) => {
      expect(result.json?.['policy-findings']).toBe('no-expiry')
      expect(JSON.stringify(result.json?.notes)).toContain('never expires')
    }
  },
  {
    name: 'warning: exit 0',
    prepare: (s) => pat(s, [], s.mintPat({ expiresInDays: 5 })),
    expect: { exit: 0, status: 'warning', stderr: /expires in [45] days/ }
  },
  {
    name: 'warning with --fail-on-warning: exit 4',
    prepare: (s) => pat(s, ['--fail-on-warning'], s.mintPat({ expiresInDays: 5 })),
    expect: { exit: 4, status: 'warning' }
  },
  {
    name: 'unauthorized: exit 1',
    prepare: (s) => pat(s, [], s.mintPat({ expiresInDays: -2 })),
    expect: {
      exit: 1,
      errorCode: 'unauthorized',
      stderr: /^✖ Jira rejected the token \(HTTP 401\)/m
    }
  },
  {
    name: 'captcha-required: exit 1',
    settings: { captchaThreshold: 1 },
    prepare: async (s) => {
      const run = {
        args: ['--domain', s.url, '--username', 'ci-bot', '--json'],
        env: { JIRA_PAT: 'wrong-password-1', NODE_EXTRA_CA_CERTS: s.caPath },
        secrets: ['wrong-password-1']
      }
      // One failed login trips the (lowered) threshold; the second run meets the CAPTCHA.
      expect((await runCli(run)).json?.['error-code']).toBe('unauthorized')
      return run
    },
    expect: { exit: 1, errorCode: 'captcha-required' }
  },
  {
    name: 'basic-auth-disabled: exit 1',
    settings: { basicAuthDisabled: true },
    prepare: (s) => ({
      args: ['--domain', s.url, '--username', 'ci-bot', '--json'],
      env: { JIRA_PAT: 'correct-horse-battery' },
      secrets: ['correct-horse-battery']
    }),
    expect: { exit: 1, errorCode: 'basic-auth-disabled' }
  },
  {
    name: 'forbidden: exit 1',
    settings: { fault: { type: 'status', status: 403 } },
    prepare: (s) => pat(s),
    expect: { exit: 1, errorCode: 'forbidden' }
  },
  {
    name: 'identity-mismatch: exit 1',
    prepare: (s) => pat(s, ['--expected-user', 'svc-deploy']),
    expect: { exit: 1, errorCode: 'identity-mismatch', stderr: /add it to `--expected-user`/ }
  },
  {
    name: 'missing-permissions: exit 1',
    settings: { permissions: { BROWSE_PROJECTS: true, TRANSITION_ISSUES: false } },
    prepare: (s) => pat(s, ['--required-permissions', 'BROWSE_PROJECTS,TRANSITION_ISSUES']),
    expect: { exit: 1, errorCode: 'missing-permissions' },
    verify: (result) => expect(result.json?.['missing-permissions']).toBe('TRANSITION_ISSUES')
  },
  {
    name: 'project-not-found: exit 1',
    prepare: (s) => pat(s, ['--project', 'NOPE']),
    expect: { exit: 1, errorCode: 'project-not-found' }
  },
  {
    name: 'token-not-found: exit 1',
    prepare: (s) => pat(s, ['--token-name', 'not-there']),
    expect: { exit: 1, errorCode: 'token-not-found' }
  },
  {
    name: 'token-expiring: exit 1',
    prepare: (s) => pat(s, ['--expiry-error-days', '7'], s.mintPat({ expiresInDays: 3 })),
    expect: { exit: 1, errorCode: 'token-expiring' }
  },
  {
    name: 'login-redirect: exit 3',
    settings: { fault: { type: 'sso-redirect' } },
    prepare: (s) => pat(s),
    expect: { exit: 3, errorCode: 'login-redirect' }
  },
  {
    name: 'not-found: exit 3',
    on: 'dcContext',
    prepare: (s) => ({ ...pat(s), args: ['--domain', s.origin, '--json'] }),
    expect: { exit: 3, errorCode: 'not-found', stderr: /include it in `--domain`/ }
  },
  {
    name: 'rate-limited: exit 3',
    settings: { fault: { type: 'status', status: 429, retryAfter: 120 } },
    prepare: (s) => pat(s, ['--timeout-seconds', '5']),
    expect: { exit: 3, errorCode: 'rate-limited' }
  },
  {
    name: 'server-error: exit 3',
    settings: { fault: { type: 'status', status: 500 } },
    prepare: (s) => pat(s),
    expect: { exit: 3, errorCode: 'server-error' }
  },
  {
    name: 'unexpected-response: exit 3',
    settings: { fault: { type: 'malformed-json' } },
    prepare: (s) => pat(s),
    expect: { exit: 3, errorCode: 'unexpected-response' }
  },
  {
    name: 'timeout: exit 3, by timeout + 1 s',
    settings: { fault: { type: 'stall-body' } },
    prepare: (s) => pat(s, ['--timeout-seconds', '2']),
    expect: { exit: 3, errorCode: 'timeout' },
    verify: (result) => expect(result.durationMs).toBeLessThan(3000)
  },
  {
    name: 'dns-error: exit 3',
    prepare: (s) => ({
      ...pat(s),
      args: ['--domain', 'https://jira.does-not-exist.invalid', '--json'],
      lookups: { 'jira.does-not-exist.invalid': 'ENOTFOUND' }
    }),
    expect: { exit: 3, errorCode: 'dns-error' }
  },
  {
    name: 'connection-error: exit 3',
    prepare: (s) => ({
      ...pat(s),
      args: ['--domain', 'https://127.0.0.1:9', '--retries', '0', '--json']
    }),
    expect: { exit: 3, errorCode: 'connection-error' }
  },
  {
    name: 'tls-error: exit 3, with the CLI way to trust a CA',
    settings: { tls: 'untrusted' },
    prepare: (s) => pat(s),
    expect: { exit: 3, errorCode: 'tls-error', stderr: /export NODE_EXTRA_CA_CERTS/ }
  },
  {
    name: 'proxy-error: exit 3',
    prepare: async (s) => {
      const proxy = await startConnectProxy({ hosts: { [PROXIED]: '127.0.0.1' }, refuse: true })
      return {
        ...pat(s),
        args: ['--domain', `https://${PROXIED}:${s.port}`, '--json'],
        env: { ...pat(s).env, https_proxy: proxy.url },
        cleanup: () => proxy.close()
      }
    },
    expect: { exit: 3, errorCode: 'proxy-error' }
  },
  {
    name: 'missing-input: exit 2, before any request',
    prepare: () => ({
      args: ['--json'],
      env: { JIRA_PAT: 'x'.repeat(44) },
      secrets: ['x'.repeat(44)]
    }),
    expect: { exit: 2, errorCode: 'missing-input', stderr: /--domain` is empty/ },
    verify: (_result, s) => expect(s.requests).toHaveLength(0)
  },
  {
    name: 'invalid-input: exit 2, with the flag to use',
    prepare: (s) => ({ ...pat(s), args: ['--domain', `${s.url}/browse/ABC-1`, '--json'] }),
    expect: {
      exit: 2,
      errorCode: 'invalid-input',
      stderr: /Did you mean `--domain https:\/\/127\.0\.0\.1:\d+`\?/
    },
    verify: (_result, s) => expect(s.requests).toHaveLength(0)
  }
]

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await stopWorld(world)
})

function assertNoLeaks(result: CliResult, secrets: string[]): void {
  for (const secret of secrets.filter(Boolean)) {
    expect(result.stdout.includes(secret)).toBe(false)
    expect(result.stderr.includes(secret)).toBe(false)
  }
}

/** What every CLI run must satisfy, whatever the scenario. */
function assertCliRun(result: CliResult, scenario: CliScenario, run: CliRun): void {
  const context = `stderr:\n${result.stderr}`
  expect({ exit: result.exitCode, context }).toEqual({ exit: scenario.expect.exit, context })
  expect(result.json).toBeDefined()
  const json = result.json!
  // The action's outputs under the same names, plus diagnosis and notes: nothing else.
  expect(Object.keys(json).filter((key) => !['diagnosis', 'notes'].includes(key))).toEqual([
    ...OUTPUT_NAMES
  ])
  expect(json.status).toBe(scenario.expect.status ?? 'failed')
  expect(json['error-code']).toBe(scenario.expect.errorCode ?? '')
  if (scenario.expect.errorCode) {
    expect(json.diagnosis).toMatchObject({
      title: expect.any(String),
      headline: expect.any(String)
    })
    expect(result.stderr).toContain((json.diagnosis as { headline: string }).headline)
    expect(result.stderr).toMatch(
      new RegExp(`More: https://\\S+#${scenario.expect.errorCode}$`, 'm')
    )
  }
  if (scenario.expect.stderr) expect(result.stderr).toMatch(scenario.expect.stderr)
  // Not a terminal: no colour codes. The report never says GitHub's words.
  expect(result.stderr.includes('\u001b[')).toBe(false)
  expect(result.stderr).not.toMatch(/`with:`|runner environment|re-run jobs/)
  const answered = new Set(['localhost', ...Object.keys(run.lookups ?? {})])
  expect(result.lookups.filter((name) => !answered.has(name))).toEqual([])
  assertNoLeaks(result, run.secrets)
}

describe('jira-auth-check (the CLI bundle) against the stand-in', () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const standin = world[scenario.on ?? 'dc']
      for (const each of Object.values(world)) each.reset()
      if (scenario.settings) standin.set(scenario.settings)
      const run = await scenario.prepare(standin, world)
      try {
        const result = await runCli({
          args: run.args,
          env: { NODE_EXTRA_CA_CERTS: standin.caPath, ...run.env },
          stdin: run.stdin,
          lookups: run.lookups
        })
        assertCliRun(result, scenario, run)
        scenario.verify?.(result, standin)
      } finally {
        await run.cleanup?.()
      }
    })
  }
})

describe('secrets never come from argv', () => {
  it('refuses --token with exit 2, says what to use, and never prints the value', async () => {
    const value = 'NjE0MjU2ODk3MDEyOkRkR2hzdVZ0T3FyY0lZRGNpa3pZ'
    for (const args of [['--token', value], [`--token=${value}`]]) {
      const result = await runCli({ args: ['--domain', world.dc.url, ...args] })
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toMatch(
        /--token is not accepted[\s\S]*JIRA_PAT[\s\S]*--token-file PATH[\s\S]*--token-stdin/
      )
      expect(result.stderr + result.stdout).not.toContain(value)
    }
    expect(world.dc.requests).toHaveLength(0)
  })

  it('reads the token from --token-file and from --token-stdin', async () => {
    world.dc.reset()
    const token = world.dc.mintPat()
    const dir = mkdtempSync(join(tmpdir(), 'jac-token-'))
    try {
      const file = join(dir, 'token')
      writeFileSync(file, `${token}\n`)
      const fromFile = await runCli({
        args: ['--domain', world.dc.url, '--token-file', file, '--json'],
        env: { NODE_EXTRA_CA_CERTS: world.dc.caPath }
      })
      expect({ exit: fromFile.exitCode, status: fromFile.json?.status }).toEqual({
        exit: 0,
        status: 'ok'
      })
      const fromStdin = await runCli({
        args: ['--domain', world.dc.url, '--token-stdin', '--json'],
        env: { NODE_EXTRA_CA_CERTS: world.dc.caPath },
        stdin: `${token}\n`
      })
      expect({ exit: fromStdin.exitCode, status: fromStdin.json?.status }).toEqual({
        exit: 0,
        status: 'ok'
      })
      assertNoLeaks(fromFile, [token])
      assertNoLeaks(fromStdin, [token])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('usage', () => {
  it('exits 2 on an unknown flag, with a suggestion', async () => {
    const result = await runCli({ args: ['--expected-usr', 'x'] })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/Unknown flag --expected-usr\. Did you mean --expected-user\?/)
  })

  it('prints --help and --version on stdout with exit 0', async () => {
    const help = await runCli({ args: ['--help'] })
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toMatch(/^Usage: jira-auth-check/m)
    const version = await runCli({ args: ['--version'] })
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('takes JIRA_DOMAIN, JIRA_PAT and JIRA_USERNAME from the environment, and flags over them', async () => {
    world.cloud.reset()
    const token = world.cloud.mintApiToken()
    const result = await runCli({
      args: ['--json'],
      env: {
        JIRA_DOMAIN: world.cloud.url,
        JIRA_PAT: token,
        JIRA_USERNAME: 'ci-bot@example.com',
        NODE_EXTRA_CA_CERTS: world.cloud.caPath
      }
    })
    expect({ exit: result.exitCode, account: result.json?.['account-id'] }).toEqual({
      exit: 0,
      account: '5b10a2844c20165700ede21g'
    })
    const overridden = await runCli({
      args: ['--json', '--domain', 'https://127.0.0.1:9', '--retries', '0'],
      env: { JIRA_DOMAIN: world.cloud.url, JIRA_PAT: token, JIRA_USERNAME: 'ci-bot@example.com' }
    })
    expect(overridden.json?.['error-code']).toBe('connection-error')
  })

  it('neutralises Jira values on stderr too', async () => {
    world.dc.reset()
    world.dc.addUser({ name: 'mallory', displayName: 'Mal\n::error::forged\u001b[31m' })
    const token = world.dc.mintPat({ user: 'mallory' })
    const result = await runCli({
      args: ['--domain', world.dc.url],
      env: { JIRA_PAT: token, NODE_EXTRA_CA_CERTS: world.dc.caPath }
    })
    expect(result.stderr).toContain('Mal\ufffd::error::forged\ufffd[31m')
    expect(result.stderr).not.toMatch(/^::/m)
  })
})

describe('no secret in any debug mode', () => {
  it.each([
    ['--verbose', {}],
    ['NODE_DEBUG=http,https,net,tls', { NODE_DEBUG: 'http,https,net,tls' }]
  ])(
    '%s: the token, the Basic credential and a proxy password stay out of stdout and stderr',
    async (label, extra) => {
      world.cloud.reset()
      const token = world.cloud.mintApiToken()
      const credential = Buffer.from(`ci-bot@example.com:${token}`).toString('base64')
      const proxy = await startConnectProxy({
        hosts: { [PROXIED]: '127.0.0.1' },
        requireAuth: 'user:pr0xy-s3cret'
      })
      try {
        const result = await runCli({
          args: [
            '--domain',
            `https://${PROXIED}:${world.cloud.port}`,
            '--username',
            'ci-bot@example.com',
            '--json',
            '--verbose'
          ],
          env: {
            JIRA_PAT: token,
            NODE_EXTRA_CA_CERTS: world.cloud.caPath,
            https_proxy: proxy.url.replace('http://', 'http://user:pr0xy-s3cret@'),
            ...extra
          }
        })
        expect({ label, exit: result.exitCode }).toEqual({ label, exit: 0 })
        expect(result.stderr).toMatch(
          /^GET https:\/\/jira\.standin\.test:\d+\/rest\/api\/2\/myself → 200/m
        )
        assertNoLeaks(result, [
          token,
          credential,
          'pr0xy-s3cret',
          Buffer.from('user:pr0xy-s3cret').toString('base64')
        ])
      } finally {
        await proxy.close()
      }
    }
  )
})
