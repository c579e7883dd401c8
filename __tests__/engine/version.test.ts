import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { VERSION, userAgent } from '../../src/engine/version.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string
}

describe('version', () => {
  it("VERSION equals package.json's version", () => {
    expect(VERSION).toBe(pkg.version)
  })

  it.each(['action', 'cli', 'rotate'] as const)(
    'userAgent(%j) is jira-auth-check/<VERSION> and names the front-end',
    (frontEnd) => {
      const agent = userAgent(frontEnd)
      expect(agent.startsWith(`jira-auth-check/${pkg.version} (${frontEnd}; `)).toBe(true)
      expect(agent).toMatch(/\+https:\/\/github\.com\/[^)]+\)$/)
    }
  )

  it('tells the front-ends apart', () => {
    expect(new Set([userAgent('action'), userAgent('cli'), userAgent('rotate')]).size).toBe(3)
  })
})
