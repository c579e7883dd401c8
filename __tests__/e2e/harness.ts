/**
 * End-to-end harness: runs dist/index.js as the runner does (test-support/run-action.mjs) against the
 * Jira stand-in, and checks what every run must satisfy whatever the scenario: the exit code, the
 * status and error-code outputs, one titled error annotation that links its troubleshooting section,
 * the deadline, and that no secret leaks into any channel.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { findLeaks, runAction, type ActionResult } from '../../test-support/run-action.mjs'
import {
  startStandin,
  type Standin,
  type StandinOptions
} from '../../test-support/standin/index.mjs'

export interface World {
  dc: Standin
  cloud: Standin
  /** Data Center under the context path /jira. */
  dcContext: Standin
  /** A second host, to prove that nothing is ever sent to where a redirect points. */
  other: Standin
}

export interface Run {
  inputs: Record<string, string>
  env?: Record<string, string | undefined>
  /** Values that must never appear outside ::add-mask:: (the token, base64(username:token), ...). */
  secrets: string[]
  /**
   * DNS answers for the run (test-support/lookup-hook.cjs). Names not listed fail with ENOTFOUND,
   * and looking one up fails the scenario: nothing may reach the machine's resolver.
   */
  lookups?: Record<string, string>
  cleanup?: () => Promise<void>
}

export interface Expectation {
  exitCode: 0 | 1
  status: 'ok' | 'warning' | 'failed'
  errorCode?: string
  /** Must match the error annotation (failures) or the log (success). */
  message?: RegExp
  outputs?: Record<string, string | RegExp>
  /** false when the scenario breaks GITHUB_OUTPUT on purpose. */
  outputsWritten?: boolean
}

export interface Scenario {
  name: string
  on?: keyof World
  /** Standin settings for this scenario (restored by reset() afterwards). */
  settings?: StandinOptions
  prepare: (standin: Standin, world: World) => Run | Promise<Run>
  expect: Expectation
  /** Scenario-specific assertions: request counts, ordering, summary content. */
  verify?: (result: ActionResult, standin: Standin, world: World, run: Run) => void | Promise<void>
}

export async function startWorld(): Promise<World> {
  const [dc, cloud, dcContext, other] = await Promise.all([
    startStandin({ platform: 'dc' }),
    startStandin({ platform: 'cloud' }),
    startStandin({ platform: 'dc', contextPath: '/jira' }),
    startStandin({ platform: 'dc' })
  ])
  return { dc, cloud, dcContext, other }
}

export async function stopWorld(world: World | undefined): Promise<void> {
  if (!world) return
  await Promise.all(Object.values(world).map((standin: Standin) => standin.close()))
}

export function basicCredential(username: string, token: string): string {
  return Buffer.from(`${username}:${token}`, 'utf8').toString('base64')
}

export interface Executed {
  result: ActionResult
  standin: Standin
  run: Run
}

/** Runs one scenario. `extraEnv` re-runs a scenario under RUNNER_DEBUG or NODE_DEBUG. */
export async function execute(
  world: World,
  scenario: Scenario,
  extraEnv: Record<string, string> = {}
): Promise<Executed> {
  const standin = world[scenario.on ?? 'dc']
  for (const each of Object.values(world)) each.reset()
  if (scenario.settings) standin.set(scenario.settings)
  const run = await scenario.prepare(standin, world)
  try {
    const result = await runAction({
      inputs: run.inputs,
      env: { NODE_EXTRA_CA_CERTS: standin.caPath, ...run.env, ...extraEnv },
      lookups: run.lookups,
      timeoutMs: 60_000
    })
    return { result, standin, run }
  } finally {
    await run.cleanup?.()
  }
}

function timeoutSeconds(run: Run): number {
  const seconds = Number(run.inputs['timeout-seconds'] ?? '30')
  // An invalid timeout fails before any request; the default deadline is then the bound.
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 30
}

export function assertCommon(executed: Executed, expectation: Expectation): void {
  const { result, run } = executed
  const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`
  expect({ exitCode: result.exitCode, signal: result.signal }).toEqual({
    exitCode: expectation.exitCode,
    signal: null
  })
  // The deadline holds: timeout-seconds plus 2 s for process start and exit.
  expect(result.durationMs).toBeLessThan((timeoutSeconds(run) + 2) * 1000)

  const errors = result.annotations.filter((annotation) => annotation.level === 'error')
  const written = expectation.outputsWritten !== false
  if (written) {
    expect(result.outputs.status).toBe(expectation.status)
    expect(result.outputs['error-code']).toBe(expectation.errorCode ?? '')
  }
  if (expectation.status === 'failed') {
    // One failure, one titled and detailed annotation (plus one if the runner's files are broken).
    expect(errors).toHaveLength(written ? 1 : 2)
    expect(errors[0].title).toBeTruthy()
    expect(errors[0].message).toMatch(
      new RegExp(`More: https://\\S+/docs/troubleshooting\\.md#${expectation.errorCode}$`)
    )
    if (expectation.message) expect(errors[0].message).toMatch(expectation.message)
  } else {
    if (errors.length > (written ? 0 : 1))
      throw new Error(`unexpected error annotation: ${errors[0].message}\n${context}`)
    if (expectation.message) expect(result.stdout).toMatch(expectation.message)
  }
  // Only the commands the action itself issues: anything else came from a Jira value.
  expect(
    result.commands
      .map((command) => command.command)
      .filter((name) => !['add-mask', 'error', 'warning', 'notice', 'debug'].includes(name))
  ).toEqual([])
  // Nothing reached the machine's resolver: every name looked up was one the scenario answers.
  const answered = new Set(['localhost', ...Object.keys(run.lookups ?? {})])
  expect(result.lookups.filter((name) => !answered.has(name.toLowerCase()))).toEqual([])
  for (const [name, value] of Object.entries(expectation.outputs ?? {})) {
    if (value instanceof RegExp) expect(result.outputs[name]).toMatch(value)
    else expect({ [name]: result.outputs[name] }).toEqual({ [name]: value })
  }
  // Every output is set on every run.
  if (written) expect(Object.keys(result.outputs).length).toBeGreaterThanOrEqual(18)
  assertNoLeaks(result, run.secrets)
}

export function assertNoLeaks(result: ActionResult, secrets: string[]): void {
  expect(findLeaks(result, secrets)).toEqual([])
  for (const secret of secrets.filter(Boolean)) {
    // Masked first: the add-mask command precedes every other line the action prints.
    const firstMask = result.stdout.indexOf(`::add-mask::${secret}`)
    if (firstMask < 0) continue
    expect(result.stdout.slice(0, firstMask)).toMatch(/^(::add-mask::[^\n]*\n)*$/)
  }
}

export function countEndpoint(standin: Standin, endpoint: string): number {
  return standin.requests.filter((request) => request.endpoint === endpoint).length
}

/** One describe() per table: a world of stand-ins for the file, one test per scenario. */
export function describeScenarios(title: string, scenarios: Scenario[]): void {
  let world: World
  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(async () => {
    await stopWorld(world)
  })
  describe(title, () => {
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const executed = await execute(world, scenario)
        assertCommon(executed, scenario.expect)
        await scenario.verify?.(executed.result, executed.standin, world, executed.run)
      })
    }
  })
}
