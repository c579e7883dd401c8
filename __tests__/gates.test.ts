import { describeScenarios } from './e2e/harness.js'
import { gateScenarios } from './e2e/scenarios-gates.js'

describeScenarios('deploy gates and token health, through dist/index.js', gateScenarios)
