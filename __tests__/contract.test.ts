/**
 * One declaration of every input and output (src/engine/settings/schema.ts, render/outputs.ts);
 * everything that restates them must agree: action.yml, the README's tables, .env.example.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { FAMILIES } from '../src/engine/diagnosis/catalogue.js'
import { ERROR_CODES, type ErrorCode, type Failure } from '../src/engine/findings.js'
import { OUTPUTS } from '../src/engine/render/outputs.js'
import { exitCodeOf } from '../src/cli/exit-codes.js'
import { failedResult } from '../src/engine/verdict.js'
import { INPUTS, actionDescription, type InputSpec } from '../src/engine/settings/schema.js'

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const actionYml = parse(read('action.yml')) as {
  inputs: Record<string, { description: string; required: boolean; default: string }>
  outputs: Record<string, { description: string }>
}
const readme = read('README.md')
const inputs = INPUTS as readonly InputSpec[]

/** The README's table rows, by the backticked name in their first cell. */
function readmeTable(heading: string): Map<string, string[]> {
  const section = readme.slice(readme.indexOf(`## ${heading}\n`))
  const table = section.slice(0, section.indexOf('\n## ', 4))
  const rows = new Map<string, string[]>()
  for (const line of table.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim())
    for (const name of cells[0]?.match(/`[a-z-]+`/g) ?? []) rows.set(name.slice(1, -1), cells)
  }
  return rows
}

describe('inputs: the schema is the one declaration', () => {
  it('action.yml declares exactly the schema inputs, in order, with the same defaults and descriptions', () => {
    expect(Object.keys(actionYml.inputs)).toEqual(inputs.map((input) => input.name))
    for (const input of inputs) {
      expect({ [input.name]: actionYml.inputs[input.name] }).toEqual({
        [input.name]: {
          description: actionDescription(input),
          required: false,
          default: input.default
        }
      })
    }
  })

  it("the README's inputs table has one row per input, with its default or fallback", () => {
    const rows = readmeTable('Inputs')
    expect([...rows.keys()].sort()).toEqual(inputs.map((input) => input.name).sort())
    const expected = (input: InputSpec): RegExp =>
      input.env
        ? new RegExp(`env \`${input.env}\``)
        : new RegExp(`^${input.default ? `\`${input.default}\`` : 'empty'}$`)
    for (const input of inputs) {
      expect({ [input.name]: rows.get(input.name)![1] }).toEqual({
        [input.name]: expect.stringMatching(expected(input))
      })
    }
  })

  it('.env.example lists every input with its default, hyphens kept', () => {
    const example = read('.env.example')
    for (const input of inputs) {
      expect(example).toMatch(
        new RegExp(`^INPUT_${input.name.toUpperCase()}=${input.default}$`, 'm')
      )
    }
  })

  it('every secret has an environment fallback, so the CLI can take it without argv', () => {
    for (const input of inputs.filter((candidate) => candidate.secret))
      expect(input.env).toBeTruthy()
  })
})

describe('outputs: one declaration', () => {
  it('action.yml declares exactly the outputs, in order, with the same descriptions', () => {
    expect(actionYml.outputs).toEqual(
      Object.fromEntries(
        OUTPUTS.map((output) => [output.name, { description: output.description }])
      )
    )
  })

  it("the README's outputs table names every output", () => {
    const rows = readmeTable('Outputs')
    for (const output of OUTPUTS) expect(rows.has(output.name)).toBe(true)
  })
})

/** The CLI's exit code for a failure of this code (exitCodeOf reads only the code). */
const exitOf = (code: ErrorCode): number => exitCodeOf(failedResult({ code } as Failure), false)

describe('exit codes: the catalogue families, as the docs state them', () => {
  it('a family is one exit code: 1 credential, 2 input, 3 unreachable, 70 bug', () => {
    for (const code of ERROR_CODES) {
      expect({ code, exit: exitOf(code) }).toEqual({
        code,
        exit: { credential: 1, input: 2, unreachable: 3, bug: 70 }[FAMILIES[code]]
      })
    }
  })

  const troubleshooting = read('docs/troubleshooting.md')
  it.each([...ERROR_CODES])(
    'docs/troubleshooting.md#%s names the CLI exit code of its family',
    (code) => {
      const exit = exitCodeOf(failedResult({ code: 'internal-error', detail: '' }), false)
      expect(exit).toBe(70)
      const expected = exitOf(code)
      const section = troubleshooting.slice(troubleshooting.indexOf(`## ${code}\n`))
      expect(section).toMatch(new RegExp(`^## ${code}\\n\\n_CLI exit code ${expected}\\._`))
    }
  )

  it("the README's exit-code table lists every code under its family's exit code", () => {
    for (const code of ERROR_CODES.filter((c) => c !== 'internal-error')) {
      const expected = exitOf(code)
      expect(readme).toMatch(new RegExp(`^\\| \`${expected}\`\\s*\\|[^\\n]*\`${code}\``, 'm'))
    }
  })
})
