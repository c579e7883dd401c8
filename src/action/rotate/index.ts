import * as core from '@actions/core'
import { run } from './main.js'

/** Ends the process once stdout and stderr are flushed (a hung lookup must not keep it alive). */
function exitWhenFlushed(): void {
  let pending = 2
  const done = (): void => {
    if (--pending === 0) process.exit()
  }
  process.stdout.write('', done)
  process.stderr.write('', done)
}

run()
  .catch((error: unknown) => {
    // run() reports every failure itself; this is for the one that happens while reporting.
    core.error(
      `jira-auth-check rotate failed while reporting: ${error instanceof Error ? error.message : String(error)}`
    )
    process.exitCode = 1
  })
  .finally(exitWhenFlushed)
