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
//   routes-gateway.mjs    api.atlassian.com         routes-cloud-oauth.mjs  auth.atlassian.com
//   sites.mjs             Cloud sites, host routing scopes.mjs           OAuth 2.0 scope table
//   respond.mjs           headers and reply()       bodies.mjs           JSON bodies
//   pages.mjs             HTML and XML pages        permissions.mjs      permission catalogue
//   certs.mjs             runtime PKI               proxy.mjs            CONNECT proxy
import http from 'node:http'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import { getPki, leafFor, writeCaFile } from './certs.mjs'
import { activeFault, applyFault } from './faults.mjs'
import { DEFAULT_PERMISSIONS } from './permissions.mjs'
import { baseUrl, notFound } from './respond.mjs'
import { routeCloud } from './routes-cloud.mjs'
import { routeAuth } from './routes-cloud-oauth.mjs'
import { routeDc } from './routes-dc.mjs'
import { gatewayNotFound } from './routes-gateway.mjs'
import { GATEWAY_HOST, addressedName, buildSites, cloudTarget } from './sites.mjs'
import { StandinState } from './state.mjs'

export { patDate, versionInfo } from './bodies.mjs'

/** @typedef {import('./index.d.mts').StandinSettings} StandinSettings */
/** @typedef {import('./index.d.mts').StandinOptions} StandinOptions */
/** @typedef {import('./index.d.mts').Standin} Standin */
/** @typedef {import('./index.d.mts').Endpoint} Endpoint */
/** @typedef {import('./index.d.mts').RequestLogEntry} RequestLogEntry */
/** @typedef {import('./index.d.mts').TlsMode} TlsMode */
/** @typedef {import('./index.d.mts').CloudStandin} CloudStandin */
/** @typedef {import('./index.d.mts').CloudStandinOptions} CloudStandinOptions */
/** @typedef {import('./index.d.mts').CloudSite} CloudSite */
/** @typedef {import('./index.d.mts').CloudServiceAccount} CloudServiceAccount */
/** @typedef {import('./index.d.mts').RequestVia} RequestVia */

/**
 * One running instance, as the routes and faults see it.
 * @typedef {object} Instance
 * @property {StandinSettings} settings the current settings; set() replaces the object
 * @property {StandinState} state
 * @property {'https' | 'http'} protocol
 * @property {number} port
 * @property {number} faultHits requests that received the current fault
 * @property {number} faultMatches requests that matched the current fault's paths, skipped ones included
 * @property {number} requestCounter feeds DC's X-AREQUESTID
 * @property {CloudSite[]} sites Cloud sites (a Data Center stand-in keeps the default one unused)
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
 * @property {string | null} rel the path inside the context path (on the gateway: after
 *   /ex/jira/{cloudId}); null outside it
 * @property {RequestVia} via a site host, the api.atlassian.com gateway or auth.atlassian.com
 * @property {CloudSite | undefined} site the Cloud site the request is for (none on Data Center, and
 *   none for an unknown site or cloudId)
 * @property {boolean} wantsJson Accept names application/json
 * @property {string} requestBase scheme, the Host the client used, and the context path; on the
 *   gateway https://api.atlassian.com/ex/jira/{cloudId}
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
    cloudBearer: 'unauthorized',
    oauthClientError: 'by-cause',
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
  if (/^\/_edge\/tenant_info\/?$/.test(rel)) return 'tenant-info'
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
  if (ctx.via === 'auth') return routeAuth(ctx)
  if (ctx.via === 'gateway' && (ctx.rel === null || !ctx.site)) return gatewayNotFound(ctx)
  if (ctx.rel === null) return notFound(ctx)
  if (ctx.jira.settings.platform !== 'cloud') return routeDc(ctx)
  // An Atlassian name without a site behind it [guess: the edge's real answer].
  if (!ctx.site) return notFound({ ...ctx, rel: null })
  return routeCloud(ctx)
}

/**
 * Where a request goes: on Data Center always the one instance; on Cloud the site, the gateway or
 * auth.atlassian.com its Host names, and the path inside it.
 * @param {Instance} jira
 * @param {string | undefined} name
 * @param {string} path
 * @param {string} method
 * @returns {{ via: RequestVia, site: CloudSite | undefined, rel: string | null, endpoint: Endpoint,
 *   base: string }} base: what comes before `rel` in a URL the client would use
 */
function locate(jira, name, path, method) {
  const contextPath = jira.settings.contextPath
  const inContext = (/** @type {string} */ prefix) =>
    prefix === '' || path === prefix || path.startsWith(`${prefix}/`)
  if (jira.settings.platform === 'cloud') {
    const target = cloudTarget(jira.sites, name, path)
    if (target.via === 'auth') {
      const endpoint = /^\/oauth\/token\/?$/.test(path) ? 'oauth-token' : 'other'
      return { via: 'auth', site: undefined, rel: path, endpoint, base: '' }
    }
    if (target.via === 'gateway') {
      const prefix = target.gatewayPrefix
      if (prefix === undefined)
        return { via: 'gateway', site: undefined, rel: null, endpoint: 'other', base: '' }
      const rel = path.slice(prefix.length) || '/'
      return {
        via: 'gateway',
        site: target.site,
        rel,
        endpoint: classify(rel, method),
        base: prefix
      }
    }
    const rel = inContext(contextPath) ? path.slice(contextPath.length) : null
    const endpoint = rel === null ? 'other' : classify(rel, method)
    return { via: 'site', site: target.site, rel, endpoint, base: contextPath }
  }
  const rel = inContext(contextPath) ? path.slice(contextPath.length) : null
  const endpoint = rel === null ? 'other' : classify(rel, method)
  return { via: 'site', site: undefined, rel, endpoint, base: contextPath }
}

