/**
 * The rotate action's bundle, run as the runner runs it, against the Jira and GitHub stand-ins:
 * success paths, a fault at every step, and bad inputs (tables in __tests__/e2e/rotate-scenarios.ts).
 */
import { describeRotations } from './e2e/rotate-harness.js'
import {
  rotationFaultScenarios,
  rotationInputScenarios,
  rotationScenarios
} from './e2e/rotate-scenarios.js'

describeRotations('rotate: the rotation', rotationScenarios)
describeRotations('rotate: a fault at every step', rotationFaultScenarios)
describeRotations('rotate: bad inputs fail before any request', rotationInputScenarios)
