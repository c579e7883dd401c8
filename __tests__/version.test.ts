import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { USER_AGENT, VERSION } from '../src/version.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string
}

describe('version', () => {
  it("VERSION equals package.json's version", () => {
    expect(VERSION).toBe(pkg.version)
  })

  it('USER_AGENT is jira-auth-check/<VERSION>', () => {
    expect(USER_AGENT.startsWith(`jira-auth-check/${pkg.version} `)).toBe(true)
  })
})
