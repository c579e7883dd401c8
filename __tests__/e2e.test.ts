import { describeScenarios } from './e2e/harness.js'
import { v1Scenarios } from './e2e/scenarios-v1.js'

describeScenarios('dist/index.js against the Jira stand-in', v1Scenarios)
