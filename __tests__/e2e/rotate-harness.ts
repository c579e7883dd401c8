/**
 * End-to-end harness for the rotate action: runs its bundle as the runner does (runAction with
 * rotate/action.yml) against the Jira stand-in and the GitHub stand-in, and checks what every run
 * must satisfy whatever the scenario:
 *
 * - the exit code, status, error-code and the other outputs; one titled error annotation on
 *   failure that names the step and the state and links its troubleshooting section;
 * - the secret holds a token that works, for the same account (decrypted from the GitHub stand-in,
 *   then sent to /myself): never one that does not;
 * - no token is left behind unaccounted for: every live token of the account is in the secret or
 *   named by id in the log;
 * - no secret (the current token, every token the run created, the GitHub token) appears anywhere
 *   but in ::add-mask::, the first two are masked before anything else, and the new one right
 *   after Jira returned it;
 * - no DNS lookup, no workflow command but the action's own, and the deadline held.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import https from 'node:https'
import { join } from 'node:path'
import { bundlePath, repoRoot } from '../../test-support/bundles.mjs'
import {
  startGithubStandin,
  type Fault as GithubFault,
  type GithubStandin,
  type RequestLogEntry as GithubRequest
} from '../../test-support/github-standin/index.mjs'
import { findLeaks, runAction, type ActionResult } from '../../test-support/run-action.mjs'
import {
  startStandin,
  type PatRecord,
  type RequestLogEntry as JiraRequest,
  type Standin,
  type StandinSettings
} from '../../test-support/standin/index.mjs'

export const REPOSITORY = 'acme/pipeline'
export const SECRET = 'JIRA_PAT'
export const TOKEN_NAME = 'deploy-bot'
/** GitHub tokens the stand-ins know. */
export const GITHUB_TOKENS = {
  writer: 'ghs_rotateWriter00000000000000000000000',
  /** Like GITHUB_TOKEN: no permission for secrets. */
  workflow: 'ghs_rotateWorkflow000000000000000000000',
  /** Installed on another repository only. */
  elsewhere: 'ghs_rotateElsewhere00000000000000000000',
  unknown: 'ghs_rotateUnknown000000000000000000000'
} as const

export interface RotateWorld {
  jira: Standin
  /** Jira under the context path /jira. */
  jiraContext: Standin
  github: GithubStandin
  /** GitHub Enterprise Server-shaped: under /api/v3. */
  ghes: GithubStandin
}

export interface Prepared {
  /** The account the run rotates for (each scenario has its own: tokens outlive reset()). */
  user: string
  /** The current token, also the secret's value before the run. */
  old: string
  oldId: number
  inputs: Record<string, string>
  env?: Record<string, string | undefined>
}

export interface RotateExpectation {
  exitCode: 0 | 1
  status: 'ok' | 'warning' | 'failed'
  errorCode?: string
  rotated: boolean
  oldRevoked?: boolean
  reason?: string
  /** Must match the error annotation (failures), a warning annotation (warnings) or the log. */
  message?: RegExp
  /** The step the failure names ("Step 4 of 5, write the secret"). */
  step?: RegExp
  /** What the secret holds afterwards: the old token, the new one, or no secret at all. */
  secret: 'old' | 'new' | 'none'
  /** The account's live tokens afterwards, by role ('other': made by the scenario before the run). */
  live: Array<'old' | 'new' | 'other'>
}

export interface RotateScenario {
  name: string
  /** Jira stand-in settings for this scenario (restored by reset() afterwards). */
  jira?: Partial<StandinSettings>
  /** Run against Jira under /jira. */
  jiraContext?: boolean
  githubFault?: GithubFault
  /** Run against the GHES-shaped stand-in. */
  ghes?: boolean
  /** An environment secret of `production` instead of a repository secret. */
  environment?: boolean
  /** Days until the current token expires (default 5: due with the default window). */
  expiresInDays?: number
  /** Leave the secret unseeded. */
  noSecret?: boolean
  githubToken?: keyof typeof GITHUB_TOKENS
  inputs?: Record<string, string>
  /** Before the run, against the scenario's world and account. */
  prepare?: (world: RotateWorld, prepared: Prepared) => void | Promise<void>
  /**
   * Wait for the next whole second after seeding the secret, so GitHub's record of it is older
   * than GitHub's clock when the run starts (the write's settling rules depend on it).
   */
  recordInThePast?: boolean
  expect: RotateExpectation
  verify?: (run: RotateRun) => void | Promise<void>
}

export interface RotateRun {
  result: ActionResult
  world: RotateWorld
  prepared: Prepared
  /** The tokens this run created, revoked or not. */
  created: PatRecord[]
  /** The secret's value afterwards. */
  secretAfter: string | undefined
  github: GithubStandin
  /** What each stand-in received during the run (the harness's own checks come after). */
  jiraRequests: JiraRequest[]
  githubRequests: GithubRequest[]
}

