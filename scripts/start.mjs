#!/usr/bin/env node
// `npm start` is the jira-auth-check CLI (dist/cli/index.cjs, built just before by `npm start`),
// with every flag passed through: `npm start -- --expected-user svc-deploy --token-name deploy-bot`.
// Flags travel in argv, so nothing depends on the shell passing hyphenated variables on (dash drops
// INPUT_EXPECTED-USER; a flag is just an argument).
//
// With JIRA_DOMAIN set (or --domain given) it checks that Jira, with the token in JIRA_PAT (or
// --token-file / --token-stdin). With neither, it starts the Jira stand-in on loopback and checks a
// demo token against it.
import { spawn } from 'node:child_process'
import { bundlePath } from '../test-support/bundles.mjs'
import { startStandin } from '../test-support/standin/index.mjs'

const args = process.argv.slice(2)
const env = { ...process.env }
const givesDomain = args.some((arg) => arg === '--domain' || arg.startsWith('--domain='))
const informational = args.some((arg) => ['--help', '-h', '--version'].includes(arg))

let standin
if (!env.JIRA_DOMAIN && !givesDomain && !informational) {
  standin = await startStandin()
  env.JIRA_DOMAIN = standin.url
  env.JIRA_PAT = standin.mintPat({ name: 'demo-token', expiresInDays: 90 })
  env.NODE_EXTRA_CA_CERTS = standin.caPath
  process.stderr.write(
    `No JIRA_DOMAIN set: checking a demo token against the Jira stand-in at ${standin.url}\n` +
      '(the token belongs to ci-bot, "CI Bot", and is named demo-token)\n\n'
  )
}

try {
  const child = spawn(process.execPath, [bundlePath('cli'), ...args], { env, stdio: 'inherit' })
  const code = await new Promise((resolve) => child.once('close', (exitCode) => resolve(exitCode)))
  process.exitCode = typeof code === 'number' ? code : 70
} finally {
  await standin?.close()
}
