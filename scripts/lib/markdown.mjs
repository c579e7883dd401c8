// Markdown for the reports of `npm run bench` and `npm run soak`: number formatting, tables,
// documents assembled from blocks, and the rewrite of a generated block between markers in a
// hand-written file (the README's `<!-- bench:start … -->` … `<!-- bench:end -->`). Output is run
// through Prettier with the repository's settings, so a rewritten file passes `npm run format:check`.
import { readFileSync, writeFileSync } from 'node:fs'
import * as prettier from 'prettier'

/**
 * A number with fixed digits, 'n/a' for NaN, undefined or ±Infinity.
 * @param {number | undefined | null} n
 * @param {number} [digits]
 */
export const fmt = (n, digits = 0) =>
  typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : 'n/a'

/** @param {number | undefined | null} n milliseconds, as "850 ms" or "1.3 s" */
export const duration = (n) =>
  typeof n === 'number' && Number.isFinite(n)
    ? n >= 1000
      ? `${fmt(n / 1000, 1)} s`
      : `${fmt(n)} ms`
    : 'n/a'

/** @param {number | undefined | null} kib */
export const mib = (kib, digits = 1) => `${fmt(typeof kib === 'number' ? kib / 1024 : NaN, digits)}`

/** @param {string} text */
export const code = (text) => `\`${text}\``

/** @param {string} text */
export const bold = (text) => `**${text}**`

/** Table cells must not break the row. @param {unknown} value */
const cell = (value) =>
  String(value ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')

/**
 * A GitHub table. `align` per column: 'l' (default) or 'r'.
 * @param {string[]} headers
 * @param {Array<Array<unknown>>} rows
 * @param {Array<'l' | 'r'>} [align]
 */
export function table(headers, rows, align = []) {
  const rule = headers.map((_h, i) => (align[i] === 'r' ? '---:' : '---'))
  return [headers, rule, ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n')
}

/** @param {string[]} items */
export const bullets = (items) => items.map((item) => `- ${item}`).join('\n')

/**
 * @param {string} heading
 * @param {number} [level]
 */
export const heading = (heading, level = 2) => `${'#'.repeat(level)} ${heading}`

/** @param {string} language @param {string[]} lines */
export const fence = (language, lines) => ['```' + language, ...lines, '```'].join('\n')

/**
 * A document from blocks (falsy blocks dropped), one blank line between them, newline at the end.
 * @param {Array<string | false | null | undefined>} blocks
 */
export const documentOf = (blocks) => `${blocks.filter(Boolean).join('\n\n')}\n`

/**
 * Prettier with the repository's settings for `filepath`.
 * @param {string} text
 * @param {string} filepath
 */
export async function formatMarkdown(text, filepath) {
  const options = { ...(await prettier.resolveConfig(filepath)), filepath, parser: 'markdown' }
  return prettier.format(text, options)
}

const BLOCK = /(<!-- bench:start[^>]*-->\n)[\s\S]*?(\n<!-- bench:end -->)/

/**
 * Replace the generated block between `<!-- bench:start … -->` and `<!-- bench:end -->`.
 * @param {string} text
 * @param {string} block
 * @returns {string | undefined} undefined when the markers are missing
 */
export function replaceBenchBlock(text, block) {
  if (!BLOCK.test(text)) return undefined
  return text.replace(BLOCK, (_m, start, end) => `${start}\n${block}\n${end}`)
}

/**
 * Rewrite the README's bench block in place, formatted.
 * @param {string} readmePath
 * @param {string} block
 * @returns {Promise<boolean>} false (and nothing written) when the markers are missing
 */
export async function writeBenchBlock(readmePath, block) {
  const updated = replaceBenchBlock(readFileSync(readmePath, 'utf8'), block)
  if (updated === undefined) return false
  writeFileSync(readmePath, await formatMarkdown(updated, readmePath))
  return true
}
