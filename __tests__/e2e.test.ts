import { afterAll, beforeAll, describe, it } from '@jest/globals'
import { assertCommon, execute, startWorld, stopWorld, type World } from './e2e/harness.js'
import { v1Scenarios } from './e2e/scenarios-v1.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await stopWorld(world)
})

describe('dist/index.js against the Jira stand-in', () => {
  for (const scenario of v1Scenarios) {
    it(scenario.name, async () => {
      const executed = await execute(world, scenario)
      assertCommon(executed, scenario.expect)
      await scenario.verify?.(executed.result, executed.standin, world, executed.run)
    })
  }
})
