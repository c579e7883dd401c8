/** What both action bundles' entry points do: run, report a failure of the report, exit flushed. */
import * as core from '@actions/core'

/** Ends the process once stdout and stderr are flushed. */
function exitWhenFlushed(): void {
  // A DNS lookup that never returns keeps Node's event loop alive, and the verdict is already
  // written: end now rather than wait for the watchdog.
  let pending = 2
  const done = (): void => {
    if (--pending === 0) process.exit()
  }
  process.stdout.write('', done)
  process.stderr.write('', done)
}

/** `name` is how the failure line names the action ("jira-auth-check", "jira-auth-check rotate"). */
export function runEntry(run: () => Promise<void>, name: string): void {
  run()
    .catch((error: unknown) => {
      // run() reports every failure itself; this is for the one that happens while reporting.
      core.error(
        `${name} failed while reporting: ${error instanceof Error ? error.message : String(error)}`
      )
      process.exitCode = 1
    })
    .finally(exitWhenFlushed)
}
