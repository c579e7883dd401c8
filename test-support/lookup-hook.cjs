// A DNS lookup hook for the action's process in tests, the bench and the soak, so that nothing ever
// reaches the machine's resolver: not even a lookup of an invented name such as *.invalid.
//
// Load it with `node --require test-support/lookup-hook.cjs`. It replaces dns.lookup and
// dns.promises.lookup (which net, tls, http and https use) with a table:
//   JAC_LOOKUP_HOOK   JSON map { "<host name>": "127.0.0.1" | "::1" | "ENOTFOUND" | "EAI_AGAIN" | "hang" }
//                     "hang" never answers and holds a ref'd timer, as a stuck getaddrinfo holds
//                     Node's thread pool: the process cannot end by itself while it waits.
//   JAC_LOOKUP_LOG    optional file: every name looked up is appended to it, one per line.
// localhost and IP literals resolve as usual; every other name fails with ENOTFOUND.
'use strict'
const dns = require('node:dns')
const fs = require('node:fs')
const net = require('node:net')

const table = JSON.parse(process.env.JAC_LOOKUP_HOOK || '{}')
const logFile = process.env.JAC_LOOKUP_LOG

function failure(code, hostname) {
  const error = new Error(`getaddrinfo ${code} ${hostname}`)
  return Object.assign(error, {
    code,
    errno: code === 'ENOTFOUND' ? -3008 : -3001,
    syscall: 'getaddrinfo',
    hostname
  })
}

function answer(hostname) {
  const name = String(hostname).toLowerCase()
  if (net.isIP(name)) return { address: name, family: net.isIP(name) }
  const entry = table[name] ?? (name === 'localhost' ? '127.0.0.1' : 'ENOTFOUND')
  if (entry === 'hang') return { hang: true }
  if (net.isIP(entry)) return { address: entry, family: net.isIP(entry) }
  return { error: failure(entry, hostname) }
}

function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options
    options = {}
  }
  const all = typeof options === 'object' && options !== null && options.all === true
  if (logFile) fs.appendFileSync(logFile, `${hostname}\n`)
  const result = answer(hostname)
  if (result.hang) {
    setInterval(() => undefined, 60_000)
    return
  }
  // A real lookup answers on a later turn of the event loop, never synchronously.
  setImmediate(() => {
    if (result.error) callback(result.error)
    else if (all) callback(null, [{ address: result.address, family: result.family }])
    else callback(null, result.address, result.family)
  })
}

dns.lookup = lookup
dns.promises.lookup = (hostname, options = {}) =>
  new Promise((resolve, reject) =>
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) reject(error)
      else resolve(options.all ? addresses : addresses[0])
    })
  )