export async function startRotateWorld(): Promise<RotateWorld> {
  const [jira, jiraContext, github, ghes] = await Promise.all([
    startStandin(),
    startStandin({ contextPath: '/jira' }),
    startGithubStandin(),
    startGithubStandin({ pathPrefix: '/api/v3' })
  ])
  for (const gh of [github, ghes]) {
    gh.addRepository('acme/elsewhere')
    gh.addToken(GITHUB_TOKENS.writer)
    gh.addToken(GITHUB_TOKENS.workflow, { canWriteSecrets: false })
    gh.addToken(GITHUB_TOKENS.elsewhere, { repositories: ['acme/elsewhere'] })
  }
  return { jira, jiraContext, github, ghes }
}

export async function stopRotateWorld(world: RotateWorld | undefined): Promise<void> {
  if (!world) return
  await Promise.all([world.jira, world.jiraContext, world.github, world.ghes].map((s) => s.close()))
}

let users = 0

/** Runs one scenario; `extraEnv` re-runs it under RUNNER_DEBUG or NODE_DEBUG. */
export async function executeRotation(
  world: RotateWorld,
  scenario: RotateScenario,
  extraEnv: Record<string, string> = {}
): Promise<RotateRun> {
  const jira = scenario.jiraContext ? world.jiraContext : world.jira
  const github = scenario.ghes ? world.ghes : world.github
  for (const each of [world.jira, world.jiraContext]) each.reset()
  for (const each of [world.github, world.ghes]) each.reset()
  if (scenario.jira) jira.set(scenario.jira)
  if (scenario.githubFault) github.set({ fault: scenario.githubFault })

  const user = `svc-rotate-${process.pid}-${++users}`
  jira.addUser({ name: user, displayName: `Rotate Bot ${users}` })
  const old = jira.mintPat({
    user,
    name: TOKEN_NAME,
    expiresInDays: scenario.expiresInDays ?? 5
  })
  const oldId = jira.listPats().find((pat) => pat.raw === old)!.id
  const environment = scenario.environment ? { environment: 'production' } : {}
  if (!scenario.noSecret) github.setSecret(REPOSITORY, SECRET, old, environment)
  const prepared: Prepared = {
    user,
    old,
    oldId,
    inputs: {
      domain: jira.url,
      token: old,
      'token-name': TOKEN_NAME,
      'secret-name': SECRET,
      'github-token': GITHUB_TOKENS[scenario.githubToken ?? 'writer'],
      ...(scenario.environment && { 'secret-environment': 'production' }),
      ...scenario.inputs
    }
  }
  await scenario.prepare?.(world, prepared)
  if (scenario.recordInThePast) {
    await new Promise((resolve) => setTimeout(resolve, 1050 - (Date.now() % 1000)))
  }
  const before = new Set(jira.listPats().map((pat) => pat.id))
  const result = await runAction({
    actionYml: join(repoRoot, 'rotate', 'action.yml'),
    entry: bundlePath('rotate'),
    inputs: prepared.inputs,
    env: {
      NODE_EXTRA_CA_CERTS: jira.caPath,
      GITHUB_API_URL: github.apiUrl,
      ...prepared.env,
      ...extraEnv
    },
    timeoutMs: 60_000
  })
  const created = jira.listPats().filter((pat) => pat.user === user && !before.has(pat.id))
  const jiraRequests = [...jira.requests]
  const githubRequests = [...github.requests]
  // The harness's own /myself with the secret's value must not meet the scenario's fault.
  jira.set({ fault: null })
  github.set({ fault: null })
  return {
    result,
    world,
    prepared,
    created,
    github,
    jiraRequests,
    githubRequests,
    secretAfter: github.secretValue(REPOSITORY, SECRET, environment)
  }
}

