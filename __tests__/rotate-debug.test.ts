/**
 * The rotate action's whole end-to-end table once more with RUNNER_DEBUG=1, and once more with
 * NODE_DEBUG=http,https,net,tls: debug output must never carry the current token, a token the run
 * created or the GitHub token, and every scenario must still end the same way.
 */
import { describeRotations } from './e2e/rotate-harness.js'
import {
  rotationFaultScenarios,
  rotationInputScenarios,
  rotationScenarios
} from './e2e/rotate-scenarios.js'

const scenarios = [...rotationScenarios, ...rotationFaultScenarios, ...rotationInputScenarios]

describeRotations('rotate with RUNNER_DEBUG=1', scenarios, { RUNNER_DEBUG: '1' })
describeRotations('rotate with NODE_DEBUG=http,https,net,tls', scenarios, {
  NODE_DEBUG: 'http,https,net,tls'
})
