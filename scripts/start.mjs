#!/usr/bin/env node
// `npm start`: check a token as the action would, by running dist/index.js under the runner's rules.
// With JIRA_DOMAIN and JIRA_PAT (and JIRA_USERNAME for Cloud) set, it checks that real Jira.
// With nothing set, it starts the Jira stand-in on loopback and checks a demo token against it.
import { runAction, unescapeData, unescapeProperty } from '../test-support/run-action.mjs'
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

/** Jira values reach this terminal too: no control characters, no escape sequences. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const clean = (text) => text.replace(/\r/g, '').replace(UNSAFE, '\ufffd')

/**
 * The action's log as a person reads it: workflow commands (annotations) turned back into
 * multi-line text with their level and title, masks left out (they carry the token itself).
 */
function readableLog(stdout) {
  const lines = []
  for (const line of stdout.split('\n')) {
    const command = /^::(error|warning|notice|debug)( [^:]*)?::(.*)$/.exec(line)
    if (line.startsWith('::add-mask::')) continue
    if (!command) {
      lines.push(clean(line))
      continue
    }
    const [, level, properties = '', message] = command
    if (level === 'debug' && !process.env.RUNNER_DEBUG) continue
    const title = /title=([^,]*)/.exec(properties)?.[1]
    const label = level[0].toUpperCase() + level.slice(1)
    const text = clean(unescapeData(message))
    lines.push(title ? `${label}: ${clean(unescapeProperty(title))}` : `${label}:`)
    for (const part of text.split('\n')) lines.push(`  ${part}`)
  }
  return lines.join('\n')
}

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
  // A real Jira is looked up with the machine's resolver; the stand-in is on 127.0.0.1.
  const result = await runAction({ inputs, env, realDns: true })
  console.log('── log ──────────────────────────────────────────')
  console.log(readableLog(result.stdout).trim())
  if (result.stderr.trim()) console.log(clean(result.stderr.trim()))
  console.log('\n── outputs ──────────────────────────────────────')
  for (const [name, value] of Object.entries(result.outputs)) {
    const shown = clean(value.replace(/\n/g, '\ufffd'))
    console.log(`${name.padEnd(20)} ${shown.length > 100 ? `${shown.slice(0, 99)}…` : shown}`)
  }
  console.log('\n── job summary (as text) ────────────────────────')
  console.log(
    clean(result.summary)
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
