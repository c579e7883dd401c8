// A Jira stand-in (Data Center/Server and Cloud) on loopback HTTPS: the listener, TLS, the request log,
// the request context every route and fault works on, and the public `Standin` object.
//
// The answers follow real Jira, ugly ones included; each module says where a behaviour comes from, and
// `[guess]` marks what no public source confirmed. Layout:
//   state.mjs             users, PATs, API tokens, service accounts, failed-login counters
//   auth.mjs              Jira's authentication filter chain
//   routes-dc.mjs         Data Center endpoints, and the PAT list
//   routes-dc-tokens.mjs  PAT create and revoke     routes-dc-oauth.mjs  service-account tokens
//   routes-cloud.mjs      Cloud endpoints           faults.mjs           fault injection
//   respond.mjs           headers and reply()       bodies.mjs           JSON bodies
//   pages.mjs             HTML and XML pages        permissions.mjs      permission catalogue
//   certs.mjs             runtime PKI               proxy.mjs            CONNECT proxy
import http from 'node:http'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import { getPki, writeCaFile } from './certs.mjs'
import { activeFault, applyFault } from './faults.mjs'
import { DEFAULT_PERMISSIONS } from './permissions.mjs'
import { baseUrl, notFound } from './respond.mjs'
import { routeCloud } from './routes-cloud.mjs'
import { routeDc } from './routes-dc.mjs'
import { StandinState } from './state.mjs'

export { patDate, versionInfo } from './bodies.mjs'

/** @typedef {import('./index.d.mts').StandinSettings} StandinSettings */
/** @typedef {import('./index.d.mts').StandinOptions} StandinOptions */
/** @typedef {import('./index.d.mts').Standin} Standin */
/** @typedef {import('./index.d.mts').Endpoint} Endpoint */
/** @typedef {import('./index.d.mts').RequestLogEntry} RequestLogEntry */
/** @typedef {import('./index.d.mts').TlsMode} TlsMode */

/**
 * One running instance, as the routes and faults see it.
 * @typedef {object} Instance
 * @property {StandinSettings} settings the current settings; set() replaces the object
 * @property {StandinState} state
 * @property {'https' | 'http'} protocol
 * @property {number} port
 * @property {number} faultHits requests that received the current fault
 * @property {number} requestCounter feeds DC's X-AREQUESTID
 * @property {boolean} closed
 * @property {(ms: number) => Promise<void>} sleep a timer that close() cancels
 */

/**
 * One request, as the routes and faults see it.
 * @typedef {object} RequestContext
 * @property {Instance} jira
 * @property {http.IncomingMessage} req
 * @property {http.ServerResponse} res
 * @property {RequestLogEntry} entry its line in the request log
 * @property {URL} url
 * @property {Endpoint} endpoint
 * @property {string | null} rel the path inside the context path; null outside it
 * @property {boolean} wantsJson Accept names application/json
 * @property {string} requestBase scheme, the Host the client used, and the context path
 * @property {string | undefined} authorization the header Jira sees (a fault may strip it)
 * @property {Buffer} body the request body, read for the endpoints that take one; empty otherwise
 * @property {() => void} finish completes the log entry
 */

/** @returns {StandinSettings} */
function defaultSettings() {
  return {
    platform: 'dc',
    contextPath: '',
    version: '10.3.19',
    patsEnabled: true,
    basicAuthDisabled: false,
    captchaThreshold: 3,
    rateLimitHeaders: false,
    latencyMs: 0,
    tls: 'valid',
    permissions: { ...DEFAULT_PERMISSIONS },
    projects: ['ABC', 'OPS'],
    // pats-plugin 1.4.7 `SystemProperty` defaults: atlassian.pats.max.tokens.expiry.days,
    // atlassian.pats.max.tokens.per.user, atlassian.pats.eternal.tokens.enabled.
    patMaxExpiryDays: 365,
    patMaxTokensPerUser: 10,
    patEternalAllowed: true,
    fault: null
  }
}

/** @param {StandinSettings} settings */
function copySettings(settings) {
  return { ...settings, permissions: { ...settings.permissions }, projects: [...settings.projects] }
}

