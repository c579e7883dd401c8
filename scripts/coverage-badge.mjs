#!/usr/bin/env node
// Writes badges/coverage.svg from coverage/coverage-summary.json (jest's json-summary reporter),
// the job make-coverage-badge does in actions/typescript-action, without the dependency.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'

const summary = JSON.parse(readFileSync('coverage/coverage-summary.json', 'utf8'))
const percent = Math.floor(summary.total.lines.pct)
const color =
  percent >= 90 ? '#4c1' : percent >= 80 ? '#97ca00' : percent >= 70 ? '#dfb317' : '#e05d44'
const label = 'coverage'
const value = `${percent}%`
const labelWidth = 61
const valueWidth = 8 * value.length + 10
const width = labelWidth + valueWidth
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${value}">
<title>${label}: ${value}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${labelWidth}" height="20" fill="#555"/><rect x="${labelWidth}" width="${valueWidth}" height="20" fill="${color}"/><rect width="${width}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${labelWidth / 2}" y="15" fill="#010101" fill-opacity=".3">${label}</text><text x="${labelWidth / 2}" y="14">${label}</text>
<text x="${labelWidth + valueWidth / 2}" y="15" fill="#010101" fill-opacity=".3">${value}</text><text x="${labelWidth + valueWidth / 2}" y="14">${value}</text>
</g>
</svg>
`
mkdirSync('badges', { recursive: true })
writeFileSync('badges/coverage.svg', svg)
console.log(`badges/coverage.svg: ${value} of lines`)
