import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { closedPort } from '../test-support/net.mjs'
import { runAction } from '../test-support/run-action.mjs'
import { startStandin, writeCaFile, type Standin } from '../test-support/standin/index.mjs'
import { assertNoLeaks, describeScenarios } from './e2e/harness.js'
import { faultScenarios } from './e2e/scenarios-faults.js'

describeScenarios('faults, through dist/index.js', faultScenarios)

describe('a server that is down, then up', () => {
  it('refused, then the server comes up: recovers within the retry budget', async () => {
    const port = await closedPort()
    const token = randomBytes(33).toString('base64')
    const caPath = await writeCaFile()
    let late: Standin | undefined
    // The server starts after the first attempt has been refused.
    const starting = new Promise<void>((resolve) =>
      setTimeout(async () => {
        late = await startStandin({ port })
        resolve()
      }, 700)
    )
    const pats = [token]
    try {
      const runPromise = runAction({
        inputs: {
          domain: `https://127.0.0.1:${port}`,
          token,
          retries: '6',
          'timeout-seconds': '15'
        },
        env: { NODE_EXTRA_CA_CERTS: caPath }
      })
      await starting
      const result = await runPromise
      const refused = (result.stdout.match(/myself → ECONNREFUSED/g) ?? []).length
      expect(refused).toBeGreaterThanOrEqual(1)
      const attempts = (result.stdout.match(/^GET \S+\/rest\/api\/2\/myself/gm) ?? []).length
      expect(attempts).toBeLessThanOrEqual(7)
      expect(late!.requests.filter((r) => r.endpoint === 'myself').length).toBeLessThanOrEqual(
        7 - refused
      )
      // The late server answers 401 to a token it never minted: proof that the retry reached it.
      expect(result.outputs['error-code']).toBe('unauthorized')
      expect(late!.requests.filter((r) => r.endpoint === 'myself')).toHaveLength(1)
      assertNoLeaks(result, pats)
    } finally {
      await late?.close()
    }
  })
})

describe('runAction and the lookup hook', () => {
  it('refuses a lookup table in env, which its own table would overwrite unseen', async () => {
    await expect(
      runAction({
        inputs: { domain: 'https://jira.example.test', token: 'x' },
        env: { JAC_LOOKUP_HOOK: JSON.stringify({ 'jira.example.test': '127.0.0.1' }) }
      })
    ).rejects.toThrow(/pass the lookup table as `lookups`/)
  })
})