/** GET /rest/api/2/myself with a token, from the test: who it authenticates as, or the status. */
export function whoAmI(jira: Standin, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${jira.url}/rest/api/2/myself`,
      { ca: jira.caCertPem, agent: false, headers: { Accept: 'application/json' } },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () =>
          resolve(
            response.statusCode === 200
              ? (JSON.parse(body) as { name: string }).name
              : `HTTP ${response.statusCode}`
          )
        )
      }
    )
    request.setHeader('Authorization', `Bearer ${token}`)
    request.on('error', reject)
    request.end()
  })
}

export async function assertRotation(run: RotateRun, scenario: RotateScenario): Promise<void> {
  const { result, prepared, created } = run
  const jira = scenario.jiraContext ? run.world.jiraContext : run.world.jira
  const want = scenario.expect
  const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`
  if (result.exitCode !== want.exitCode || result.outputs.status !== want.status) {
    throw new Error(`expected exit ${want.exitCode}, status ${want.status}\n${context}`)
  }
  expect(result.signal).toBeNull()
  const timeout = Number(prepared.inputs['timeout-seconds'] ?? '60')
  expect(result.durationMs).toBeLessThan(((Number.isFinite(timeout) ? timeout : 60) + 2) * 1000)

  // Outputs: every one is set on every run.
  expect(Object.keys(result.outputs).sort()).toEqual(
    [
      'error-code',
      'new-token-expires-at',
      'new-token-name',
      'old-token-revoked',
      'reason',
      'rotated',
      'status'
    ].sort()
  )
  expect(result.outputs['error-code']).toBe(want.errorCode ?? '')
  expect(result.outputs.rotated).toBe(String(want.rotated))
  expect(result.outputs['old-token-revoked']).toBe(String(want.oldRevoked ?? false))
  if (want.reason !== undefined) expect(result.outputs.reason).toBe(want.reason)
  if (want.rotated) {
    expect(result.outputs['new-token-name']).toBe(prepared.inputs['new-token-name'] || TOKEN_NAME)
    expect(result.outputs['new-token-expires-at']).toMatch(/^\d{4}-\d{2}-\d{2}T/)
  } else {
    expect(result.outputs['new-token-name']).toBe('')
  }

  // Annotations: one titled error on failure, naming its step and state, linking its section.
  const errors = result.annotations.filter((a) => a.level === 'error')
  const warnings = result.annotations.filter((a) => a.level === 'warning')
  if (want.status === 'failed') {
    expect(errors).toHaveLength(1)
    expect(errors[0].title).toBeTruthy()
    expect(errors[0].message).toMatch(/\nStep: .+\.\nState: .+/)
    expect(errors[0].message).toMatch(
      new RegExp(`\\nMore: https://\\S+/docs/troubleshooting\\.md#${want.errorCode}$`)
    )
    if (want.message) expect(errors[0].message).toMatch(want.message)
    if (want.step) expect(errors[0].message).toMatch(want.step)
  } else {
    if (errors.length > 0) throw new Error(`unexpected error annotation\n${context}`)
    if (want.status === 'warning') {
      expect(warnings.some((w) => /#old-token-not-revoked$/.test(w.message))).toBe(true)
    }
    if (want.message) expect(result.stdout).toMatch(want.message)
  }
  // Only the commands the action itself issues; no name reached the machine's resolver.
  expect(
    result.commands
      .map((command) => command.command)
      .filter((name) => !['add-mask', 'error', 'warning', 'notice', 'debug'].includes(name))
  ).toEqual([])
  expect(result.lookups.filter((name) => name.toLowerCase() !== 'localhost')).toEqual([])

  // The secret: it holds a token that works, for the same account.
  const fresh = created.filter((pat) => !pat.revoked)
  if (want.secret === 'none') {
    expect(run.secretAfter).toBeUndefined()
  } else {
    const expected = want.secret === 'old' ? prepared.old : fresh[0]?.raw
    expect(expected).toBeDefined()
    expect(run.secretAfter === expected ? want.secret : 'another value').toBe(want.secret)
    expect(await whoAmI(jira, run.secretAfter!)).toBe(prepared.user)
  }

  // Every token of the account: expected, and either in the secret or named by id in the log.
  const live = jira.listPats().filter((pat) => pat.user === prepared.user && !pat.revoked)
  const made = new Set(created.map((pat) => pat.id))
  const roles = live.map((pat) =>
    pat.id === prepared.oldId ? 'old' : made.has(pat.id) ? 'new' : 'other'
  )
  expect(roles.sort()).toEqual([...want.live].sort())
  expect(created.filter((pat) => !pat.revoked).length).toBeLessThanOrEqual(1)
  for (const pat of live) {
    if (pat.raw === run.secretAfter) continue
    expect({ token: pat.id, named: result.stdout.includes(`(id ${pat.id}`) }).toEqual({
      token: pat.id,
      named: true
    })
  }

  assertRotationSecrets(run)
}

/** No secret anywhere but ::add-mask::, masked first (the new token: as soon as Jira returned it). */
export function assertRotationSecrets(run: RotateRun): void {
  const { result, prepared, created } = run
  const githubToken = prepared.inputs['github-token']
  const secrets = [prepared.old, githubToken, ...created.map((pat) => pat.raw)]
  expect(findLeaks(result, secrets)).toEqual([])
  const lines = result.stdout.split('\n')
  for (const secret of [prepared.old, githubToken]) {
    const first = lines.indexOf(`::add-mask::${secret}`)
    if (first < 0) continue
    expect(lines.slice(0, first).every((line) => line.startsWith('::add-mask::'))).toBe(true)
  }
  for (const pat of created) {
    const mask = lines.indexOf(`::add-mask::${pat.raw}`)
    expect(mask).toBeGreaterThan(0)
    // The line before is the create's log line: nothing happened between Jira's answer and the mask.
    expect(lines[mask - 1]).toMatch(/^POST \S+\/rest\/pat\/latest\/tokens → 201 /)
  }
}

/** One describe() per table: a world of stand-ins for the file, one test per scenario. */
export function describeRotations(
  title: string,
  scenarios: RotateScenario[],
  extraEnv: Record<string, string> = {}
): void {
  let world: RotateWorld
  beforeAll(async () => {
    world = await startRotateWorld()
  })
  afterAll(async () => {
    await stopRotateWorld(world)
  })
  describe(title, () => {
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const run = await executeRotation(world, scenario, extraEnv)
        await assertRotation(run, scenario)
        await scenario.verify?.(run)
      })
    }
  })
}
