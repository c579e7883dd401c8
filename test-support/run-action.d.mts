// Hand-written types for the runner emulation (plain .mjs, no build step).

export interface RunActionOptions {
  /** Input values by action.yml name (e.g. 'timeout-seconds'); undeclared inputs get action.yml defaults. */
  inputs?: Record<string, string | undefined>
  /** Extra child environment; undefined removes a variable. The parent env is NOT inherited (only PATH, HOME). */
  env?: Record<string, string | undefined>
  /** Node binary. Default process.execPath. */
  node?: string
  nodeArgs?: string[]
  /** Default: the action bundle (bundlePath('action')). */
  entry?: string
  /** Default '<repo>/action.yml'. */
  actionYml?: string
  /** SIGKILL after this. Default 120000. */
  timeoutMs?: number
  /**
   * DNS answers for the run, through test-support/lookup-hook.cjs: host name → an address,
   * 'ENOTFOUND', 'EAI_AGAIN' or 'hang'. Names not listed (other than localhost) fail with ENOTFOUND,
   * so no run ever asks the machine's resolver. Default {}.
   */
  lookups?: Record<string, string>
  /** Use the machine's resolver instead of the hook (npm start against a real Jira). */
  realDns?: boolean
}

export type AnnotationLevel = 'error' | 'warning' | 'notice' | 'debug'

export interface Annotation {
  level: AnnotationLevel
  title?: string
  message: string
  /** Other properties (file, line, col, endLine, endColumn), unescaped. */
  properties?: Record<string, string>
}

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

export interface ActionResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  durationMs: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  githubEnv: string
  githubState: string
  annotations: Annotation[]
  maskedValues: string[]
  /** Every workflow command seen on stdout, in order. */
  commands: WorkflowCommand[]
  /** Every host name the action looked up, in order (empty with realDns). */
  lookups: string[]
}

export type LeakChannel = 'stdout' | 'stderr' | 'outputs' | 'summary' | 'githubEnv'

export interface Leak {
  secretIndex: number
  channel: LeakChannel
}

export const LOOKUP_HOOK: string
export function runAction(options?: RunActionOptions): Promise<ActionResult>
/** Secrets found anywhere except `::add-mask::` lines of stdout. Empty secrets are ignored. */
export function findLeaks(result: ActionResult, secrets: string[]): Leak[]
/** The runner's environment for a JavaScript action, with its command files and workspace created in `dir`. */
export function runnerEnvironment(options: {
  dir: string
  inputs?: Record<string, string | undefined>
  env?: Record<string, string | undefined>
  actionYml?: string
}): {
  env: Record<string, string>
  files: Record<
    'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_STATE',
    string
  >
  workspace: string
}
export function readActionInputs(actionYmlPath?: string): Record<string, string | undefined>
export function inputEnvName(name: string): string
export function parseFileCommand(text: string): Record<string, string>
export function parseWorkflowCommands(stdout: string): {
  all: WorkflowCommand[]
  annotations: Annotation[]
  maskedValues: string[]
}
export function unescapeProperty(value: string): string
export function unescapeData(value: string): string
export function makeDelimiter(): string
