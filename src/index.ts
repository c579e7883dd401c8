import * as core from '@actions/core'
import { run } from './main.js'

try {
  await run()
} catch (error) {
  // run() reports every failure itself; this is for the one that happens while reporting.
  core.error(
    `jira-auth-check failed while reporting: ${error instanceof Error ? error.message : String(error)}`
  )
  process.exitCode = 1
}
// End now, whatever is still open: a DNS lookup that never returns keeps Node's event loop alive,
// and the verdict is already written. Flush stdout and stderr first.
let pending = 2
const done = (): void => {
  if (--pending === 0) process.exit()
}
process.stdout.write('', done)
process.stderr.write('', done)
