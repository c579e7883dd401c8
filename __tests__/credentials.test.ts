/**
 * Every Atlassian credential of 2026, end to end, from the action bundle as the runner runs it, and
 * from the CLI bundle (the scenarios are in e2e/scenarios-credentials.ts). Cloud is the stand-in
 * behind a loopback CONNECT proxy: no name is ever resolved, and nothing leaves loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../test-support/run-cli.mjs'
import { assertCommon, assertNoLeaks } from './e2e/harness.js'
import {
  assertAccessToken,
  cloud,
  credentialScenarios as scenarios,
  execute,
  gateway,
  site,
  startWorlds,
  stopWorlds,
  type Worlds
} from './e2e/scenarios-credentials.js'

let worlds: Worlds
beforeAll(async () => {
  worlds = await startWorlds()
})
afterAll(async () => {
  await stopWorlds()
})

describe('every Atlassian credential of 2026, from the action bundle', () => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_name, scenario) => {
      const executed = await execute(scenario)
      assertCommon({ ...executed }, scenario.expect)
      // No name was resolved: every Atlassian name went through the proxy.
      expect(executed.result.lookups).toEqual([])
      scenario.verify?.(executed.result, worlds, executed.run)
    }
  )
})

describe('no secret leaks in any debug mode', () => {
  const leaky = scenarios.filter((scenario) =>
    /client credentials pass|scoped token given with the site URL|wrong client secret/.test(
      scenario.name
    )
  )
  it.each(
    leaky.flatMap((scenario) => [
      [scenario.name, 'RUNNER_DEBUG=1', { RUNNER_DEBUG: '1' }, scenario] as const,
      [scenario.name, 'NODE_DEBUG', { NODE_DEBUG: 'http,https,net,tls' }, scenario] as const
    ])
  )('%s under %s', async (_name, _mode, env, scenario) => {
    const { result, run, standin } = await execute(scenario, env)
    expect(result.outputs.status).toBe(scenario.expect.status)
    assertNoLeaks(result, run.secrets)
    if (result.outputs['access-token']) assertAccessToken(result, standin)
  })
})

describe('the CLI with client credentials', () => {
  it('reads the secret from stdin, shows *** for the access token and writes it to --access-token-file', async () => {
    const account = cloud().addServiceAccount({ name: `cli-${Date.now()}` })
    const dir = mkdtempSync(join(tmpdir(), 'jac-cli-'))
    try {
      const file = join(dir, 'access-token')
      const result = await runCli({
        args: [
          '--domain',
          site(),
          '--client-id',
          account.clientId,
          '--client-secret-stdin',
          '--access-token-file',
          file,
          '--json',
          '--verbose'
        ],
        stdin: `${account.clientSecret}\n`,
        env: worlds.cloud.env
      })
      expect(result.exitCode).toBe(0)
      expect(result.json).toMatchObject({
        status: 'ok',
        'credential-kind': 'oauth-client-credentials',
        'access-token': '***',
        'api-base-url': gateway()
      })
      const token = readFileSync(file, 'utf8')
      expect(token).toMatch(/^\S{20,}$/)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      for (const text of [result.stdout, result.stderr]) {
        expect(text).not.toContain(token)
        expect(text).not.toContain(account.clientSecret)
      }
      const used = cloud().requests.filter((request) => request.authorization === `Bearer ${token}`)
      expect(used.length).toBeGreaterThan(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses --client-secret on the command line, and masks the value it saw', async () => {
    const result = await runCli({
      args: ['--domain', site(), '--client-id', 'abc', '--client-secret', 'argv-secret-value'],
      env: worlds.cloud.env
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/--client-secret is not accepted[\s\S]*JIRA_CLIENT_SECRET/)
    expect(result.stderr).not.toContain('argv-secret-value')
  })

  it('refuses two secrets on stdin', async () => {
    const result = await runCli({
      args: ['--domain', site(), '--token-stdin', '--client-secret-stdin'],
      stdin: 'x',
      env: worlds.cloud.env
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/Standard input can carry one secret only/)
  })
})
