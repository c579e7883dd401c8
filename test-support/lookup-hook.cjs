// Lookup hook: a preload that answers every DNS lookup in its process from a table, so that a
// bench, a soak or a test can make a name fail (or hang, or resolve to the stand-in) without ever
// asking the machine's resolver. Nothing leaves loopback, not even a query for an invented name.
//
// Load it into the process under test:
//
//   node --require ./test-support/lookup-hook.cjs dist/index.js
//
// runAction (test-support/run-action.mjs) loads it into every run of the action, so no test asks
// the machine's resolver; npm run bench and npm run soak use it for their DNS cases.
//
// Contract
//
//   JAC_LOOKUP_HOOK           JSON object { "<host name>": "<answer>" }, answers:
//                               "127.0.0.1" (or any other loopback address: 127.x.y.z, ::1)
//                                            resolves to that address;
//                               "ENOTFOUND"  fails like a name that does not exist (NXDOMAIN);
//                               "hang"       never answers, and holds a ref'd timer so the process
//                                            stays alive, as a getaddrinfo stuck in libuv's
//                                            threadpool does.
//                             Names match case-insensitively, without a trailing dot. Missing or
//                             empty: {}. Invalid JSON, an unknown answer or a non-loopback address
//                             stops the process at start-up with a one-line error.
//   JAC_LOOKUP_HOOK_DELAY_MS  How long an answer ("127.0.0.1" or "ENOTFOUND") takes. Default 5.
//   JAC_LOOKUP_LOG            Optional file: every name looked up is appended to it, one a line,
//                             so a test can prove which names the process asked for.
//
//   Names not in the table: IP literals resolve to themselves (getaddrinfo sends no query for
//   them either), `localhost` and `*.localhost` to 127.0.0.1 (::1 for family 6), and **every
//   other name fails with ENOTFOUND**. An answer of the wrong family (127.0.0.1 when family 6 is
//   asked for) fails with ENOTFOUND too.
//
// What is replaced: `dns.lookup` and `dns.promises.lookup` (what net, tls, http and https call to
// connect), with the callback forms (address, family) and `{ all: true }` (the form Node's
// happy-eyeballs connect uses). The failure is shaped like Node's own: an Error with
// `code: 'ENOTFOUND'`, `errno: -3008` (UV_EAI_NONAME), `syscall: 'getaddrinfo'` and `hostname`,
// message `getaddrinfo ENOTFOUND <host>`, delivered asynchronously. The c-ares resolvers
// (`dns.resolve*`, `dns.reverse`, `dns.Resolver`, and their promise forms) would query the network
// directly, so they fail with ENOTFOUND (syscall `queryA`, `queryTxt`, …, no errno, as c-ares
// errors have) whatever the name. Node's ESM `import { lookup } from 'node:dns'` sees the
// replacement too (the preload runs before any module is linked, and the facade is synced).
'use strict'

const dns = require('node:dns')
const fs = require('node:fs')
const net = require('node:net')

const ENV = 'JAC_LOOKUP_HOOK'
const UV_EAI_NONAME = -3008

function fatal(message) {
  process.stderr.write(`lookup-hook: ${message}\n`)
  process.exit(70)
}

function isLoopback(address) {
  const kind = net.isIP(address)
  if (kind === 4) return address.startsWith('127.')
  if (kind === 6) return address === '::1' || address === '0:0:0:0:0:0:0:1'
  return false
}

const normalise = (host) => String(host).toLowerCase().replace(/\.$/, '')

/** @type {Map<string, string>} */
const table = new Map()
{
  let parsed = {}
  const raw = process.env[ENV]
  if (raw !== undefined && raw.trim() !== '') {
    try {
      parsed = JSON.parse(raw)
    } catch (error) {
      fatal(`${ENV} is not JSON: ${error.message}`)
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      fatal(`${ENV} must be a JSON object of host → answer`)
    }
  }
  for (const [host, answer] of Object.entries(parsed)) {
    if (answer !== 'ENOTFOUND' && answer !== 'hang' && !isLoopback(String(answer))) {
      fatal(
        `${ENV}: ${JSON.stringify(host)} → ${JSON.stringify(answer)}: answers are a loopback address, "ENOTFOUND" or "hang"`
      )
    }
    table.set(normalise(host), String(answer))
  }
}

const delayEnv = process.env.JAC_LOOKUP_HOOK_DELAY_MS
const delayMs = delayEnv === undefined || delayEnv === '' ? 5 : Number(delayEnv)
if (!Number.isFinite(delayMs) || delayMs < 0) {
  fatal(
    `JAC_LOOKUP_HOOK_DELAY_MS must be a number of milliseconds, got ${JSON.stringify(delayEnv)}`
  )
}

