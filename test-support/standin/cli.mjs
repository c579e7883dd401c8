#!/usr/bin/env node
// Start a Jira stand-in for manual runs and CI workflows; `--help` prints the flags.
// `--env-file PATH` is accepted too, but Node (20 and 24) also scans argv for its own --env-file flag: it
// exits 9 when PATH does not exist yet and loads PATH into the environment when it does. Prefer --github-env.
import { appendFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startStandin } from './server.mjs'

const USAGE = `Usage: node test-support/standin/cli.mjs [options]

Starts a Jira stand-in on loopback HTTPS with a throwaway CA, prints one JSON line
{"domain","caPath","token","username","pid"} and serves until SIGTERM or SIGINT.
The token is a valid Data Center PAT (dc) or classic Cloud API token (cloud). On cloud the
line also has "site": {"host","cloudId","url","gatewayUrl"}; those names are reachable only
through a CONNECT proxy that maps them to the stand-in (startAtlassianCloud in tests), while
"domain" (https://127.0.0.1:PORT) reaches the site directly.

Options:
  --platform dc|cloud     which Jira to be (default dc)
  --context-path /jira    serve Jira under this path (default: none)
  --version X.Y.Z         Data Center version in serverInfo (default 10.3.19)
  --port N                listen port (default 0: any free port)
  --github-env PATH       append JIRA_DOMAIN, JIRA_PAT, NODE_EXTRA_CA_CERTS (and JIRA_USERNAME
                          on cloud) lines to PATH, e.g. "$GITHUB_ENV"
  --env-file PATH         alias of --github-env; Node itself may act on it, so prefer --github-env
  -h, --help              print this and exit
`

/**
 * @param {string} message
 * @returns {never}
 */
function usageError(message) {
  process.stderr.write(`${message}\n\n${USAGE}`)
  process.exit(2)
}

function parse() {
  try {
    return parseArgs({
      options: {
        platform: { type: 'string', default: 'dc' },
        'context-path': { type: 'string', default: '' },
        port: { type: 'string', default: '0' },
        'env-file': { type: 'string' },
        'github-env': { type: 'string' },
        version: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false }
      },
      strict: true
    })
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error))
  }
}

const { values } = parse()
if (values.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}

const platform = values.platform === 'cloud' ? 'cloud' : values.platform === 'dc' ? 'dc' : undefined
if (!platform) usageError(`--platform must be dc or cloud, got ${values.platform}`)
const contextPath = (values['context-path'] ?? '').replace(/\/+$/, '')
if (contextPath !== '' && !contextPath.startsWith('/'))
  usageError('--context-path must start with /')
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535)
  usageError('--port must be an integer 0..65535')

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
/** @type {Record<string, unknown>} */
const info = { domain: standin.url, caPath: standin.caPath, token, username, pid: process.pid }
if (platform === 'cloud') {
  const cloud = /** @type {import('./index.d.mts').CloudStandin} */ (standin)
  const [site] = cloud.sites
  info.site = {
    host: site.host,
    cloudId: site.cloudId,
    url: site.url,
    gatewayUrl: cloud.gatewayUrl(site.cloudId)
  }
}
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
