/**
 * The rotate action declares its inputs and outputs once (src/engine/settings/rotate-schema.ts,
 * src/engine/render/rotate-outputs.ts); rotate/action.yml and the README's rotate tables must say
 * the same, as __tests__/contract.test.ts holds the check to its own.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { ROTATE_OUTPUTS } from '../src/engine/render/rotate-outputs.js'
import { ROTATE_INPUTS, type RotateInputSpec } from '../src/engine/settings/rotate-schema.js'
import { actionDescription } from '../src/engine/settings/schema.js'

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const rotateYml = parse(read('rotate/action.yml')) as {
  inputs: Record<string, { description: string; required: boolean; default: string }>
  outputs: Record<string, { description: string }>
}
const readme = read('README.md')
const inputs = ROTATE_INPUTS as readonly RotateInputSpec[]

/** A README table under a `### ` heading, by the backticked name in its first cell. */
function readmeTable(heading: string): Map<string, string[]> {
  const start = readme.indexOf(`### ${heading}\n`)
  expect(start).toBeGreaterThan(0)
  const rest = readme.slice(start + `### ${heading}\n`.length)
  const end = rest.search(/^#{2,4} /m)
  const table = end < 0 ? rest : rest.slice(0, end)
  const rows = new Map<string, string[]>()
  for (const line of table.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim())
    for (const name of cells[0]?.match(/^`[a-z-]+`$/g) ?? []) rows.set(name.slice(1, -1), cells)
  }
  return rows
}

describe('rotate/action.yml: the schema is the one declaration', () => {
  it('declares exactly the schema inputs, in order, with their defaults, requirement and descriptions', () => {
    expect(Object.keys(rotateYml.inputs)).toEqual(inputs.map((input) => input.name))
    for (const input of inputs) {
      expect({ [input.name]: rotateYml.inputs[input.name] }).toEqual({
        [input.name]: {
          description: actionDescription(input),
          required: input.required === true,
          default: input.default
        }
      })
    }
  })

  it('declares exactly the outputs, in order, with the same descriptions', () => {
    expect(rotateYml.outputs).toEqual(
      Object.fromEntries(ROTATE_OUTPUTS.map((o) => [o.name, { description: o.description }]))
    )
  })

  it('requires exactly the three inputs the rotation cannot guess', () => {
    expect(inputs.filter((input) => input.required).map((input) => input.name)).toEqual([
      'token-name',
      'secret-name',
      'github-token'
    ])
  })

  it('masks both tokens: the only secret inputs', () => {
    expect(inputs.filter((input) => input.secret).map((input) => input.name)).toEqual([
      'token',
      'github-token'
    ])
  })
})

describe("the README's rotate tables", () => {
  it('has one input row per input, with its default or fallback', () => {
    const rows = readmeTable('Rotate inputs')
    expect([...rows.keys()]).toEqual(inputs.map((input) => input.name))
    for (const input of inputs) {
      const expected = input.defaultText
        ? input.defaultText
        : input.env
          ? `env \`${input.env}\``
          : input.required
            ? 'required'
            : input.default
              ? `\`${input.default}\``
              : 'empty'
      expect({ [input.name]: rows.get(input.name)![1] }).toEqual({ [input.name]: expected })
    }
  })

  it('has one output row per output', () => {
    const rows = readmeTable('Rotate outputs')
    expect([...rows.keys()]).toEqual(ROTATE_OUTPUTS.map((output) => output.name))
  })
})