/**
 * The endpoint a path inside the context path names; `tokens` is the list, creating and revoking
 * have their own names so faults and assertions can pick them.
 * @param {string} rel
 * @param {string} method
 * @returns {Endpoint}
 */
export function classify(rel, method) {
  if (/^\/rest\/api\/[23]\/myself\/?$/.test(rel)) return 'myself'
  if (/^\/rest\/api\/[23]\/serverInfo\/?$/.test(rel)) return 'serverInfo'
  if (/^\/rest\/pat\/(latest|1\.0)\/tokens\/?$/.test(rel))
    return method === 'POST' ? 'tokens-create' : 'tokens'
  if (method === 'DELETE' && /^\/rest\/pat\/(latest|1\.0)\/tokens\/\d+\/?$/.test(rel))
    return 'tokens-revoke'
  if (/^\/rest\/api\/[23]\/mypermissions\/?$/.test(rel)) return 'mypermissions'
  if (/^\/rest\/oauth2\/latest\/token\/?$/.test(rel)) return 'oauth-token'
  return 'other'
}

/** Endpoints whose request body the stand-in reads; every other body is drained unread. */
const READS_BODY = new Set(['tokens-create', 'oauth-token'])
const BODY_LIMIT = 1024 * 1024

/**
 * The whole body (up to 1 MiB; the rest is dropped), or what arrived before the client went away.
 * @param {http.IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
function readBody(req) {
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    const done = () => resolve(Buffer.concat(chunks))
    req.on('data', (/** @type {Buffer} */ chunk) => {
      if (size + chunk.length <= BODY_LIMIT) chunks.push(chunk)
      size += chunk.length
    })
    req.once('end', done)
    req.once('error', done)
    req.once('close', done)
  })
}

/**
 * The body as the log shows it: parsed JSON or form fields when they parse, else the text.
 * @param {string | undefined} contentType
 * @param {Buffer} body
 * @returns {unknown}
 */
function describeBody(contentType, body) {
  if (body.length === 0) return undefined
  const text = body.toString('utf8')
  if (String(contentType).toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text))
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** @param {RequestContext} ctx */
async function route(ctx) {
  const fault = activeFault(ctx.jira, ctx.endpoint)
  if (fault) {
    ctx.entry.fault = fault.type
    if (await applyFault(ctx, fault)) return
  }
  if (ctx.rel === null) return notFound(ctx)
  return ctx.jira.settings.platform === 'cloud' ? routeCloud(ctx) : routeDc(ctx)
}

/**
 * @param {StandinOptions} [options]
 * @returns {Promise<Standin>}
 */
