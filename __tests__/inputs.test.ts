import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { assertCommon, execute, startWorld, stopWorld, type World } from './e2e/harness.js'
import { cappedScenarios, inputScenarios } from './e2e/scenarios-inputs.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await stopWorld(world)
})

describe('bad inputs fail before any request, through dist/index.js', () => {
  it('has at least 30 malformed combinations', () => {
    expect(inputScenarios.length).toBeGreaterThanOrEqual(30)
  })
  for (const scenario of [...inputScenarios, ...cappedScenarios]) {
    it(scenario.name, async () => {
      const executed = await execute(world, scenario)
      assertCommon(executed, scenario.expect)
      await scenario.verify?.(executed.result, executed.standin, world, executed.run)
    })
  }
})
