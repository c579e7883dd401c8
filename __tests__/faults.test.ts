import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as net from 'node:net'
import { runAction } from '../test-support/run-action.mjs'
import { startStandin, type Standin } from '../test-support/standin/index.mjs'
import {
  assertCommon,
  assertNoLeaks,
  execute,
  startWorld,
  stopWorld,
  type World
} from './e2e/harness.js'
import { faultScenarios } from './e2e/scenarios-faults.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await stopWorld(world)
})

describe('faults, through dist/index.js', () => {
  for (const scenario of faultScenarios) {
    it(scenario.name, async () => {
      const executed = await execute(world, scenario)
      assertCommon(executed, scenario.expect)
      await scenario.verify?.(executed.result, executed.standin, world, executed.run)
    })
  }

  it('refused, then the server comes up: recovers within the retry budget', async () => {
    const port = await freePort()
    const token = world.dc.mintPat()
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
        env: { NODE_EXTRA_CA_CERTS: world.dc.caPath }
      })
      await starting
      // The late stand-in does not know the token minted on another one: mint the same user there.
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}
