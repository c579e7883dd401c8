// Preload (`node --require`) that makes every DNS lookup fail unless the name is allowed, and logs
// each name it was asked for, one per line, to the file LOOKUP_GUARD_LOG names. Loopback IP
// addresses never reach dns.lookup, so a client that only dials 127.0.0.1 logs nothing.
// LOOKUP_GUARD_ALLOW: comma-separated names that are resolved for real (default: none).
'use strict'
const dns = require('node:dns')
const fs = require('node:fs')

const logFile = process.env.LOOKUP_GUARD_LOG
const allowed = new Set(
  (process.env.LOOKUP_GUARD_ALLOW ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)
)
const realLookup = dns.lookup
const realPromisesLookup = dns.promises.lookup

function record(hostname) {
  if (logFile) fs.appendFileSync(logFile, `${hostname}\n`)
}

function refusal(hostname) {
  const error = new Error(`lookup-guard: no DNS lookup allowed for ${hostname}`)
  error.code = 'ENOTFOUND'
  error.hostname = hostname
  return error
}

dns.lookup = function guardedLookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback
  record(hostname)
  if (allowed.has(String(hostname).toLowerCase())) return realLookup.apply(dns, arguments)
  process.nextTick(() => done(refusal(hostname)))
  return undefined
}

dns.promises.lookup = async function guardedPromisesLookup(hostname, options) {
  record(hostname)
  if (allowed.has(String(hostname).toLowerCase())) return realPromisesLookup(hostname, options)
  throw refusal(hostname)
}
