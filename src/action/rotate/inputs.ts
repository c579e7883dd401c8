/** The rotate action's inputs, read from its schema: core.getInput, else the environment fallback, else the default. */
import * as core from '@actions/core'
import {
  ROTATE_INPUTS,
  type RawRotateSettings,
  type RotateInputName
} from '../../engine/settings/rotate-schema.js'

export function readRotateInputs(env: NodeJS.ProcessEnv = process.env): RawRotateSettings {
  return Object.fromEntries(
    ROTATE_INPUTS.map((input) => {
      const given = core.getInput(input.name)
      const fallback = 'env' in input ? env[input.env]?.trim() : undefined
      return [input.name, given || fallback || input.default]
    })
  ) as Record<RotateInputName, string>
}
