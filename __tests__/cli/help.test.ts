import { describe, it, expect } from '@jest/globals'
import { CLI_FLAGS } from '../../src/cli/args.js'
import { EXIT_CODES } from '../../src/cli/exit-codes.js'
import { helpText } from '../../src/cli/help.js'
import { INPUTS, type InputSpec } from '../../src/engine/settings/schema.js'
import { VERSION } from '../../src/engine/version.js'

const HELP = helpText()
const LINES = HELP.split('\n')
const SPECS = INPUTS as readonly InputSpec[]

/** The help entry of a flag: its first line and the indented lines that follow it. */
function entry(flag: string): string {
  const start = LINES.findIndex((line) => new RegExp(`^  ${flag}(\\s|$)`).test(line))
  if (start < 0) throw new Error(`no entry for ${flag}`)
  const rest = LINES.slice(start + 1)
  const end = rest.findIndex((line) => !/^ {3,}\S/.test(line))
  return [LINES[start], ...rest.slice(0, end < 0 ? rest.length : end)]
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}

describe('helpText', () => {
  it('starts with the name and version, and the usage', () => {
    expect(LINES[0]).toBe(
      `jira-auth-check ${VERSION}: check a Jira credential before a pipeline relies on it.`
    )
    expect(HELP).toContain('Usage: jira-auth-check --domain URL [flags]')
    expect(HELP.endsWith('\n')).toBe(true)
  })

  it.each(
    SPECS.filter((input) => !input.secret && !input.actionOnly).map(
      (input) => [input.name, input] as const
    )
  )('lists --%s with its default and environment variable', (name, input) => {
    const text = entry(`--${name}`)
    // A placeholder for the value (the values themselves for a choice), except for a boolean.
    const placeholder = input.choices ? input.choices.join('\\|') : '[A-Z]+'
    expect(new RegExp(`^--${name} ${placeholder} `).test(text)).toBe(input.kind !== 'boolean')
    expect(/\bdefault (\S+?)[;)]/.exec(text)?.[1]).toBe(
      input.default === '' ? undefined : input.default
    )
    expect(/\benv ([A-Z_]+)/.exec(text)?.[1]).toBe(input.env)
    // The description, with other settings named as flags.
    expect(text).toContain(input.description.split(/[`(]/)[0].trim())
  })

  it('lists the secret only as -file and -stdin, never as a flag of its own', () => {
    for (const input of SPECS.filter((spec) => spec.secret)) {
      expect(entry(`--${input.name}-file PATH`)).toContain('one trailing newline ignored')
      expect(entry(`--${input.name}-stdin`)).toContain('standard input')
      expect(HELP).not.toMatch(new RegExp(`^  --${input.name}\\b(?!-)`, 'm'))
    }
    expect(HELP).toContain(
      'The token comes from the JIRA_PAT environment variable, --token-file PATH or --token-stdin,'
    )
  })

  it('leaves out the action-only settings', () => {
    for (const input of SPECS.filter((spec) => spec.actionOnly)) {
      expect(HELP).not.toContain(`--${input.name}`)
    }
  })

  it('names other settings as flags, and the secret as "the token"', () => {
    expect(HELP).not.toMatch(new RegExp(`\`(${SPECS.map((input) => input.name).join('|')})\``))
    expect(entry('--project TEXT')).toContain('scopes --required-permissions')
    expect(entry('--username TEXT')).toContain('username:token')
  })

  it.each(Object.entries(CLI_FLAGS))('lists --%s', (name, text) => {
    expect(entry(`--${name}`)).toBe(`--${name} ${text}`)
  })

  it.each(EXIT_CODES.map(({ code, when }) => [code, when] as const))(
    'lists exit code %d',
    (code, when) => {
      expect(entry(String(code))).toBe(`${code} ${when}`)
    }
  )

  it('keeps every line within 100 columns, and each description in its column', () => {
    for (const line of LINES) expect(line.length).toBeLessThanOrEqual(100)
    for (const line of LINES.filter((l) => /^ {3,}\S/.test(l))) expect(line).toMatch(/^ {32}\S/)
  })
})
