import { describe, it, expect } from '@jest/globals'
import {
  CLI_FLAGS,
  FLAG_INPUTS,
  parseCliArgs,
  type CliOptions,
  type ParsedArgs,
  type SecretReaders
} from '../../src/cli/args.js'
import { INPUTS, defaults, type InputName } from '../../src/engine/settings/schema.js'
import { PAT } from '../../__fixtures__/settings.js'

/** Readers that serve files from a table and stdin from a string, and record what was read. */
function readers(files: Record<string, string> = {}, stdin?: string) {
  const read: string[] = []
  const value: SecretReaders = {
    readFile: async (path) => {
      read.push(`file:${path}`)
      if (path in files) return files[path]
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
        code: 'ENOENT'
      })
    },
    readStdin: async () => {
      read.push('stdin')
      if (stdin === undefined) throw Object.assign(new Error('stdin closed'), { code: 'EPIPE' })
      return stdin
    }
  }
  return Object.assign(value, { read })
}

async function parse(
  argv: string[],
  env: Record<string, string | undefined> = {},
  r: SecretReaders = readers()
): Promise<ParsedArgs> {
  return parseCliArgs(argv, env, r)
}

async function options(
  argv: string[],
  env: Record<string, string | undefined> = {},
  r: SecretReaders = readers()
): Promise<CliOptions> {
  const parsed = await parse(argv, env, r)
  if (!parsed.ok) throw new Error(`refused ${JSON.stringify(argv)}: ${parsed.message}`)
  return parsed.options
}

