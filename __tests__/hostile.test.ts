import { describeScenarios } from './e2e/harness.js'
import {
  cloudBearerScenarios,
  deadlineScenarios,
  injectionScenarios,
  notFoundScenarios,
  oddAnswerScenarios,
  runnerFileScenarios,
  secondaryProbeScenarios,
  tokenValueScenarios,
  transportScenarios
} from './e2e/scenarios-hostile.js'

describeScenarios('Jira values that try to become runner commands', injectionScenarios)
describeScenarios('runner files that cannot be written', runnerFileScenarios)
describeScenarios('odd but parseable answers', oddAnswerScenarios)
describeScenarios('secondary probes that fail after /myself worked', secondaryProbeScenarios)
describeScenarios('the deadline holds in every phase', deadlineScenarios)
describeScenarios('TLS overrides and proxies', transportScenarios)
describeScenarios('Cloud tokens sent as Bearer', cloudBearerScenarios)
describeScenarios('token values', tokenValueScenarios)
describeScenarios('not-found points the right way', notFoundScenarios)
