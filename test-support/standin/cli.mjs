#!/usr/bin/env node
// Start a Jira stand-in for manual runs and CI workflows.
//   node test-support/standin/cli.mjs [--platform dc|cloud] [--context-path /jira] [--port N] [--github-env PATH]
// `--env-file PATH` is accepted too, but Node (20 and 24) also scans argv for its own --env-file flag: it
// exits 9 when PATH does not exist yet and loads PATH into the environment when it does. Prefer --github-env.
// Prints one JSON line {"domain","caPath","token","username","pid"} and serves until SIGTERM/SIGINT.
import { appendFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startStandin } from './server.mjs'

const { values } = parseArgs({
  options: {
    platform: { type: 'string', default: 'dc' },
    'context-path': { type: 'string', default: '' },
    port: { type: 'string', default: '0' },
    'env-file': { type: 'string' },
    'github-env': { type: 'string' },
    version: { type: 'string' }
  },
  strict: true
})

const platform = values.platform === 'cloud' ? 'cloud' : values.platform === 'dc' ? 'dc' : undefined
if (!platform) {
  process.stderr.write(`--platform must be dc or cloud, got ${values.platform}\n`)
  process.exit(2)
}
const contextPath = (values['context-path'] ?? '').replace(/\/+$/, '')
if (contextPath !== '' && !contextPath.startsWith('/')) {
  process.stderr.write('--context-path must start with /\n')
  process.exit(2)
}
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('--port must be an integer 0..65535\n')
  process.exit(2)
}

const standin = await startStandin({
  platform,
  contextPath,
  port,
  ...(values.version ? { version: values.version } : {})
})
const token =
  platform === 'cloud'
    ? standin.mintApiToken()
    : standin.mintPat({ name: 'ci-token', expiresInDays: 60 })
const username = platform === 'cloud' ? 'ci-bot@example.com' : ''
const info = { domain: standin.url, caPath: standin.caPath, token, username, pid: process.pid }
process.stdout.write(`${JSON.stringify(info)}\n`)

const envFile = values['github-env'] ?? values['env-file']
if (envFile) {
  const lines = [
    `JIRA_DOMAIN=${standin.url}`,
    `JIRA_PAT=${token}`,
    `NODE_EXTRA_CA_CERTS=${standin.caPath}`
  ]
  if (username) lines.push(`JIRA_USERNAME=${username}`)
  appendFileSync(envFile, `${lines.join('\n')}\n`)
}

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await standin.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
