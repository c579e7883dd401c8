/**
 * The whole end-to-end suite (but the slow deadline cases) once more with RUNNER_DEBUG=1 and once more with
 * NODE_DEBUG=http,https,net,tls. Debug output must never carry the token or base64(username:token):
 * every channel (stdout outside ::add-mask::, stderr, outputs, summary, GITHUB_ENV) is scanned, and
 * each scenario must still end the same way.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals'
import { assertCommon, execute, startWorld, stopWorld, type World } from './e2e/harness.js'
import { faultScenarios } from './e2e/scenarios-faults.js'
import { gateScenarios } from './e2e/scenarios-gates.js'
import {
  cloudBearerScenarios,
  injectionScenarios,
  oddAnswerScenarios,
  runnerFileScenarios,
  secondaryProbeScenarios,
  tokenValueScenarios,
  transportScenarios
} from './e2e/scenarios-hostile.js'
import { cappedScenarios, inputScenarios } from './e2e/scenarios-inputs.js'
import { v1Scenarios } from './e2e/scenarios-v1.js'

const modes: Array<[string, Record<string, string>]> = [
  ['RUNNER_DEBUG=1', { RUNNER_DEBUG: '1' }],
  ['NODE_DEBUG=http,https,net,tls', { NODE_DEBUG: 'http,https,net,tls' }]
]
const scenarios = [
  ...v1Scenarios,
  ...gateScenarios,
  ...faultScenarios,
  ...inputScenarios,
  ...cappedScenarios,
  ...injectionScenarios,
  ...runnerFileScenarios,
  ...oddAnswerScenarios,
  ...secondaryProbeScenarios,
  ...transportScenarios,
  ...cloudBearerScenarios,
  ...tokenValueScenarios
]

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await stopWorld(world)
})

describe.each(modes)('with %s', (_label, extraEnv) => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const executed = await execute(world, scenario, extraEnv)
      assertCommon(executed, scenario.expect)
    })
  }
})
