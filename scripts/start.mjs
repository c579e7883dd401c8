#!/usr/bin/env node
// `npm start`: check a token as the action would, by running dist/index.js under the runner's rules.
// With JIRA_DOMAIN and JIRA_PAT (and JIRA_USERNAME for Cloud) set, it checks that real Jira.
// With nothing set, it starts the Jira stand-in on loopback and checks a demo token against it.
import { runAction } from '../test-support/run-action.mjs'
import { startStandin } from '../test-support/standin/index.mjs'

const passThrough = [
  'JIRA_DOMAIN',
  'JIRA_PAT',
  'JIRA_USERNAME',
  'NODE_EXTRA_CA_CERTS',
  'NODE_USE_SYSTEM_CA',
  'SSL_CERT_FILE',
  'https_proxy',
  'HTTPS_PROXY',
  'no_proxy',
  'NO_PROXY',
  'RUNNER_DEBUG'
]
// Any INPUT_* the user exported (e.g. INPUT_EXPECTED-USER) is passed on as that input.
const inputs = Object.fromEntries(
  Object.entries(process.env)
    .filter(([name]) => name.startsWith('INPUT_'))
    .map(([name, value]) => [name.slice('INPUT_'.length).toLowerCase(), value ?? ''])
)
const env = Object.fromEntries(
  passThrough.filter((name) => process.env[name]).map((name) => [name, process.env[name]])
)

let standin
if (!process.env.JIRA_DOMAIN && !inputs.domain) {
  standin = await startStandin()
  const token = standin.mintPat({ name: 'demo-token', expiresInDays: 90 })
  inputs.domain = standin.url
  inputs.token = token
  env.NODE_EXTRA_CA_CERTS = standin.caPath
  console.log(
    `No JIRA_DOMAIN set: checking a demo token against the Jira stand-in at ${standin.url}\n`
  )
} else {
  console.log(
    `Checking the token in JIRA_PAT against ${process.env.JIRA_DOMAIN ?? inputs.domain}\n`
  )
}

try {
  const result = await runAction({ inputs, env })
  // The ::add-mask:: lines carry the token itself: the runner consumes them, a terminal would show them.
  const log = result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  console.log('── log ──────────────────────────────────────────')
  console.log(log.trim())
  if (result.stderr.trim()) console.log(result.stderr.trim())
  console.log('\n── outputs ──────────────────────────────────────')
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`${name.padEnd(20)} ${value.length > 100 ? `${value.slice(0, 99)}…` : value}`)
  }
  console.log('\n── job summary (as text) ────────────────────────')
  console.log(
    result.summary
      .replace(/<\/(h\d|p|tr|table|li|ol)>/g, '\n')
      .replace(/<\/t[hd]>/g, '  ')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\n{2,}/g, '\n')
      .trim()
  )
  console.log(`\nexit code ${result.exitCode} in ${Math.round(result.durationMs)} ms`)
  process.exitCode = result.exitCode ?? 1
} finally {
  await standin?.close()
}