/**
 * @overload
 * @param {CloudStandinOptions} options
 * @returns {Promise<CloudStandin>}
 */
/**
 * @overload
 * @param {StandinOptions} [options]
 * @returns {Promise<Standin>}
 */
/**
 * One object serves both platforms; on Data Center the Cloud members throw, and the overloads give
 * Data Center callers the `Standin` type.
 * @param {StandinOptions} [options]
 * @returns {Promise<CloudStandin>}
 */
export async function startStandin(options = {}) {
  const {
    port: requestedPort = 0,
    protocol = 'https',
    sites: siteOptions,
    ...settingsOptions
  } = options
  const pki = await getPki()
  const caPath = await writeCaFile()
  const initial = { ...defaultSettings(), ...settingsOptions }
  // Built on Data Center too, so a stand-in switched to Cloud by set() still has its site.
  const sites = buildSites(initial.platform === 'cloud' ? siteOptions : undefined)
  // Site hosts and custom domains outside the default leaf's names (*.atlassian.net and the rest).
  const extraNames = sites.flatMap((site) =>
    site.customDomain === undefined ? [site.host] : [site.host, site.customDomain]
  )
  const leaves = {
    valid: await leafFor(extraNames),
    expired: await leafFor(extraNames, { mode: 'expired' }),
    untrusted: await leafFor(extraNames, { mode: 'untrusted' })
  }

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
    faultMatches: 0,
    requestCounter: 0,
    sites,
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
    const method = req.method ?? 'GET'
    const sni =
      'servername' in req.socket && typeof req.socket.servername === 'string'
        ? req.socket.servername
        : undefined
    const name = addressedName(req.headers.host, sni)
    const { via, site, rel, endpoint, base } = locate(jira, name, path, method)
    /** @type {RequestLogEntry} */
    const entry = {
      method,
      path,
      endpoint,
      via,
      host: name,
      sni,
      cloudId: site?.cloudId,
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
      via,
      site,
      wantsJson: String(req.headers.accept ?? '')
        .toLowerCase()
        .includes('application/json'),
      requestBase:
        via === 'gateway'
          ? `https://${GATEWAY_HOST}${base}`
          : `${protocol}://${req.headers.host ?? `127.0.0.1:${jira.port}`}${base}`,
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
        ? leaves.expired
        : mode === 'wrong-host'
          ? pki.wrongHostLeaf
          : mode === 'untrusted'
            ? leaves.untrusted
            : leaves.valid
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
    if ('fault' in partial) {
      jira.faultHits = 0
      jira.faultMatches = 0
    }
    jira.settings = { ...jira.settings, ...partial }
    if (partial.permissions) jira.settings.permissions = { ...partial.permissions }
    if (partial.projects) jira.settings.projects = [...partial.projects]
    if (jira.settings.tls !== previousTls && server instanceof https.Server) {
      server.setSecureContext(secureContextFor(jira.settings.tls))
    }
  }

  const { state } = jira
  const cloudOnly = (/** @type {string} */ what) => {
    if (jira.settings.platform !== 'cloud') throw new Error(`${what}: not a Cloud stand-in`)
  }
  /** @param {string | undefined} host */
  const siteFor = (host) => {
    cloudOnly('site')
    if (host === undefined) return { site: sites[0], name: sites[0].host }
    const wanted = host.toLowerCase()
    const site = sites.find((s) => s.host === wanted || s.customDomain === wanted)
    if (!site) throw new Error(`no site ${host}`)
    return { site, name: wanted }
  }
  /** @param {import('./index.d.mts').CloudServiceAccountSpec} spec @returns {CloudServiceAccount} */
  const cloudServiceAccount = (spec) => {
    const user = state.addCloudServiceAccount(spec)
    const email = user.emailAddress ?? ''
    const scopes = [...(spec.scopes ?? ['read:jira-user', 'read:jira-work'])]
    const first = state.mintCloudClientCredentials({ email, scopes })
    return {
      name: user.name,
      displayName: user.displayName,
      email,
      accountId: user.accountId,
      accountType: 'app',
      appType: 'service',
      scopes,
      clientId: first.clientId,
      clientSecret: first.clientSecret,
      mintApiToken: (options = {}) =>
        state.mintApiToken({ scopes, ...options, email, scoped: true }),
      mintClientCredentials: (options = {}) =>
        state.mintCloudClientCredentials({ scopes, ...options, email })
    }
  }
  /** @type {CloudStandin} */
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
    // On DC this answers the DC ClientCredentials, which is what the Standin type promises there.
    addServiceAccount: (spec) =>
      jira.settings.platform === 'cloud'
        ? cloudServiceAccount(spec)
        : /** @type {CloudServiceAccount} */ (
            /** @type {unknown} */ (
              state.addServiceAccount(
                /** @type {import('./index.d.mts').ServiceAccountSpec} */ (spec)
              )
            )
          ),
    mintClientCredentials(spec) {
      cloudOnly('mintClientCredentials')
      return state.mintCloudClientCredentials(spec)
    },
    get sites() {
      return jira.settings.platform === 'cloud' ? sites.map((site) => ({ ...site })) : []
    },
    siteUrl: (host) => `https://${siteFor(host).name}`,
    gatewayUrl(cloudId) {
      cloudOnly('gatewayUrl')
      const id = cloudId ?? sites[0].cloudId
      return `https://${GATEWAY_HOST}/ex/jira/${id}`
    },
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
