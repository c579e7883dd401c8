/**
 * The CLI's composition root in-process, with a fake Io: colour rules, the redactor on every
 * channel, usage errors, and that nothing is sent for bad input. The process-level behaviour
 * (exit codes against a real server) is in __tests__/cli.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { main, type Io } from '../../src/cli/main.js'

interface Captured extends Io {
  out: string
  err: string
  /** Files written with writeSecretFile. */
  written: Record<string, string>
}

function fakeIo(
  options: { tty?: boolean; stdin?: string; files?: Record<string, string> } = {}
): Captured {
  const io: Captured = {
    out: '',
    err: '',
    stdout: (text) => {
      io.out += text
    },
    stderr: (text) => {
      io.err += text
    },
    readFile: (path) =>
      path in (options.files ?? {})
        ? Promise.resolve(options.files![path])
        : Promise.reject(Object.assign(new Error('no such file'), { code: 'ENOENT' })),
    readStdin: () => Promise.resolve(options.stdin ?? ''),
    writeSecretFile: (path, text) => {
      io.written[path] = text
      return Promise.resolve()
    },
    written: {},
    stderrIsTty: options.tty ?? false,
    exit: (code) => {
      throw new Error(`exit ${code}`)
    }
  }
  return io
}

const ESC = '\u001b['

describe('cli main', () => {
  it('colours the report on a terminal, and not with NO_COLOR, --no-color or a pipe', async () => {
    const args = ['--domain', 'https://jira.example.com/browse/ABC-1']
    const tty = fakeIo({ tty: true })
    expect(await main(args, { JIRA_PAT: 'x'.repeat(44) }, tty)).toBe(2)
    expect(tty.err).toContain(ESC)
    for (const [env, extra] of [
      [{ NO_COLOR: '1' }, []],
      [{}, ['--no-color']]
    ] as const) {
      const io = fakeIo({ tty: true })
      await main([...args, ...extra], { JIRA_PAT: 'x'.repeat(44), ...env }, io)
      expect(io.err).not.toContain(ESC)
    }
    const pipe = fakeIo({ tty: false })
    await main(args, { JIRA_PAT: 'x'.repeat(44) }, pipe)
    expect(pipe.err).not.toContain(ESC)
  })

  it('redacts the token from stderr and the JSON, even where a message would carry it', async () => {
    const token = 'abc s3cr3t-token-value-0123456789'
    const io = fakeIo()
    // A token with a space: the error names the position, never the value.
    const code = await main(
      ['--domain', 'https://jira.example.com', '--json'],
      { JIRA_PAT: token },
      io
    )
    expect(code).toBe(2)
    expect(io.err + io.out).not.toContain('s3cr3t-token-value-0123456789')
    expect(JSON.parse(io.out)).toMatchObject({ status: 'failed', 'error-code': 'invalid-input' })
  })

  it('masks a token given with the refused --token flag in its own error', async () => {
    const io = fakeIo()
    expect(await main(['--token', 'leaked-value-123456'], {}, io)).toBe(2)
    expect(io.err).toContain('--token is not accepted')
    expect(io.err).not.toContain('leaked-value-123456')
  })

  it('reads the token from --token-stdin and --token-file', async () => {
    const stdin = fakeIo({ stdin: 'x\n' })
    expect(await main(['--token-stdin', '--json'], {}, stdin)).toBe(2)
    expect(JSON.parse(stdin.out)['error-code']).toBe('missing-input') // no domain, but a token
    const missingFile = fakeIo()
    expect(await main(['--token-file', '/nope'], {}, missingFile)).toBe(2)
    expect(missingFile.err).toContain('Could not read the token from /nope (ENOENT)')
  })

  it('prints help and version on stdout', async () => {
    const help = fakeIo()
    expect(await main(['--help'], {}, help)).toBe(0)
    expect(help.out).toMatch(/^jira-auth-check \d/)
    const version = fakeIo()
    expect(await main(['--version'], {}, version)).toBe(0)
    expect(version.out).toMatch(/^\d+\.\d+\.\d+\n$/)
  })

  it('drops NODE_TLS_REJECT_UNAUTHORIZED and notes that it was ignored', async () => {
    const env: Record<string, string | undefined> = { NODE_TLS_REJECT_UNAUTHORIZED: '0' }
    const io = fakeIo()
    await main(['--json'], env, io)
    expect(env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined()
    expect(JSON.parse(io.out).notes).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringMatching(/was ignored/) })
    ])
  })
})
