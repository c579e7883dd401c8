/**
 * What `npm pack` ships, and that `npm i -g` of it on a clean prefix gives a working
 * jira-auth-check. The package is built from the working tree (the fresh test bundles), so this
 * tests the edit, not the last dist/ someone committed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../test-support/bundles.mjs'
import { runCli } from '../test-support/run-cli.mjs'
import { startStandin, type Standin } from '../test-support/standin/index.mjs'

let work: string
let tarball: string
let standin: Standin

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'jac-pack-'))
  // A copy of the package as npm would see it, with dist/ from this run's fresh build.
  const pkg = join(work, 'pkg')
  mkdirSync(pkg)
  for (const file of ['package.json', 'README.md', 'LICENSE', 'action.yml', 'docs'])
    cpSync(join(repoRoot, file), join(pkg, file), { recursive: true })
  cpSync(process.env.JAC_BUNDLE_DIR ?? join(repoRoot, 'dist'), join(pkg, 'dist'), {
    recursive: true
  })
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: pkg, stdio: 'pipe' })
  tarball = join(
    work,
    readdirSync(work).find((name) => name.endsWith('.tgz'))!
  )
  standin = await startStandin()
})

afterAll(async () => {
  await standin?.close()
  rmSync(work, { recursive: true, force: true })
})

describe('npm pack', () => {
  it('ships the bundles, action.yml, the docs and the licence, and no tests or sources', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ''))
      .sort()
    expect(listing).toEqual(
      [
        'LICENSE',
        'README.md',
        'action.yml',
        'dist/action/index.cjs',
        'dist/action/index.cjs.map',
        'dist/cli/index.cjs',
        'dist/cli/index.cjs.map',
        'dist/licenses.txt',
        'docs/troubleshooting.md',
        'package.json'
      ].sort()
    )
  })

  it('installs globally on a clean prefix, without the registry, into a working jira-auth-check', async () => {
    const prefix = join(work, 'prefix')
    execFileSync(
      'npm',
      ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball],
      { stdio: 'pipe', env: { ...process.env, npm_config_cache: join(work, 'cache') } }
    )
    const bin = join(prefix, 'bin', 'jira-auth-check')
    const token = standin.mintPat({ name: 'packed' })
    // Run the installed command itself (its shebang), not a bundle path.
    const result = await runCli({
      command: bin,
      args: ['--domain', standin.url, '--token-name', 'packed', '--json'],
      env: { JIRA_PAT: token, NODE_EXTRA_CA_CERTS: standin.caPath }
    })
    expect({ exit: result.exitCode, stderr: result.stderr }).toEqual({
      exit: 0,
      stderr: expect.stringContaining('Authenticated to Jira')
    })
    expect(result.json).toMatchObject({ status: 'ok', username: 'ci-bot', 'token-name': 'packed' })
    expect(result.stdout + result.stderr).not.toContain(token)
  })
})
