// Jest's global setup: build the bundles from the working tree into a temporary folder, so that
// editing src/ and running `npm test` tests the edit, never the last dist/ someone built.
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './bundles.mjs'

export default function globalSetup() {
  if (process.env.JAC_BUNDLE_DIR) return
  const dir = mkdtempSync(join(tmpdir(), 'jira-auth-check-bundles-'))
  execFileSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'build.mjs'), '--out', dir, '--quiet'],
    {
      stdio: 'inherit'
    }
  )
  process.env.JAC_BUNDLE_DIR = dir
  process.env.JAC_BUNDLE_DIR_OWNED = '1'
}
