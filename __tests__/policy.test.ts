import { describeScenarios } from './e2e/harness.js'
import { policyScenarios } from './e2e/scenarios-policy.js'

describeScenarios('token hygiene (token-policy), through the action bundle', policyScenarios)
