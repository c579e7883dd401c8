#!/usr/bin/env node
// Bundles the front-ends with esbuild: CommonJS (an ESM import of node:http makes Node 24 load its
// internal undici, about 38 ms of every start), tree-shaken, minified, no source-map register at
// start-up (the .map files sit beside the bundles for whoever needs to read a stack).
//
//   node scripts/build.mjs                 dist/ (what the runner and the installed CLI run)
//   node scripts/build.mjs --out DIR       another folder (the tests build a fresh copy to a temp dir)
//   node scripts/build.mjs --quiet
import { build } from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({
  options: { out: { type: 'string' }, quiet: { type: 'boolean', default: false } }
})
const out = resolve(values.out ?? join(repoRoot, 'dist'))

/**
 * Each bundle: its entry, and the aliases it needs. @actions/core imports @actions/http-client
 * only for OIDC (core.getIDToken), which the action never calls; evaluating it would load undici
 * and tunnel at every start (about 55 ms), so the action bundle gets a stand-in that fails loudly.
 * The rotate bundle keeps the real one: @actions/github routes GitHub requests through its proxy
 * agent, and Octokit (with undici) is loaded only once the inputs are good.
 */
export const BUNDLES = [
  {
    name: 'action',
    entry: 'src/action/index.ts',
    replace: { '@actions/http-client': 'src/action/no-oidc-http-client.ts' }
  },
  { name: 'cli', entry: 'src/cli/index.ts', banner: '#!/usr/bin/env node' },
  { name: 'rotate', entry: 'src/action/rotate/index.ts' }
]

const licences = new Map()

/**
 * Replaces exactly the named module (not its subpaths: core also imports the small
 * @actions/http-client/lib/auth, which may stay).
 */
function replaceModules(replace = {}) {
  return {
    name: 'replace-modules',
    setup(build) {
      for (const [name, file] of Object.entries(replace)) {
        const filter = new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`)
        build.onResolve({ filter }, () => ({ path: join(repoRoot, file) }))
      }
    }
  }
}

for (const bundle of BUNDLES) {
  const dir = join(out, bundle.name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [bundle.entry],
    outfile: join(dir, 'index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Turn import('node:http') into require(): a real ESM import of node:http builds its module
    // namespace, which makes Node 24 load its internal undici (the whole point of loading it lazily).
    supported: { 'dynamic-import': false },
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    legalComments: 'none',
    plugins: [replaceModules(bundle.replace)],
    banner: bundle.banner ? { js: bundle.banner } : undefined,
    metafile: true,
    logLevel: 'warning'
  })
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (match) licences.set(match[1], join(repoRoot, 'node_modules', match[1]))
  }
  if (!values.quiet) {
    const bytes = Object.values(result.metafile.outputs)
      .filter((output) => output.entryPoint)
      .reduce((sum, output) => sum + output.bytes, 0)
    process.stdout.write(
      `${relative(repoRoot, join(dir, 'index.cjs'))}  ${(bytes / 1024).toFixed(1)} KiB\n`
    )
  }
}

// The licences of every package inside a bundle, as ncc's --license did.
const text = [...licences]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, dir]) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    let licence = ''
    for (const file of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license']) {
      try {
        licence = readFileSync(join(dir, file), 'utf8').trim()
        break
      } catch {
        // try the next name
      }
    }
    return `${name}\n${manifest.license ?? ''}\n${licence}`
  })
  .join('\n\n')
writeFileSync(join(out, 'licenses.txt'), `${text}\n`)
