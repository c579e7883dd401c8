/**
 * The committed bundles, as the runner and `npm i -g` run them (check-dist proves they are what
 * src/ builds to; these tests prove what is, and is not, inside them).
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const actionYml = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  runs: { using: string; main: string }
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  bin: Record<string, string>
  files: string[]
}
const bundles = {
  action: actionYml.runs.main,
  cli: manifest.bin['jira-auth-check']
}
const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

describe.each(Object.entries(bundles))('the %s bundle (%s)', (name, path) => {
  const bundle = read(path)

  it('is CommonJS that this Node parses', () => {
    expect(path).toMatch(/\.cjs$/)
    expect(() => execFileSync(process.execPath, ['--check', path])).not.toThrow()
  })

  it('does not bundle undici or tunnel, and loads node:http only on the first request', () => {
    // @actions/core imports @actions/http-client only for OIDC: the action bundle replaces it.
    expect(bundle).not.toMatch(/undici/i)
    expect(bundle).not.toMatch(/TunnelingAgent/)
    expect(bundle).not.toMatch(/^var [^;]*require\("node:https?"\)/m)
  })

  it('carries no test support code', () => {
    expect(bundle).not.toMatch(/standin|node-forge|lookup-hook/i)
  })

  if (name === 'cli') {
    it('has no @actions/* inside, and a node shebang', () => {
      expect(bundle).not.toMatch(/@actions\//)
      expect(bundle.startsWith('#!/usr/bin/env node\n')).toBe(true)
    })
  }
})

describe('action.yml', () => {
  it('runs the action bundle on node24', () => {
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/action/index.cjs' })
  })
})

describe('the rotate action', () => {
  const rotateYml = parse(read('rotate/action.yml')) as { runs: { using: string; main: string } }

  it('runs its own bundle on node24, named relative to rotate/ as codeql-action does', () => {
    expect(rotateYml.runs).toEqual({ using: 'node24', main: '../dist/rotate/index.cjs' })
  })

  it('is CommonJS that this Node parses, without test support code', () => {
    const path = 'dist/rotate/index.cjs'
    expect(() => execFileSync(process.execPath, ['--check', path])).not.toThrow()
    expect(read(path)).not.toMatch(/standin|node-forge|lookup-hook/i)
  })

  it('stays out of the npm package, which is the CLI', () => {
    expect(manifest.files).toContain('!dist/rotate/')
  })
})
