/**
 * The CLI's report: human text on stderr, the same facts and diagnosis as the action's log, and
 * with --json one object on stdout. No runner masks anything here, so every line and every JSON
 * string goes through the redactor, and every line through safeLines.
 */
import {
  diagnose,
  expiryWarning,
  policyWarning,
  type Diagnosis
} from '../engine/diagnosis/catalogue.js'
import { describeNote, type NoteText } from '../engine/diagnosis/notes.js'
import type { Platform } from '../engine/diagnosis/platform.js'
import { jsonReport } from '../engine/render/json.js'
import { successLine } from '../engine/render/text.js'
import type { Settings } from '../engine/settings/parse.js'
import { safeLines, untrusted } from '../engine/untrusted.js'
import type { CheckResult } from '../engine/verdict.js'

export interface Output {
  stdout(text: string): void
  stderr(text: string): void
}

type Redact = (text: string) => string

const STYLES = { red: 31, green: 32, yellow: 33, dim: 2 } as const
type Style = keyof typeof STYLES

export function painter(color: boolean): (style: Style, text: string) => string {
  return (style, text) => (color ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text)
}

function diagnosisLines(diagnosis: Diagnosis, docsUrl: string): string[] {
  const lines = [`  ${diagnosis.headline}`]
  if (diagnosis.explanation) lines.push(`  ${diagnosis.explanation}`)
  if (diagnosis.steps.length > 0) {
    lines.push('  What to do:')
    diagnosis.steps.forEach((step, index) => lines.push(`    ${index + 1}. ${step}`))
  }
  lines.push(`  More: ${docsUrl}#${diagnosis.code}`)
  return lines
}

function factLines(result: CheckResult): string[] {
  const lines: string[] = []
  const expiry = result.expiry
  if (expiry) {
    const name = expiry.name ? `"${untrusted(expiry.name, 60)}" ` : ''
    if (expiry.nonExpiring) lines.push(`  token ${name}never expires`)
    else if (expiry.expiresAt)
      lines.push(
        `  token ${name}expires ${expiry.expiresAt.slice(0, 10)} (${expiry.daysLeft} days left)`
      )
    else if (expiry.unknownBecause) lines.push(`  token expiry unknown: ${expiry.unknownBecause}`)
  }
  for (const permission of result.permissions ?? []) {
    const mark = permission.granted ? 'held' : permission.unknown ? 'unknown key' : 'MISSING'
    lines.push(`  permission ${permission.key}: ${mark}`)
  }
  return lines
}

/** The human report: one block for the verdict, then the notes. Returns the notes as worded. */
export function writeReport(
  result: CheckResult,
  settings: Settings | undefined,
  out: Output,
  redact: Redact,
  p: Platform,
  options: { json: boolean; color: boolean }
): void {
  const paint = painter(options.color)
  // Neutralised first, painted after: safeLines would otherwise take the colour codes for Jira's.
  const say = (text: string, style?: Style): void => {
    const line = safeLines(redact(text))
    out.stderr(`${style ? paint(style, line) : line}\n`)
  }
  const notes: NoteText[] = result.notes.map((note) => describeNote(note, p))
  let diagnosis: Diagnosis | undefined
  let warning: Diagnosis | undefined
  let hygiene: Diagnosis | undefined
  if (result.failure) {
    diagnosis = diagnose(result.failure, result.context, p)
    say(`✖ ${diagnosis.title}`, 'red')
    for (const line of diagnosisLines(diagnosis, p.docsUrl)) say(line)
  } else {
    const expiry = result.expiry
    say(`✔ ${successLine(result)}`, result.status === 'ok' ? 'green' : 'yellow')
    for (const line of factLines(result)) say(line, 'dim')
    if (
      result.status === 'warning' &&
      settings &&
      expiry?.daysLeft !== undefined &&
      expiry.expiresAt
    ) {
      warning = expiryWarning(
        {
          daysLeft: expiry.daysLeft,
          expiresAt: expiry.expiresAt,
          name: expiry.name && untrusted(expiry.name, 60)
        },
        settings.expiryWarningDays,
        result.context,
        p
      )
      say(`! ${warning.title}`, 'yellow')
      for (const line of diagnosisLines(warning, p.docsUrl)) say(line)
    }
    if (result.policy && result.policy.length > 0) {
      hygiene = policyWarning(result.policy, result.context, p)
      say(`! ${hygiene.title}`, 'yellow')
      for (const line of diagnosisLines(hygiene, p.docsUrl)) say(line)
    }
  }
  for (const note of notes)
    say(`${note.level}: ${note.message}`, note.level === 'warning' ? 'yellow' : 'dim')
  if (warning) notes.push({ level: 'warning', message: warning.headline })
  if (hygiene) notes.push({ level: 'warning', message: hygiene.headline })
  if (options.json)
    out.stdout(`${JSON.stringify(redactDeep(jsonReport(result, diagnosis, notes), redact))}\n`)
}

/** Every string in a value, redacted: a secret is caught before JSON escaping could hide it. */
function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)])
    ) as T
  }
  return value
}
