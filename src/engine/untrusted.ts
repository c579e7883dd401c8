/**
 * Everything Jira, a proxy or the network sends is untrusted: a display name, a server version, a
 * token name, a header, a body excerpt. Anyone on Jira Cloud can set their own display name, so a
 * value such as "Mia\n::add-mask::Jira" would, printed raw, become a runner command (the runner
 * treats any line that starts with "::", after leading spaces, as one). These two functions are the
 * only way such values reach a log line.
 */

/**
 * C0 and C1 controls (CR and LF among them), DEL, the Unicode line and paragraph separators, the
 * bidirectional overrides and isolates (which reorder what a reader sees), and a stray BOM.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point.
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g

/** The longest untrusted value worth showing; Jira's own fields (display names, token names) are far shorter. */
export const MAX_UNTRUSTED_LENGTH = 300

/**
 * One untrusted value, ready to sit inside a sentence: every unsafe character becomes U+FFFD (so
 * tampering stays visible), tabs become spaces, and the result is at most `max` characters long.
 */
export function untrusted(
  value: string | number | boolean | null | undefined,
  max = MAX_UNTRUSTED_LENGTH
): string {
  const text = String(value ?? '')
    .replace(/\t/g, ' ')
    .replace(UNSAFE, '\ufffd')
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/**
 * A block of log text, made safe line by line for the runner: no control characters, and no line
 * that the runner would read as a workflow command. The action's own multi-line messages keep
 * their line breaks; anything that slipped through untrusted() cannot start a command.
 */
export function safeLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const clean = line.replace(/\t/g, ' ').replace(UNSAFE, '\ufffd')
      // The runner trims leading whitespace before it looks for "::".
      return /^\s*::/.test(clean) ? clean.replace('::', ': :') : clean
    })
    .join('\n')
}
