import { afterAll, beforeAll, describe, it } from '@jest/globals'
import { assertCommon, execute, startWorld, stopWorld, type World } from './e2e/harness.js'
import { gateScenarios } from './e2e/scenarios-gates.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await stopWorld(world)
})

describe('deploy gates and token health, through dist/index.js', () => {
  for (const scenario of gateScenarios) {
    it(scenario.name, async () => {
      const executed = await execute(world, scenario)
      assertCommon(executed, scenario.expect)
      await scenario.verify?.(executed.result, executed.standin, world, executed.run)
    })
  }
})
