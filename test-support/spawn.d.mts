// Hand-written types for the shared spawn helper (plain .mjs, no build step).

export interface SpawnTimedOptions {
  /** The child's whole environment: nothing is inherited. Default {}. */
  env?: Record<string, string>
  /** Default process.cwd(). */
  cwd?: string
  /** SIGKILL after this. Default 120000. */
  timeoutMs?: number
  /** Run under GNU time (`/usr/bin/time -f %M`) and report the peak RSS. Default false. */
  rss?: boolean
  /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string
}

export interface SpawnResult {
  /** From just before spawn() to 'close' (exited, stdio drained). */
  durationMs: number
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** The SIGKILL guard fired. */
  killed: boolean
  /** Peak resident set in KiB, with `rss: true` (undefined if GNU time wrote nothing). */
  maxRssKiB: number | undefined
  stdout: string
  stderr: string
}

export const TIME_BIN: string
/** Whether TIME_BIN is GNU time. */
export function hasGnuTime(): boolean
/** Spawn, time and collect one child. Rejects only if it cannot be spawned. */
export function spawnTimed(
  command: string,
  args: string[],
  options?: SpawnTimedOptions
): Promise<SpawnResult>
