/**
 * The CLI's --json document: the action's outputs under the same names and with the same string
 * values, plus the diagnosis of a failure and the notes, so a pipeline reads one object.
 */
import type { Diagnosis } from '../diagnosis/catalogue.js'
import type { NoteText } from '../diagnosis/notes.js'
import { outputsOf, type Outputs } from './outputs.js'
import type { CheckResult } from '../verdict.js'

export type JsonReport = Outputs & {
  diagnosis?: { title: string; headline: string; steps: string[] }
  notes: NoteText[]
}

export function jsonReport(
  result: CheckResult,
  diagnosis: Diagnosis | undefined,
  notes: readonly NoteText[]
): JsonReport {
  return {
    ...outputsOf(result),
    ...(diagnosis && {
      diagnosis: { title: diagnosis.title, headline: diagnosis.headline, steps: diagnosis.steps }
    }),
    notes: notes.map((note) => ({ level: note.level, message: note.message }))
  }
}
