// The command-line front shared by scripts/bench.mjs and scripts/soak.mjs: option parsing with
// --help, one-line errors (no stack trace) for problems with the checkout or the command line, and
// the rule for where a report goes: stdout by default, a file with --out, the committed docs only
// with --write. Progress goes to stderr so stdout stays the report.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { ProjectError } from './project.mjs'

/** A bad command line: reported in one line with a pointer to --help. */
export class UsageError extends Error {}

/** @param {string} line */
export const log = (line) => process.stderr.write(`${line}\n`)

/**
 * Parse argv against `options` (node:util parseArgs), printing `help` and exiting 0 on --help.
 * @template {import('node:util').ParseArgsConfig['options']} O
 * @param {string} help
 * @param {O} options
 * @param {string[]} [argv]
 */
export function parseOptions(help, options, argv = process.argv.slice(2)) {
  /** @type {any} */
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true
    })
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message)
  }
  if (parsed.values.help) {
    process.stdout.write(help)
    process.exit(0)
  }
  return parsed.values
}

/**
 * A whole number ≥ min from an option value.
 * @param {string | undefined} value
 * @param {string} name
 * @param {number} fallback
 * @param {number} [min]
 */
export function integerOption(value, name, fallback, min = 1) {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} wants a whole number ≥ ${min}, got ${JSON.stringify(value)}`)
  }
  return n
}

/**
 * Write a report to a file (creating its folder).
 * @param {string} path
 * @param {string} text
 */
export function writeReport(path, text) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

/**
 * Run a script's main function; ProjectError and UsageError become one line on stderr and exit 2,
 * anything else is a bug and keeps its stack.
 * @param {string} name e.g. 'bench'
 * @param {() => Promise<number>} main resolves to the exit code
 */
export function runMain(name, main) {
  main().then(
    (exitCode) => {
      process.exitCode = exitCode
    },
    (error) => {
      if (error instanceof ProjectError) {
        log(`${name}: ${error.message}`)
      } else if (error instanceof UsageError) {
        log(`${name}: ${error.message} (see --help)`)
      } else {
        log(`${name}: ${error?.stack ?? error}`)
      }
      process.exitCode = 2
    }
  )
}