export async function startStandin(options = {}) {
  const { port: requestedPort = 0, protocol = 'https', ...settingsOptions } = options
  const pki = await getPki()
  const caPath = await writeCaFile()
  const initial = { ...defaultSettings(), ...settingsOptions }

  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()
  /** @type {RequestLogEntry[]} */
  const requests = []
  let inFlight = 0
  let maxConcurrent = 0

  /** @type {Instance} */
  const jira = {
    settings: copySettings(initial),
    state: new StandinState(),
    protocol,
    port: 0,
    faultHits: 0,
    requestCounter: 0,
    closed: false,
    sleep(ms) {
      if (!ms || ms <= 0) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve(undefined)
        }, ms)
        timers.add(timer)
      })
    }
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'https://standin.invalid')
    const path = url.pathname
    const contextPath = jira.settings.contextPath
    const inContext =
      contextPath === '' || path === contextPath || path.startsWith(`${contextPath}/`)
    const rel = inContext ? path.slice(contextPath.length) : null
    const method = req.method ?? 'GET'
    const endpoint = rel === null ? 'other' : classify(rel, method)
    /** @type {RequestLogEntry} */
    const entry = {
      method,
      path,
      endpoint,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      authorization: req.headers.authorization,
      startedAt: performance.now(),
      endedAt: undefined,
      status: undefined,
      fault: undefined
    }
    requests.push(entry)
    inFlight++
    maxConcurrent = Math.max(maxConcurrent, inFlight)
    let done = false
    // Called when the last byte is handed to the socket, or when the connection closes, whichever is
    // first, so the log is complete by the time a client has read the response.
    const finish = () => {
      if (done) return
      done = true
      inFlight--
      entry.endedAt = performance.now()
    }
    res.on('close', finish)
    /** @type {Buffer} */
    let body = Buffer.alloc(0)
    if (READS_BODY.has(endpoint)) {
      body = await readBody(req)
      entry.body = describeBody(req.headers['content-type'], body)
    } else {
      req.resume()
    }

    /** @type {RequestContext} */
    const ctx = {
      jira,
      req,
      res,
      entry,
      url,
      endpoint,
      rel,
      wantsJson: String(req.headers.accept ?? '')
        .toLowerCase()
        .includes('application/json'),
      requestBase: `${protocol}://${req.headers.host ?? `127.0.0.1:${jira.port}`}${contextPath}`,
      authorization: req.headers.authorization,
      body,
      finish
    }
    try {
      await route(ctx)
    } catch (error) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(`stand-in bug: ${error instanceof Error ? error.stack : String(error)}`)
      }
    }
  }

  /** @param {TlsMode} mode */
  function secureContextFor(mode) {
    const pair =
      mode === 'expired'
        ? pki.expiredLeaf
        : mode === 'wrong-host'
          ? pki.wrongHostLeaf
          : mode === 'untrusted'
            ? pki.untrustedLeaf
            : pki.leaf
    return { key: pair.keyPem, cert: pair.certPem }
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  const listener = (req, res) => {
    void handle(req, res)
  }
  const server =
    protocol === 'http'
      ? http.createServer(listener)
      : https.createServer({ ...secureContextFor(jira.settings.tls) }, listener)
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // Client-side TLS failures surface as tlsClientError; keep them quiet.
  server.on('tlsClientError', (_error, socket) => socket.destroy())
  server.on('clientError', (_error, socket) => socket.destroy())

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(requestedPort, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(undefined)
    })
  })
  const address = server.address()
  jira.port = typeof address === 'object' && address ? address.port : 0

  /** @param {Partial<StandinSettings>} partial */
  function set(partial) {
    const previousTls = jira.settings.tls
    if ('fault' in partial) jira.faultHits = 0
    jira.settings = { ...jira.settings, ...partial }
    if (partial.permissions) jira.settings.permissions = { ...partial.permissions }
    if (partial.projects) jira.settings.projects = [...partial.projects]
    if (jira.settings.tls !== previousTls && server instanceof https.Server) {
      server.setSecureContext(secureContextFor(jira.settings.tls))
    }
  }

  const { state } = jira
  /** @type {Standin} */
  const standin = {
    get url() {
      return baseUrl(jira)
    },
    get origin() {
      return `${protocol}://127.0.0.1:${jira.port}`
    },
    port: jira.port,
    caPath,
    caCertPem: pki.caCertPem,
    requests,
    get maxConcurrent() {
      return maxConcurrent
    },
    get inFlight() {
      return inFlight
    },
    get faultHits() {
      return jira.faultHits
    },
    get settings() {
      return copySettings(jira.settings)
    },
    set,
    reset() {
      set(copySettings(initial))
      requests.length = 0
      state.failedLogins.clear()
      jira.faultHits = 0
      maxConcurrent = inFlight
    },
    failedLoginCount(username) {
      return state.failedLogins.get(username.toLowerCase()) ?? 0
    },
    addUser: (spec) => state.addUser(spec),
    updateUser(name, partial) {
      if (!state.users.has(name)) throw new Error(`no such user ${name}`)
      return state.addUser({ ...partial, name })
    },
    mintPat: (spec) => state.mintPat(spec).raw,
    revokePat: (raw) => state.revokePat(raw),
    listPats: () => state.patRecords(),
    mintApiToken: (spec) => state.mintApiToken(spec),
    revokeApiToken: (raw) => state.revokeApiToken(raw),
    addServiceAccount: (spec) => state.addServiceAccount(spec),
    revokeClientCredentials: (clientId) => state.revokeClientCredentials(clientId),
    expireAccessTokens: (clientId) => state.expireAccessTokens(clientId),
    close() {
      if (jira.closed) return Promise.resolve()
      jira.closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      return new Promise((resolve) => {
        server.close(() => resolve(undefined))
        for (const socket of sockets) socket.destroy()
        sockets.clear()
      })
    }
  }
  return standin
}
