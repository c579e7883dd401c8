import { describe, expect, it } from '@jest/globals'
import { describeScenarios } from './e2e/harness.js'
import { cappedScenarios, inputScenarios } from './e2e/scenarios-inputs.js'

describe('the bad-input table', () => {
  it('has at least 30 malformed combinations', () => {
    expect(inputScenarios.length).toBeGreaterThanOrEqual(30)
  })
})

describeScenarios('bad inputs fail before any request, through dist/index.js', [
  ...inputScenarios,
  ...cappedScenarios
])