async function refusal(
  argv: string[],
  env: Record<string, string | undefined> = {},
  r: SecretReaders = readers()
): Promise<Extract<ParsedArgs, { ok: false }>> {
  const parsed = await parse(argv, env, r)
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(argv)}`)
  return parsed
}

/** A value of the right kind for each setting, unlike its default. */
const SAMPLE: Record<InputName, string> = {
  domain: 'https://jira.example.com/jira',
  token: 'never-used',
  username: 'ci-bot@example.com',
  'client-id': 'f3Kp9xTq2LmN8vWb',
  'client-secret': 'never-used',
  'cloud-id': '1324a887-45db-1bf4-1e99-ef0ff456d421',
  'timeout-seconds': '45',
  retries: '5',
  'allow-insecure-http': 'true',
  summary: 'false',
  'expected-user': 'alice,bob',
  'required-permissions': 'BROWSE_PROJECTS,CREATE_ISSUES',
  project: 'ABC',
  'token-name': 'CI token',
  'token-expires-on': '2027-03-31',
  'expiry-warning-days': '30',
  'expiry-error-days': '7',
  'token-policy': 'fail',
  'max-token-lifetime-days': '30',
  'stale-token-days': '60',
  'token-policy-ignore': 'admin-rights'
}

describe('the flags', () => {
  it('are every setting but the secret and the action-only ones', () => {
    expect(FLAG_INPUTS.map((input) => input.name)).toEqual([
      'domain',
      'username',
      'client-id',
      'cloud-id',
      'timeout-seconds',
      'retries',
      'allow-insecure-http',
      'expected-user',
      'required-permissions',
      'project',
      'token-name',
      'token-expires-on',
      'expiry-warning-days',
      'expiry-error-days',
      'token-policy',
      'max-token-lifetime-days',
      'stale-token-days',
      'token-policy-ignore'
    ])
  })

  it('give the schema defaults when nothing is given', async () => {
    expect(await options([])).toEqual({
      raw: defaults(),
      json: false,
      failOnWarning: false,
      verbose: false,
      color: undefined,
      help: false,
      version: false
    })
  })

  it.each(FLAG_INPUTS.map((input) => [input.name]))('--%s value', async (name) => {
    const raw = (await options([`--${name}`, SAMPLE[name as InputName]])).raw
    expect(raw).toEqual({ ...defaults(), [name]: SAMPLE[name as InputName] })
  })

  it.each(FLAG_INPUTS.map((input) => [input.name]))('--%s=value', async (name) => {
    const raw = (await options([`--${name}=${SAMPLE[name as InputName]}`])).raw
    expect(raw).toEqual({ ...defaults(), [name]: SAMPLE[name as InputName] })
  })

  it('keeps everything after the first "=" as the value, and an empty value as empty', async () => {
    expect((await options(['--token-name=a=b'])).raw['token-name']).toBe('a=b')
    expect((await options(['--username='])).raw.username).toBe('')
  })

  it('reads every setting together, in any order', async () => {
    const argv = FLAG_INPUTS.flatMap((input) => [
      `--${input.name}`,
      SAMPLE[input.name as InputName]
    ]).reverse()
    // Reversed, each value comes before its flag: that is two positional arguments, refused.
    expect((await parse(argv)).ok).toBe(false)
    const pairs = FLAG_INPUTS.map(
      (input) => `--${input.name}=${SAMPLE[input.name as InputName]}`
    ).reverse()
    const raw = (await options(pairs)).raw
    for (const input of FLAG_INPUTS)
      expect(raw[input.name as InputName]).toBe(SAMPLE[input.name as InputName])
  })

  it('takes the last of a flag given twice', async () => {
    expect((await options(['--retries', '1', '--retries', '4'])).raw.retries).toBe('4')
  })

  it.each(FLAG_INPUTS.filter((input) => input.kind !== 'boolean').map((input) => [input.name]))(
    '--%s without a value is refused',
    async (name) => {
      expect((await refusal([`--${name}`])).message).toBe(`--${name} needs a value.`)
      expect((await refusal([`--${name}`, '--json'])).message).toBe(`--${name} needs a value.`)
    }
  )
})

describe('boolean flags', () => {
  it.each([
    [['--allow-insecure-http'], 'true'],
    [['--allow-insecure-http', 'true'], 'true'],
    [['--allow-insecure-http', 'false'], 'false'],
    [['--allow-insecure-http', 'FALSE'], 'FALSE'],
    [['--allow-insecure-http=false'], 'false'],
    [['--allow-insecure-http=true'], 'true'],
    [['--allow-insecure-http', '--json'], 'true']
  ])('%j → %s', async (argv, value) => {
    expect((await options(argv)).raw['allow-insecure-http']).toBe(value)
  })

  it('bare does not swallow the next argument unless it is true or false', async () => {
    const parsed = await refusal(['--allow-insecure-http', 'yes'])
    expect(parsed.message).toMatch(/^Unexpected argument/)
    expect((await options(['--allow-insecure-http', '--domain', 'x'])).raw.domain).toBe('x')
  })

  it('=value passes any text on for the parser to refuse', async () => {
    expect((await options(['--allow-insecure-http=maybe'])).raw['allow-insecure-http']).toBe(
      'maybe'
    )
  })
})

describe('environment fallbacks', () => {
  it('read JIRA_DOMAIN, JIRA_PAT and JIRA_USERNAME, trimmed', async () => {
    const raw = (
      await options([], {
        JIRA_DOMAIN: ' https://jira.example.com ',
        JIRA_PAT: ` ${PAT}\n`,
        JIRA_USERNAME: 'bob '
      })
    ).raw
    expect(raw.domain).toBe('https://jira.example.com')
    expect(raw.token).toBe(PAT)
    expect(raw.username).toBe('bob')
  })

  it('give way to a flag', async () => {
    const env = { JIRA_DOMAIN: 'https://from-env', JIRA_USERNAME: 'env-user' }
    const raw = (await options(['--domain', 'https://from-flag', '--username=flag-user'], env)).raw
    expect(raw.domain).toBe('https://from-flag')
    expect(raw.username).toBe('flag-user')
  })

  it('an empty flag still wins over the environment', async () => {
    expect((await options(['--username='], { JIRA_USERNAME: 'env-user' })).raw.username).toBe('')
  })

  it('an empty or blank variable is the default', async () => {
    expect((await options([], { JIRA_DOMAIN: '   ' })).raw.domain).toBe('')
  })

  it('exist only for the three', async () => {
    const raw = (await options([], { RETRIES: '9', JIRA_RETRIES: '9', INPUT_RETRIES: '9' })).raw
    expect(raw.retries).toBe('2')
  })
})

describe('the token on the command line', () => {
  it.each([
    [['--token', PAT], PAT],
    [[`--token=${PAT}`], PAT],
    [['--domain', 'x', '--token', PAT, '--json'], PAT],
    [['--token'], undefined],
    [['--token', '--json'], undefined]
  ])('%j is refused, without the value, which comes back as exposed', async (argv, exposed) => {
    const parsed = await refusal(argv)
    expect(parsed.message).toContain('--token is not accepted')
    expect(parsed.message).toContain('JIRA_PAT')
    expect(parsed.message).toContain('--token-file')
    expect(parsed.message).toContain('--token-stdin')
    expect(parsed.message).not.toContain(PAT)
    expect(parsed.exposed).toBe(exposed)
  })

  it('is refused even after a token file, and never read', async () => {
    const r = readers({ '/secret': PAT })
    const parsed = await refusal(['--token-file', '/secret', '--token', 'other'], {}, r)
    expect(parsed.exposed).toBe('other')
    expect(r.read).toEqual([])
  })
})

describe('--token-file and --token-stdin', () => {
  it('--token-file reads the file, dropping one trailing newline', async () => {
    const r = readers({ '/run/secrets/pat': `${PAT}\n` })
    expect((await options(['--token-file', '/run/secrets/pat'], {}, r)).raw.token).toBe(PAT)
    expect(r.read).toEqual(['file:/run/secrets/pat'])
  })

  it.each([
    [`${PAT}\r\n`, PAT],
    [`${PAT}\n\n`, `${PAT}\n`],
    [` ${PAT} `, ` ${PAT} `]
  ])('--token-file=path takes %j as %j', async (content, token) => {
    expect((await options(['--token-file=/p'], {}, readers({ '/p': content }))).raw.token).toBe(
      token
    )
  })

  it('an unreadable file is a message with the path and the errno, never a crash', async () => {
    const parsed = await refusal(['--token-file', '/nope'])
    expect(parsed.message).toBe('Could not read the token from /nope (ENOENT).')
  })

  it('an error without a code is still a message', async () => {
    const r: SecretReaders = {
      readFile: () => Promise.reject(new Error('boom')),
      readStdin: () => Promise.reject(new Error('boom'))
    }
    expect((await refusal(['--token-file', '/x'], {}, r)).message).toBe(
      'Could not read the token from /x.'
    )
    expect((await refusal(['--token-stdin'], {}, r)).message).toBe(
      'Could not read the token from standard input.'
    )
  })

  it('--token-file needs a path', async () => {
    expect((await refusal(['--token-file'])).message).toBe('--token-file needs a file path.')
    expect((await refusal(['--token-file='])).message).toBe('--token-file needs a file path.')
  })

  it('--token-stdin reads standard input, dropping one trailing newline', async () => {
    const r = readers({}, `${PAT}\n`)
    expect((await options(['--token-stdin'], {}, r)).raw.token).toBe(PAT)
    expect(r.read).toEqual(['stdin'])
  })

  it('--token-stdin takes no value, and an unreadable stdin is a message with the errno', async () => {
    expect((await refusal(['--token-stdin=x'])).message).toBe('--token-stdin takes no value.')
    expect((await refusal(['--token-stdin'])).message).toBe(
      'Could not read the token from standard input (EPIPE).'
    )
  })

  it('either wins over JIRA_PAT', async () => {
    const env = { JIRA_PAT: 'from-env' }
    expect(
      (await options(['--token-file', '/p'], env, readers({ '/p': 'from-file' }))).raw.token
    ).toBe('from-file')
    expect((await options(['--token-stdin'], env, readers({}, 'from-stdin'))).raw.token).toBe(
      'from-stdin'
    )
  })

  it.each([
    [['--token-file', '/p', '--token-stdin']],
    [['--token-stdin', '--token-file', '/p']],
    [['--token-file', '/p', '--token-file', '/q']]
  ])('%j is refused: the token is given once', async (argv) => {
    const r = readers({ '/p': 'a', '/q': 'b' }, 'c')
    const parsed = await refusal(argv, {}, r)
    expect(parsed.message).toBe('Give the token once: --token-file or --token-stdin, not both.')
    expect(r.read).toEqual([])
  })

  it('reads nothing when a later argument is refused', async () => {
    const r = readers({ '/p': PAT }, PAT)
    await refusal(['--token-file', '/p', '--nope'], {}, r)
    expect(r.read).toEqual([])
  })
})

describe('what is not a flag', () => {
  it.each([
    ['domian', 'domain'],
    ['retires', 'retries'],
    ['token-nmae', 'token-name'],
    ['tokenfile', 'token-file'],
    ['jsno', 'json'],
    ['verbos', 'verbose'],
    ['expected-users', 'expected-user']
  ])('--%s: unknown, did you mean --%s?', async (typo, meant) => {
    expect((await refusal([`--${typo}`, 'x'])).message).toBe(
      `Unknown flag --${typo}. Did you mean --${meant}? --help lists every flag.`
    )
  })

  it('suggests nothing far off', async () => {
    expect((await refusal(['--frobnicate'])).message).toBe(
      'Unknown flag --frobnicate. --help lists every flag.'
    )
  })

  it('never suggests --token, and never quotes the value of an unknown flag', async () => {
    const parsed = await refusal([`--tokne=${PAT}`])
    expect(parsed.message).not.toContain(PAT)
    expect(parsed.message).not.toMatch(/--token\b(?!-)/)
  })

  it('cuts a long unknown flag name', async () => {
    const parsed = await refusal([`--${'x'.repeat(500)}`])
    expect(parsed.message.length).toBeLessThan(120)
  })

  it.each([['summary'], ['summary=false']])('--%s is action only: not a flag', async (arg) => {
    const parsed = await refusal([`--${arg}`])
    expect(parsed.message).toMatch(/^Unknown flag --summary\./)
  })

  it.each([
    [['check']],
    [['https://jira.example.com']],
    [['--domain', 'x', 'extra']],
    [['--']],
    [['-v']]
  ])('the positional argument %j is refused', async (argv) => {
    expect((await refusal(argv)).message).toMatch(
      /^Unexpected argument at position \d+: jira-auth-check takes only flags/
    )
  })

  it('never quotes a positional argument that may be the token', async () => {
    // `--token-stdin "$JIRA_PAT"` or `jira-auth-check "$JIRA_PAT"`: the value is on argv, and the
    // message must neither print it nor leave it unmasked.
    for (const argv of [['--token-stdin', PAT], [PAT], ['--json', PAT]]) {
      const parsed = await refusal(argv)
      expect(parsed.message).toMatch(/^Unexpected argument/)
      // Quoted, it must come back as exposed, for the redactor.
      const quoted = parsed.message.includes(PAT.slice(0, 20))
      expect(quoted ? parsed.exposed : PAT).toBe(PAT)
    }
  })
})

describe('the CLI’s own flags', () => {
  it.each([
    [['--json'], { json: true }],
    [['--fail-on-warning'], { failOnWarning: true }],
    [['--verbose'], { verbose: true }],
    [['--no-color'], { color: false }],
    [['--help'], { help: true }],
    [['-h'], { help: true }],
    [['--version'], { version: true }]
  ])('%j', async (argv, expected) => {
    expect(await options(argv)).toMatchObject(expected)
  })

  it('are listed in CLI_FLAGS, each with a description', () => {
    expect(Object.keys(CLI_FLAGS)).toEqual([
      'json',
      'fail-on-warning',
      'verbose',
      'no-color',
      'help',
      'version'
    ])
    for (const text of Object.values(CLI_FLAGS)) expect(text.trim()).not.toBe('')
  })

  it.each(Object.keys(CLI_FLAGS).map((name) => [name]))('--%s takes no value', async (name) => {
    expect((await refusal([`--${name}=1`])).message).toBe(`--${name} takes no value.`)
  })

  it('none of them names a setting', () => {
    const settings = INPUTS.map((input) => input.name as string)
    for (const name of Object.keys(CLI_FLAGS)) expect(settings).not.toContain(name)
  })
})
