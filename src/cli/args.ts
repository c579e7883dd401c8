/**
 * Command-line flags, generated from the settings schema: every setting but the action-only ones
 * is `--name value` or `--name=value` (a boolean also works bare), with the same environment
 * fallbacks as the action. A secret never comes from argv, where process lists and CI logs show it.
 */
import {
  INPUTS,
  type InputName,
  type InputSpec,
  type RawSettings
} from '../engine/settings/schema.js'

export interface CliOptions {
  raw: RawSettings
  /** Where to write the access token that client credentials obtained (mode 0600). */
  accessTokenFile?: string
  json: boolean
  failOnWarning: boolean
  verbose: boolean
  color: boolean | undefined
  help: boolean
  version: boolean
}

export type ParsedArgs =
  | { ok: true; options: CliOptions }
  | {
      ok: false
      /** What was wrong, in one or two sentences; never a secret's value. */
      message: string
      /** A value given on the command line for a secret setting: mask it. */
      exposed?: string
    }

/** Where a secret's value comes from, when not from the environment. */
export interface SecretReaders {
  readFile(path: string): Promise<string>
  readStdin(): Promise<string>
}

export const FLAG_INPUTS: readonly InputSpec[] = INPUTS.filter(
  (input: InputSpec) => !input.actionOnly && !input.secret
)
const SECRET_INPUTS: readonly InputSpec[] = INPUTS.filter((input: InputSpec) => input.secret)

/** Flags of the CLI itself that take a value. */
export const CLI_VALUE_FLAGS = {
  'access-token-file': {
    placeholder: 'PATH',
    text: 'With client credentials: write the access token obtained to this file (mode 0600), for later steps. It never appears in the report or the JSON, which show ***.'
  }
} as const

/** Flags of the CLI itself, not settings. */
export const CLI_FLAGS = {
  json: 'Print one JSON object on stdout: the action outputs by name, plus diagnosis and notes.',
  'fail-on-warning':
    'Exit 4 when the check passes with a warning (for example a token close to expiry).',
  verbose: 'Print every request and, for a bug, the stack trace.',
  'no-color': 'No colours (also when NO_COLOR is set, or stderr is not a terminal).',
  help: 'Print this help.',
  version: 'Print the version.'
} as const

function secretSourceFlags(input: InputSpec): { file: string; stdin: string } {
  return { file: `${input.name}-file`, stdin: `${input.name}-stdin` }
}

function refuseSecret(input: InputSpec, value: string | undefined): ParsedArgs {
  const { file, stdin } = secretSourceFlags(input)
  return {
    ok: false,
    message:
      `--${input.name} is not accepted: a ${input.name} on the command line shows in process lists and CI logs. ` +
      `Use the ${input.env} environment variable, --${file} PATH or --${stdin} instead.`,
    exposed: value
  }
}

/** The closest known flag, for "did you mean". */
function closest(flag: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const rows = Array.from({ length: a.length + 1 }, (_, i) => [
      i,
      ...new Array<number>(b.length).fill(0)
    ])
    for (let j = 1; j <= b.length; j++) rows[0][j] = j
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        rows[i][j] = Math.min(
          rows[i - 1][j] + 1,
          rows[i][j - 1] + 1,
          rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
        )
    return rows[a.length][b.length]
  }
  const best = known
    .map((candidate) => ({ candidate, score: distance(flag, candidate) }))
    .sort((a, b) => a.score - b.score)[0]
  return best && best.score <= Math.max(2, Math.floor(flag.length / 4)) ? best.candidate : undefined
}

