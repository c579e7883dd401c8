import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const bundle = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')

describe('dist/index.js', () => {
  it('is valid JavaScript for this Node', () => {
    expect(() => execFileSync(process.execPath, ['--check', 'dist/index.js'])).not.toThrow()
  })

  it('does not bundle undici or tunnel (the http-client stub keeps start-up fast)', () => {
    // @actions/core imports @actions/http-client only for OIDC; see src/stubs/http-client.ts.
    expect(bundle).not.toMatch(/undici/i)
    expect(bundle).not.toMatch(/TunnelingAgent/)
  })

  it('carries no test support code', () => {
    expect(bundle).not.toMatch(/standin|node-forge/i)
  })
})
