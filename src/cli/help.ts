/** `--help`, generated from the settings schema, so every flag is listed with its default. */
import { INPUTS, type InputKind, type InputSpec } from '../engine/settings/schema.js'
import { VERSION } from '../engine/version.js'
import { CLI_FLAGS, CLI_VALUE_FLAGS, FLAG_INPUTS } from './args.js'
import { EXIT_CODES } from './exit-codes.js'

const PLACEHOLDERS: Record<InputKind, string> = {
  url: 'URL',
  secret: 'VALUE',
  text: 'TEXT',
  list: 'LIST',
  seconds: 'SECONDS',
  count: 'N',
  days: 'DAYS',
  boolean: '',
  date: 'DATE',
  choice: 'VALUE'
}

const WIDTH = 100
const INDENT = 32

/** The schema's wording of a description, with `setting` names turned into flags. */
function describe(description: string): string {
  return description.replace(/`([a-z-]+)`/g, (match, name: string) => {
    const input = (INPUTS as readonly InputSpec[]).find((candidate) => candidate.name === name)
    if (!input) return match
    return input.secret ? `the ${name}` : `--${name}`
  })
}

/** Words wrapped to the width, every line after the first indented under the first. */
function wrap(text: string): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > WIDTH - INDENT) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join(`\n${' '.repeat(INDENT)}`)
}

function row(flag: string, text: string): string {
  const head = `  ${flag}`
  return head.length >= INDENT
    ? `${head}\n${' '.repeat(INDENT)}${wrap(text)}`
    : `${head.padEnd(INDENT)}${wrap(text)}`
}

export function helpText(): string {
  const settings = FLAG_INPUTS.map((input) => {
    const placeholder = input.choices ? input.choices.join('|') : PLACEHOLDERS[input.kind]
    const extra = [
      input.env ? `env ${input.env}` : '',
      input.default !== '' ? `default ${input.default}` : ''
    ].filter(Boolean)
    return row(
      `--${input.name}${placeholder ? ` ${placeholder}` : ''}`,
      `${describe(input.description)}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`
    )
  })
  const secrets = (INPUTS as readonly InputSpec[])
    .filter((input) => input.secret)
    .flatMap((input) => [
      row(
        `--${input.name}-file PATH`,
        `Read the ${input.name} from a file (one trailing newline ignored).`
      ),
      row(`--${input.name}-stdin`, `Read the ${input.name} from standard input.`)
    ])
  const own = [
    ...Object.entries(CLI_VALUE_FLAGS).map(([name, flag]) =>
      row(`--${name} ${flag.placeholder}`, flag.text)
    ),
    ...Object.entries(CLI_FLAGS).map(([name, text]) => row(`--${name}`, text))
  ]
  const exits = EXIT_CODES.map(({ code, when }) => row(String(code), when))
  return [
    `jira-auth-check ${VERSION}: check a Jira credential before a pipeline relies on it.`,
    '',
    'Usage: jira-auth-check --domain URL [flags]',
    '',
    'The token comes from the JIRA_PAT environment variable, --token-file PATH or --token-stdin,',
    'never from a flag: process lists and CI logs show arguments. The report goes to stderr;',
    'with --json, one JSON object goes to stdout.',
    '',
    'Settings (--name value or --name=value; a boolean also works bare):',
    ...settings,
    '',
    'The token:',
    ...secrets,
    '',
    'Output:',
    ...own,
    '',
    'Exit codes:',
    ...exits,
    ''
  ].join('\n')
}
