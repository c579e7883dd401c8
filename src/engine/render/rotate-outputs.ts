/**
 * The rotate action's outputs, declared once (rotate/action.yml must say the same:
 * __tests__/rotate-contract.test.ts).
 */
import type { RotateResult } from '../rotate/findings.js'

export const ROTATE_OUTPUTS = [
  { name: 'rotated', description: 'true when the secret now holds a new token, else false.' },
  {
    name: 'reason',
    description:
      'Why the run rotated, or would have, or did not: due, always, expiry-unknown or not-due; empty if the check failed first.'
  },
  { name: 'new-token-name', description: "The new token's name, when rotated is true." },
  {
    name: 'new-token-expires-at',
    description: "The new token's expiry in ISO 8601, when rotated is true."
  },
  { name: 'old-token-revoked', description: 'true when the old token was revoked, else false.' },
  { name: 'status', description: 'ok, warning or failed. Set on every run.' },
  {
    name: 'error-code',
    description: 'Empty unless status is failed, else the error code (see docs/troubleshooting.md).'
  }
] as const

export type RotateOutputName = (typeof ROTATE_OUTPUTS)[number]['name']
export type RotateOutputs = Record<RotateOutputName, string>

export const ROTATE_OUTPUT_NAMES: readonly RotateOutputName[] = ROTATE_OUTPUTS.map(
  (output) => output.name
)

/** Every output as a string, empty where unknown. The new token's value is never one of them. */
export function rotateOutputsOf(result: RotateResult): RotateOutputs {
  const created = result.rotated ? result.created : undefined
  return {
    rotated: String(result.rotated),
    reason: result.decision?.reason ?? '',
    'new-token-name': created?.name ?? '',
    'new-token-expires-at': created?.expiresAt ?? '',
    'old-token-revoked': String(result.oldRevoked),
    status: result.status,
    'error-code': result.failure?.code ?? ''
  }
}
