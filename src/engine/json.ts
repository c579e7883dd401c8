/**
 * JSON from Jira, read defensively. A UTF-8 byte-order mark before the JSON (seen from Jira behind
 * some Windows proxies) is dropped; a value nested thousands of levels deep parses, but it would
 * overflow the stack of JSON.stringify or any recursive walk, so writing it back is depth-limited.
 */

/** The parsed value, or undefined when the text is not JSON. */
export function readJson(body: string): unknown {
  try {
    return JSON.parse(body.replace(/^\ufeff/, '')) as unknown
  } catch {
    return undefined
  }
}

/** Deeper than this, a value is written as "…": no Jira answer the action reads nests this deep. */
const MAX_DEPTH = 32

/** Compact JSON of a parsed value, with anything nested deeper than MAX_DEPTH cut to "…". */
export function compactJson(value: unknown): string {
  return JSON.stringify(limitDepth(value, 0))
}

function limitDepth(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (depth >= MAX_DEPTH) return '…'
  if (Array.isArray(value)) return value.map((item) => limitDepth(item, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, limitDepth(item, depth + 1)])
  )
}
