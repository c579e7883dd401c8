// Statistics for `npm run bench` and `npm run soak`: quantiles, medians, paired ratios and
// differences of interleaved samples, and the seeded PRNG the soak draws its scenarios from.
// Pure functions over arrays of numbers; NaN (never a throw) when there is nothing to summarise.

/**
 * Linear-interpolated quantile (the same definition as numpy's default).
 * @param {number[]} values
 * @param {number} q in [0, 1]
 */
export function quantile(values, q) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

/** @param {number[]} values */
export const median = (values) => quantile(values, 0.5)

/**
 * n, median, p90, min and max of a sample.
 * @param {number[]} values
 * @returns {{ n: number, median: number, p90: number, min: number, max: number }}
 */
export function summary(values) {
  const finite = values.filter(Number.isFinite)
  return {
    n: finite.length,
    median: median(finite),
    p90: quantile(finite, 0.9),
    min: finite.length ? Math.min(...finite) : NaN,
    max: finite.length ? Math.max(...finite) : NaN
  }
}

/**
 * Per-round ratios a[i] / b[i] of two interleaved samples (rounds where either is missing dropped).
 * @param {number[]} a
 * @param {number[]} b
 */
export function pairedRatios(a, b) {
  const out = []
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && b[i] !== 0) out.push(a[i] / b[i])
  }
  return out
}

/**
 * Per-round differences a[i] − b[i] of two interleaved samples.
 * @param {number[]} a
 * @param {number[]} b
 */
export function pairedDifferences(a, b) {
  const out = []
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i])) out.push(a[i] - b[i])
  }
  return out
}

/**
 * The ratio of a to b both ways: the median of the per-round ratios (the figure goals are judged
 * on, robust to a noisy round) and the ratio of the medians, with the spread of the per-round ones.
 * @param {number[]} a
 * @param {number[]} b
 */
export function compare(a, b) {
  const ratios = pairedRatios(a, b)
  return {
    paired: median(ratios),
    ofMedians: median(a) / median(b),
    p10: quantile(ratios, 0.1),
    p90: quantile(ratios, 0.9),
    n: ratios.length
  }
}

/**
 * mulberry32: a tiny seeded PRNG; returns floats in [0, 1). The same seed gives the same sequence
 * on every machine and Node version.
 * @param {number} seed
 */
export function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A weighted draw from `items` with a PRNG from mulberry32.
 * @template {{ weight: number }} T
 * @param {T[]} items
 * @param {() => number} random
 * @returns {() => T}
 */
export function weightedPicker(items, random) {
  const total = items.reduce((sum, item) => sum + item.weight, 0)
  return () => {
    let x = random() * total
    for (const item of items) if ((x -= item.weight) < 0) return item
    return items[items.length - 1]
  }
}
