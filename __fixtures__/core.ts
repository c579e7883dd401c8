/**
 * A typed stand-in for @actions/core, in the actions/typescript-action style:
 *   jest.unstable_mockModule('@actions/core', () => core)
 *   const { report } = await import('../../src/action/report.js')
 */
import type * as core from '@actions/core'
import { jest } from '@jest/globals'

export const getInput = jest.fn<typeof core.getInput>()
export const setSecret = jest.fn<typeof core.setSecret>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const error = jest.fn<typeof core.error>()
export const warning = jest.fn<typeof core.warning>()
export const notice = jest.fn<typeof core.notice>()
export const info = jest.fn<typeof core.info>()
export const debug = jest.fn<typeof core.debug>()

type SummaryLike = {
  addRaw: jest.Mock<(text: string, addEOL?: boolean) => SummaryLike>
  write: jest.Mock<() => Promise<SummaryLike>>
}

export const summary: SummaryLike = {
  addRaw: jest.fn<(text: string, addEOL?: boolean) => SummaryLike>(),
  write: jest.fn<() => Promise<SummaryLike>>()
}

/** clearMocks wipes implementations' call records, not implementations; still, re-arm per test. */
export function resetSummary(): void {
  summary.addRaw.mockImplementation(() => summary)
  summary.write.mockImplementation(() => Promise.resolve(summary))
}
resetSummary()
