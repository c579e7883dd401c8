// The one way to spawn, time and collect a child process, shared by the e2e runner
// (run-action.mjs), `npm run bench` and `npm run soak`. Plain ESM, no build step.
//
// The clock runs from just before spawn() to the child's 'close' (exited and stdio drained), so every
// caller measures the same thing. A SIGKILL guard fires after timeoutMs; `killed` says whether it had
// to. With `rss: true` the command runs under GNU time (`/usr/bin/time -f %M`) and the result carries
// its peak resident set in KiB; that wrapper adds a fork/exec, so time RSS runs apart from timed ones.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

export const TIME_BIN = '/usr/bin/time'

/** @type {boolean | undefined} */
let gnuTime
/** Whether TIME_BIN is GNU time (BusyBox and BSD `time` lack `-f %M -o`). Checked once. */
export function hasGnuTime() {
  if (gnuTime === undefined) {
    gnuTime = false
    if (existsSync(TIME_BIN)) {
      try {
        const out = execFileSync(TIME_BIN, ['--version'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe']
        })
        gnuTime = /GNU/.test(out)
      } catch (error) {
        // GNU time prints its version on stderr in some builds.
        gnuTime = /GNU/.test(String(/** @type {any} */ (error)?.stderr ?? ''))
      }
    }
  }
  return gnuTime
}

/** @type {string | undefined} */
let scratch
function scratchDir() {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'jira-auth-check-spawn-'))
    scratch = dir
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  }
  return scratch
}

let rssFiles = 0

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('./spawn.d.mts').SpawnTimedOptions} [options]
 * @returns {Promise<import('./spawn.d.mts').SpawnResult>}
 */
export function spawnTimed(command, args, options = {}) {
  const { env = {}, cwd = process.cwd(), timeoutMs = 120_000, rss = false, stdin } = options
  /** @type {string | undefined} */
  let rssFile
  let file = command
  let argv = args
  if (rss) {
    rssFile = join(scratchDir(), `rss-${++rssFiles}`)
    file = TIME_BIN
    argv = ['-f', '%M', '-o', rssFile, command, ...args]
  }
  return new Promise((resolvePromise, reject) => {
    /** @type {Buffer[]} */
    const out = []
    /** @type {Buffer[]} */
    const err = []
    let killed = false
    const started = performance.now()
    const child = spawn(file, argv, {
      cwd,
      env,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    if (stdin !== undefined) child.stdin?.end(stdin)
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
      const durationMs = performance.now() - started
      clearTimeout(timer)
      /** @type {number | undefined} */
      let maxRssKiB
      if (rssFile) {
        try {
          const lines = readFileSync(rssFile, 'utf8').trim().split('\n')
          const value = Number(lines[lines.length - 1])
          maxRssKiB = Number.isFinite(value) ? value : undefined
        } catch {
          maxRssKiB = undefined
        }
        rmSync(rssFile, { force: true })
      }
      resolvePromise({
        durationMs,
        exitCode: code,
        signal,
        killed,
        maxRssKiB,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8')
      })
    })
  })
}
