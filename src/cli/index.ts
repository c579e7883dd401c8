import { chmod, readFile, writeFile } from 'node:fs/promises'
import { main, type Io } from './main.js'

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk))
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    process.stdin.on('error', reject)
  })
}

/** Ends the process once stdout and stderr are flushed, whatever is still open (a stuck lookup). */
function exitWhenFlushed(code: number): void {
  let pending = 2
  const done = (): void => {
    if (--pending === 0) process.exit(code)
  }
  process.stdout.write('', done)
  process.stderr.write('', done)
}

const io: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  readStdin,
  writeSecretFile: async (path, text) => {
    await writeFile(path, text, { mode: 0o600 })
    // writeFile's mode applies only to a file it creates.
    await chmod(path, 0o600)
  },
  stderrIsTty: process.stderr.isTTY === true,
  exit: (code) => process.exit(code)
}

main(process.argv.slice(2), process.env, io).then(exitWhenFlushed, (error: unknown) => {
  process.stderr.write(
    `jira-auth-check: internal error: ${error instanceof Error ? error.message : String(error)}\n`
  )
  exitWhenFlushed(70)
})
