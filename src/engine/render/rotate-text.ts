/** The rotation's annotation text: what happened, the step, the state left behind, what to do. */
import type { RotationDiagnosis } from '../diagnosis/rotation.js'

export function formatRotationDiagnosis(diagnosis: RotationDiagnosis, docsUrl: string): string {
  const lines = [diagnosis.headline]
  if (diagnosis.explanation) lines.push(diagnosis.explanation)
  lines.push(`Step: ${diagnosis.step}.`, `State: ${diagnosis.state}`)
  if (diagnosis.steps.length > 0) {
    lines.push('What to do:')
    diagnosis.steps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`))
  }
  lines.push(`More: ${docsUrl}#${diagnosis.code}`)
  return lines.join('\n')
}
