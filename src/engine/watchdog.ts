/**
 * The deadline is enforced in every phase of every request; this is the net under it. Should
 * anything (a bug, a handle Node keeps open) outlive the deadline by 2 s, `onExpire` runs and the
 * front-end ends the process rather than hang the job. The timer is unref'd, so a run that finishes
 * normally never waits for it.
 */
export function armWatchdog(deadlineAt: number, onExpire: () => void): () => void {
  const timer = setTimeout(onExpire, Math.max(0, deadlineAt - Date.now()) + 2000)
  timer.unref()
  return () => clearTimeout(timer)
}