/** Shaped as Node's own: libuv's getaddrinfo errors carry a number, c-ares ones none. */
function notFound(hostname, syscall = 'getaddrinfo') {
  const error = new Error(`${syscall} ENOTFOUND ${hostname}`)
  error.errno = syscall === 'getaddrinfo' ? UV_EAI_NONAME : undefined
  error.code = 'ENOTFOUND'
  error.syscall = syscall
  error.hostname = hostname
  return error
}

/** The answer for a name: { address, family } | 'ENOTFOUND' | 'hang'. */
function answerFor(hostname, family) {
  const name = normalise(hostname)
  const wanted = table.get(name)
  if (wanted === 'ENOTFOUND' || wanted === 'hang') return wanted
  if (wanted !== undefined) return { address: wanted, family: net.isIP(wanted) }
  const literal = net.isIP(name.replace(/^\[|\]$/g, ''))
  if (literal) return { address: name.replace(/^\[|\]$/g, ''), family: literal }
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return family === 6 ? { address: '::1', family: 6 } : { address: '127.0.0.1', family: 4 }
  }
  return 'ENOTFOUND'
}

/** Keep the process alive for ever, as a stuck getaddrinfo would (2^31−1 ms is the longest timer). */
function hang() {
  setTimeout(hang, 2 ** 31 - 1)
}

function familyOf(options) {
  if (typeof options === 'number') return options
  if (options && typeof options === 'object') {
    const f = options.family
    if (f === 'IPv4') return 4
    if (f === 'IPv6') return 6
    return Number(f) || 0
  }
  return 0
}

/**
 * @param {string} hostname
 * @param {object | number} options
 * @param {(error: Error | null, address?: any, family?: number) => void} done
 */
function resolveName(hostname, options, done) {
  if (process.env.JAC_LOOKUP_LOG) fs.appendFileSync(process.env.JAC_LOOKUP_LOG, `${hostname}\n`)
  const family = familyOf(options)
  const all = Boolean(options && typeof options === 'object' && options.all)
  const answer = answerFor(hostname, family)
  if (answer === 'hang') return hang()
  setTimeout(() => {
    if (answer === 'ENOTFOUND') return done(notFound(hostname))
    if (family !== 0 && answer.family !== family) return done(notFound(hostname))
    if (all) done(null, [{ address: answer.address, family: answer.family }])
    else done(null, answer.address, answer.family)
  }, delayMs)
}

function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options
    options = {}
  }
  if (typeof callback !== 'function') {
    throw new TypeError('The "callback" argument must be of type function')
  }
  resolveName(hostname, options ?? {}, callback)
  return {}
}

function lookupPromise(hostname, options = {}) {
  return new Promise((resolvePromise, reject) => {
    resolveName(hostname, options, (error, address, family) => {
      if (error) reject(error)
      else resolvePromise(Array.isArray(address) ? address : { address, family })
    })
  })
}

dns.lookup = lookup
dns.promises.lookup = lookupPromise

// c-ares would send real queries: refuse them all.
const RESOLVERS = [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTxt',
  'reverse'
]
/** The syscall Node names in a c-ares error: resolve4 → queryA, resolveTxt → queryTxt, … */
function queryName(method) {
  if (method === 'reverse') return 'getHostByAddr'
  if (method === 'resolve' || method === 'resolve4') return 'queryA'
  if (method === 'resolve6') return 'queryAaaa'
  return `query${method.slice('resolve'.length)}`
}
function refuseCallback(method) {
  return function refused(name, ...rest) {
    const callback = rest.reverse().find((arg) => typeof arg === 'function')
    if (typeof callback !== 'function') {
      throw new TypeError('The "callback" argument must be of type function')
    }
    setTimeout(() => callback(notFound(name, queryName(method))), delayMs)
  }
}
function refusePromise(method) {
  return (name) =>
    new Promise((_resolve, reject) =>
      setTimeout(() => reject(notFound(name, queryName(method))), delayMs)
    )
}
for (const method of RESOLVERS) {
  if (typeof dns[method] === 'function') dns[method] = refuseCallback(method)
  if (typeof dns.Resolver?.prototype[method] === 'function') {
    dns.Resolver.prototype[method] = refuseCallback(method)
  }
  if (typeof dns.promises[method] === 'function') dns.promises[method] = refusePromise(method)
  if (typeof dns.promises.Resolver?.prototype[method] === 'function') {
    dns.promises.Resolver.prototype[method] = refusePromise(method)
  }
}

// ESM importers of node:dns get the replaced functions as well.
require('node:module').syncBuiltinESMExports()
