import type { SpawnResult } from './spawn.d.mts'

export interface RunCliOptions {
  args?: string[]
  /** The environment on top of PATH and HOME (nothing else is inherited); undefined removes one. */
  env?: Record<string, string | undefined>
  /** Written to the CLI's stdin (for --token-stdin). */
  stdin?: string
  /** Node binary. Default process.execPath. */
  node?: string
  /** Default: the CLI bundle (bundlePath('cli')), run with `node`. */
  entry?: string
  /** An installed command to run as it is (by its shebang), instead of `node entry`. */
  command?: string
  /** DNS answers through test-support/lookup-hook.cjs, as for runAction. */
  lookups?: Record<string, string>
  timeoutMs?: number
}

export interface CliResult extends SpawnResult {
  /** The --json document, when --json was given and stdout parsed. */
  json: Record<string, unknown> | undefined
  lookups: string[]
}

export function runCli(options?: RunCliOptions): Promise<CliResult>
