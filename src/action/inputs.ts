/** The action's inputs, read from the schema: core.getInput, else the environment fallback, else the default. */
import * as core from '@actions/core'
import { INPUTS, type InputName, type RawSettings } from '../engine/settings/schema.js'

export function readInputs(env: NodeJS.ProcessEnv = process.env): RawSettings {
  return Object.fromEntries(
    INPUTS.map((input) => {
      const given = core.getInput(input.name)
      const fallback = 'env' in input ? env[input.env]?.trim() : undefined
      return [input.name, given || fallback || input.default]
    })
  ) as Record<InputName, string>
}