export async function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readers: SecretReaders
): Promise<ParsedArgs> {
  const given = new Map<string, string>()
  const secretFrom = new Map<InputName, { kind: 'file'; path: string } | { kind: 'stdin' }>()
  const flags = { json: false, failOnWarning: false, verbose: false, help: false, version: false }
  let color: boolean | undefined
  let accessTokenFile: string | undefined
  const known = [
    ...FLAG_INPUTS.map((input) => input.name),
    ...SECRET_INPUTS.flatMap((input) => Object.values(secretSourceFlags(input))),
    ...Object.keys(CLI_FLAGS),
    ...Object.keys(CLI_VALUE_FLAGS)
  ]

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]
    if (arg === '-h') {
      flags.help = true
      continue
    }
    if (!arg.startsWith('--') || arg === '--') {
      // Not echoed, and masked: a stray argument is often a secret (`--token-stdin "$JIRA_PAT"`).
      return {
        ok: false,
        message: `Unexpected argument at position ${index + 1}: jira-auth-check takes only flags (--help lists them); the token comes from JIRA_PAT, --token-file or --token-stdin.`,
        exposed: arg
      }
    }
    const eq = arg.indexOf('=')
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2)
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined
    const next = (): string | undefined => {
      if (inline !== undefined) return inline
      const value = argv[index + 1]
      if (value === undefined || value.startsWith('--')) return undefined
      index++
      return value
    }

    const secret = SECRET_INPUTS.find((input) => input.name === name)
    if (secret) {
      // The value (if any) was exposed already; take it off argv's neighbours for the redactor.
      const value = inline ?? (argv[index + 1]?.startsWith('--') ? undefined : argv[index + 1])
      return refuseSecret(secret, value)
    }
    const fileOf = SECRET_INPUTS.find((input) => secretSourceFlags(input).file === name)
    const stdinOf = SECRET_INPUTS.find((input) => secretSourceFlags(input).stdin === name)
    if (fileOf || stdinOf) {
      const input = (fileOf ?? stdinOf)!
      if (secretFrom.has(input.name as InputName)) {
        return {
          ok: false,
          message: `Give the ${input.name} once: --${secretSourceFlags(input).file} or --${secretSourceFlags(input).stdin}, not both.`
        }
      }
      if (fileOf) {
        const path = next()
        if (!path) return { ok: false, message: `--${name} needs a file path.` }
        secretFrom.set(input.name as InputName, { kind: 'file', path })
      } else {
        if (inline !== undefined) return { ok: false, message: `--${name} takes no value.` }
        const other = [...secretFrom].find(([, source]) => source.kind === 'stdin')
        if (other) {
          return {
            ok: false,
            message: `Standard input can carry one secret only: --${other[0]}-stdin is given already. Give the ${input.name} through ${input.env ?? 'its environment variable'} or --${secretSourceFlags(input).file} PATH.`
          }
        }
        secretFrom.set(input.name as InputName, { kind: 'stdin' })
      }
      continue
    }
    if (name === 'access-token-file') {
      const path = next()
      if (!path) return { ok: false, message: `--${name} needs a file path.` }
      accessTokenFile = path
      continue
    }
    const input = FLAG_INPUTS.find((candidate) => candidate.name === name)
    if (input) {
      if (input.kind === 'boolean') {
        const value =
          inline ?? (/^(true|false)$/i.test(argv[index + 1] ?? '') ? argv[++index] : 'true')
        given.set(input.name, value)
      } else {
        const value = next()
        if (value === undefined) return { ok: false, message: `--${name} needs a value.` }
        given.set(input.name, value)
      }
      continue
    }
    if (name in CLI_FLAGS) {
      if (inline !== undefined) return { ok: false, message: `--${name} takes no value.` }
      if (name === 'json') flags.json = true
      else if (name === 'fail-on-warning') flags.failOnWarning = true
      else if (name === 'verbose') flags.verbose = true
      else if (name === 'no-color') color = false
      else if (name === 'help') flags.help = true
      else if (name === 'version') flags.version = true
      continue
    }
    const suggestion = closest(name, known)
    return {
      ok: false,
      message: `Unknown flag --${name.slice(0, 40)}.${suggestion ? ` Did you mean --${suggestion}?` : ''} --help lists every flag.`
    }
  }

  const raw: Record<string, string> = {}
  for (const input of INPUTS as readonly InputSpec[]) {
    const fromEnv = input.env ? env[input.env]?.trim() : undefined
    raw[input.name] = given.get(input.name) ?? (fromEnv || input.default)
  }
  for (const [name, source] of secretFrom) {
    try {
      const text =
        source.kind === 'file' ? await readers.readFile(source.path) : await readers.readStdin()
      raw[name] = text.replace(/\r?\n$/, '')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return {
        ok: false,
        message:
          source.kind === 'file'
            ? `Could not read the ${name} from ${source.path}${code ? ` (${code})` : ''}.`
            : `Could not read the ${name} from standard input${code ? ` (${code})` : ''}.`
      }
    }
  }
  return {
    ok: true,
    options: {
      raw: raw as RawSettings,
      ...flags,
      color,
      ...(accessTokenFile !== undefined && { accessTokenFile })
    }
  }
}
