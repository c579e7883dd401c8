// Where the bundles under test are. The tests never run a stale bundle: jest's global setup builds
// a fresh copy of src/ into a temporary folder and names it in JAC_BUNDLE_DIR; without that (the
// bench, the soak, a hand run) the committed dist/ is used, as the runner and `npm i -g` use it.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** @param {'action' | 'cli' | 'rotate'} name */
export function bundlePath(name) {
  const dir = process.env.JAC_BUNDLE_DIR
  if (dir) return join(dir, name, 'index.cjs')
  if (name === 'action' || name === 'rotate') {
    // rotate/action.yml names its bundle relative to itself (../dist/rotate/index.cjs).
    const folder = name === 'action' ? repoRoot : join(repoRoot, 'rotate')
    const doc = YAML.parse(readFileSync(join(folder, 'action.yml'), 'utf8'))
    return join(folder, doc.runs.main)
  }
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
  return join(repoRoot, manifest.bin['jira-auth-check'])
}
