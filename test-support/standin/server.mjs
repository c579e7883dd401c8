// A faithful Jira stand-in (Data Center/Server and Cloud) on loopback HTTPS.
// Behaviour follows /work/shared/research/jira-api.md (§3 auth, §6 PAT list, §7 serverInfo,
// §8 mypermissions, §9 rate limiting, §13 emulator spec). Choices marked [G] are emulator guesses.
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import { getPki, writeCaFile } from './certs.mjs'
import {
  jiraAuthErrorPage,
  jiraLoginPage,
  nginxErrorPage,
  statusXml,
  tomcatErrorPage
} from './pages.mjs'
import { DEFAULT_PERMISSIONS, knownPermissions, permissionEntry } from './permissions.mjs'

const DAY = 24 * 60 * 60 * 1000
const NON_EXPIRING = Date.UTC(9999, 11, 31)
const AUTH_REQUIRED = 'Client must be authenticated to access this resource.'
const JSON_TYPE = 'application/json;charset=UTF-8'
const HTML_TYPE = 'text/html;charset=UTF-8'

/** @returns {import('./index.d.mts').StandinSettings} */
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
    fault: null
  }
}

/** Jira date format of the PAT REST API: yyyy-MM-dd'T'HH:mm:ss.SSS+00:00, always UTC (§6). */
export function patDate(/** @type {number} */ ms) {
  if (ms >= NON_EXPIRING) return '9999-12-31T00:00:00.000+00:00'
  return new Date(ms).toISOString().replace('Z', '+00:00')
}

/** Jira serverInfo date format: yyyy-MM-dd'T'HH:mm:ss.SSS+0000 */
function serverDate(/** @type {number} */ ms) {
  return new Date(ms).toISOString().replace('Z', '+0000')
}

/**
 * Build numbers as observed: 8.5.3 → 805003, 9.12.12 → 9120012, 10.3.19 → 10030019 (§7).
 * @param {string} version
 */
export function versionInfo(version) {
  const numbers = version.split('.').map((part) => Number.parseInt(part, 10) || 0)
  while (numbers.length < 3) numbers.push(0)
  const [major, minor, patch] = numbers
  const buildNumber =
    major >= 9 ? major * 1_000_000 + minor * 10_000 + patch : major * 100_000 + minor * 1000 + patch
  return { versionNumbers: numbers.slice(0, 3), buildNumber }
}

/** PATs exist from Jira 8.14 on (§3.1, [DOC] "8.14 and later"). */
function supportsPats(/** @type {string} */ version) {
  const [major, minor] = versionInfo(version).versionNumbers
  return major > 8 || (major === 8 && minor >= 14)
}

function randomDigits(/** @type {number} */ n) {
  let out = ''
  for (let i = 0; i < n; i++) out += String(randomInt(10))
  return out
}

/** @param {string} path */
function classify(path) {
  if (/^\/rest\/api\/[23]\/myself\/?$/.test(path)) return 'myself'
  if (/^\/rest\/api\/[23]\/serverInfo\/?$/.test(path)) return 'serverInfo'
  if (/^\/rest\/pat\/(latest|1\.0)\/tokens\/?$/.test(path)) return 'tokens'
  if (/^\/rest\/api\/[23]\/mypermissions\/?$/.test(path)) return 'mypermissions'
  return 'other'
}

/**
 * @param {import('./index.d.mts').StandinOptions} [options]
 * @returns {Promise<import('./index.d.mts').Standin>}
 */
export async function startStandin(options = {}) {
  const { port: requestedPort = 0, protocol = 'https', ...settingsOptions } = options
  const pki = await getPki()
  const caPath = await writeCaFile()
  const initial = { ...defaultSettings(), ...settingsOptions }

  /** @type {import('./index.d.mts').StandinSettings} */
  let cfg = { ...initial, permissions: { ...initial.permissions }, projects: [...initial.projects] }
  /** @type {Map<string, any>} */
  const users = new Map()
  /** @type {any[]} */
  const pats = []
  /** @type {Map<string, { email: string, createdAt: number, expiringAt: number, revoked: boolean }>} */
  const apiTokens = new Map()
  /** @type {Map<string, number>} */
  const failedLogins = new Map()
  /** @type {import('./index.d.mts').RequestLogEntry[]} */
  const requests = []
  let nextPatId = 58
  let nextUserNumber = 10101
  let faultHits = 0
  let inFlight = 0
  let maxConcurrent = 0
  let requestCounter = 0
  let closed = false
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()

  function addDefaultUsers() {
    users.set('ci-bot', {
      name: 'ci-bot',
      key: 'JIRAUSER10100',
      emailAddress: 'ci-bot@example.com',
      displayName: 'CI Bot',
      password: 'correct-horse-battery',
      active: true,
      timeZone: 'Europe/Berlin',
      locale: 'en_US',
      accountId: '5b10a2844c20165700ede21g',
      groups: ['jira-software-users', 'jira-users'],
      applicationRoles: ['jira-software'],
      avatarId: 10336,
      // Cloud renders the §13 row 2 / S5 example user.
      cloud: { displayName: 'Mia Krystof', timeZone: 'Australia/Sydney', locale: 'en_US' }
    })
  }
  addDefaultUsers()

  // ---------------------------------------------------------------- helpers

  function sleep(/** @type {number} */ ms) {
    if (!ms || ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve(undefined)
      }, ms)
      timers.add(timer)
    })
  }

  function origin() {
    return `${protocol}://127.0.0.1:${port}`
  }
  function configuredBase() {
    return origin() + cfg.contextPath
  }
  function realm() {
    return `OAuth realm="${encodeURIComponent(configuredBase())}"`
  }

  /** @returns {Record<string, string>} */
  function commonHeaders() {
    requestCounter++
    if (cfg.platform === 'cloud') {
      const id = randomUUID().replace(/-/g, '')
      return {
        Server: 'AtlassianEdge',
        'X-Arequestid': id.slice(0, 32),
        'ATL-TraceId': randomBytes(16).toString('hex'),
        'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
        'X-Content-Type-Options': 'nosniff',
        'X-XSS-Protection': '1; mode=block',
        'Timing-Allow-Origin': '*',
        'Cache-Control': 'no-cache, no-store, no-transform'
      }
    }
    const minuteOfDay = Math.floor((Date.now() % DAY) / 60000)
    return {
      'X-AREQUESTID': `${minuteOfDay}x${1000 + requestCounter}x1`,
      'X-ASESSIONID': randomBytes(4).toString('hex').slice(0, 7),
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'X-XSS-Protection': '1; mode=block',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'Content-Security-Policy': "frame-ancestors 'self'",
      'Strict-Transport-Security': 'max-age=31536000',
      'Cache-Control': 'no-cache, no-store, no-transform'
    }
  }

  function rateLimitHeaders(remaining = 69, retryAfter = 0) {
    return {
      'X-RateLimit-Limit': '70',
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-FillRate': '5',
      'X-RateLimit-Interval-Seconds': '1',
      'Retry-After': String(retryAfter)
    }
  }

  function findUserByName(/** @type {string} */ name) {
    const lower = name.toLowerCase()
    for (const user of users.values()) if (user.name.toLowerCase() === lower) return user
    return undefined
  }
  function findUserByEmail(/** @type {string} */ email) {
    const lower = email.toLowerCase()
    for (const user of users.values())
      if ((user.emailAddress ?? '').toLowerCase() === lower) return user
    return undefined
  }

  // ------------------------------------------------------------ rendering

  function dcUserBody(
    /** @type {any} */ user,
    /** @type {string} */ base,
    /** @type {URLSearchParams} */ query
  ) {
    const expand = (query.get('expand') ?? '').split(',').map((s) => s.trim())
    const avatar = (/** @type {string} */ size) =>
      `${base}/secure/useravatar?${size ? `size=${size}&` : ''}avatarId=${user.avatarId ?? 10122}`
    /** @type {Record<string, unknown>} */
    const body = {
      self: `${base}/rest/api/2/user?username=${encodeURIComponent(user.name)}`,
      key: user.key,
      name: user.name
    }
    if (user.emailAddress !== null && user.emailAddress !== undefined)
      body.emailAddress = user.emailAddress
    Object.assign(body, {
      avatarUrls: {
        '48x48': avatar(''),
        '24x24': avatar('small'),
        '16x16': avatar('xsmall'),
        '32x32': avatar('medium')
      },
      displayName: user.displayName,
      active: user.active,
      deleted: false,
      timeZone: user.timeZone,
      locale: user.locale,
      groups: {
        size: user.groups.length,
        items: expand.includes('groups')
          ? user.groups.map((/** @type {string} */ g) => ({
              name: g,
              self: `${base}/rest/api/2/group?groupname=${encodeURIComponent(g)}`
            }))
          : []
      },
      applicationRoles: {
        size: user.applicationRoles.length,
        items: expand.includes('applicationRoles')
          ? user.applicationRoles.map((/** @type {string} */ r) => ({
              key: r,
              name: 'Jira Software'
            }))
          : []
      },
      expand: 'groups,applicationRoles'
    })
    return body
  }

  function cloudUserBody(
    /** @type {any} */ user,
    /** @type {string} */ base,
    /** @type {string} */ apiVersion
  ) {
    const profile = {
      displayName: user.displayName,
      timeZone: user.timeZone,
      locale: user.locale,
      ...(user.cloud ?? {})
    }
    const initials = String(profile.displayName)
      .split(/\s+/)
      .map((w) => w[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase()
    const avatar = (/** @type {number} */ size) =>
      `https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/${initials}-5.png?size=${size}&s=${size}`
    /** @type {Record<string, unknown>} */
    const body = {
      self: `${base}/rest/api/${apiVersion}/user?accountId=${user.accountId}`,
      accountId: user.accountId,
      accountType: 'atlassian',
      key: '',
      name: ''
    }
    if (user.emailAddress !== null && user.emailAddress !== undefined)
      body.emailAddress = user.emailAddress
    Object.assign(body, {
      avatarUrls: {
        '48x48': avatar(48),
        '24x24': avatar(24),
        '16x16': avatar(16),
        '32x32': avatar(32)
      },
      displayName: profile.displayName,
      active: user.active,
      timeZone: profile.timeZone,
      locale: profile.locale,
      groups: { size: user.groups.length, items: [] },
      applicationRoles: { size: user.applicationRoles.length, items: [] },
      expand: 'groups,applicationRoles'
    })
    return body
  }

  function serverInfoBody() {
    if (cfg.platform === 'cloud') {
      return {
        baseUrl: configuredBase(),
        version: '1001.0.0-SNAPSHOT',
        versionNumbers: [1001, 0, 0],
        deploymentType: 'Cloud',
        buildNumber: 100204,
        buildDate: '2022-08-12T12:59:12.000+0200',
        serverTime: serverDate(Date.now()),
        scmInfo: '948b370c557f4bbf768b92203f3aca5d86ee9758',
        serverTitle: 'Jira',
        defaultLocale: { locale: 'en_US' }
      }
    }
    const { versionNumbers, buildNumber } = versionInfo(cfg.version)
    return {
      baseUrl: configuredBase(),
      version: cfg.version,
      versionNumbers,
      deploymentType: 'Server',
      buildNumber,
      buildDate: '2026-04-03T00:00:00.000+0000',
      databaseBuildNumber: buildNumber,
      serverTime: serverDate(Date.now()),
      scmInfo: '95508b3a08ac0f09fbef8676c203b44bdc6e1a12',
      serverTitle: 'Jira Stand-in'
    }
  }

  function patJson(/** @type {any} */ pat) {
    /** @type {Record<string, unknown>} */
    const out = { id: pat.id, name: pat.name, createdAt: patDate(pat.createdAt) }
    if (pat.lastAccessedAt !== null && pat.lastAccessedAt !== undefined)
      out.lastAccessedAt = patDate(pat.lastAccessedAt)
    out.expiringAt = patDate(pat.expiringAt)
    return out
  }

  // ----------------------------------------------------------------- auth

  /**
   * Decide who the request is, exactly as Jira's filter chain would (§3.1, §3.3, §4, §5).
   * @param {string | undefined} header
   */
  function authenticate(header) {
    if (header === undefined) return { kind: 'anonymous' }
    const trimmed = header.trim()
    if (cfg.platform === 'cloud') {
      if (/^bearer(\s|$)/i.test(trimmed)) return { kind: 'cloud-bearer' }
      const basic = parseBasic(trimmed)
      if (!basic) return { kind: 'anonymous' }
      const token = apiTokens.get(basic.password)
      const user = findUserByEmail(basic.username)
      if (
        token &&
        user &&
        user.active &&
        !token.revoked &&
        token.expiringAt > Date.now() &&
        token.email.toLowerCase() === basic.username.toLowerCase()
      ) {
        return { kind: 'user', via: 'basic', user }
      }
      return { kind: 'cloud-failed' }
    }

    // Data Center. The "disable basic auth" filter of the authentication plugin runs first (§5).
    if (cfg.basicAuthDisabled && /^basic/i.test(trimmed)) return { kind: 'basic-disabled' }

    // TokenBasedAuthenticationFilter: any failure falls through silently (§3.1).
    if (cfg.patsEnabled && supportsPats(cfg.version) && trimmed.startsWith('Bearer')) {
      const parts = header.split(' ').filter((part) => part !== '')
      if (parts.length === 2) {
        const pat = lookupPat(parts[1])
        if (pat) return { kind: 'user', via: 'pat', user: users.get(pat.user), pat }
      }
    }

    // Seraph Basic authentication.
    const basic = parseBasic(trimmed)
    if (basic) {
      const username = basic.username
      const counterKey = username.toLowerCase()
      const failures = failedLogins.get(counterKey) ?? 0
      const threshold = cfg.captchaThreshold
      if (threshold !== null && threshold > 0 && failures >= threshold) {
        failedLogins.set(counterKey, failures + 1)
        return { kind: 'captcha' }
      }
      const user = findUserByName(username)
      if (user && user.active && user.password !== undefined && user.password === basic.password) {
        failedLogins.delete(counterKey)
        return { kind: 'user', via: 'basic', user }
      }
      failedLogins.set(counterKey, failures + 1)
      return { kind: 'basic-failed' }
    }
    return { kind: 'anonymous' }
  }

  /** @param {string} trimmed */
  function parseBasic(trimmed) {
    const match = /^basic\s+(\S+)$/i.exec(trimmed)
    if (!match) return undefined
    const decoded = Buffer.from(match[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return { username: decoded, password: '' }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }

  /** @param {string} token */
  function lookupPat(token) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined
    const decoded = Buffer.from(token, 'base64')
    if (decoded.length !== 33 || decoded[12] !== 0x3a) return undefined
    const tokenId = decoded.subarray(0, 12).toString('latin1')
    const secret = decoded.subarray(13)
    const now = Date.now()
    const pat = pats.find((p) => p.tokenId === tokenId && !p.revoked && p.expiringAt > now)
    if (!pat) return undefined
    if (!timingSafeEqual(secret, pat.secret)) return undefined
    const user = users.get(pat.user)
    if (!user || !user.active) return undefined
    return pat
  }

  // ------------------------------------------------------------- handling

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'https://standin.invalid')
    const path = url.pathname
    const ctx = cfg.contextPath
    const inContext = ctx === '' || path === ctx || path.startsWith(`${ctx}/`)
    const rel = inContext ? path.slice(ctx.length) : null
    const endpoint = rel === null ? 'other' : classify(rel)
    /** @type {import('./index.d.mts').RequestLogEntry} */
    const entry = {
      method: req.method ?? 'GET',
      path,
      endpoint: /** @type {any} */ (endpoint),
      query: Object.fromEntries(url.searchParams),
      headers: /** @type {Record<string, string | string[] | undefined>} */ ({ ...req.headers }),
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
    // Called when the last byte is handed to the socket, or when the connection closes, whichever is first,
    // so the log is complete by the time a client has read the response.
    const finish = () => {
      if (done) return
      done = true
      inFlight--
      entry.endedAt = performance.now()
    }
    res.on('close', finish)
    req.resume()

    const accept = String(req.headers.accept ?? '').toLowerCase()
    const r = {
      req,
      res,
      entry,
      url,
      endpoint,
      rel,
      wantsJson: accept.includes('application/json'),
      requestBase: `${protocol}://${req.headers.host ?? `127.0.0.1:${port}`}${ctx}`,
      authorization: req.headers.authorization,
      finish
    }
    try {
      await route(r)
    } catch (error) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(`stand-in bug: ${error instanceof Error ? error.stack : String(error)}`)
      }
    }
  }

  /**
   * @param {any} r
   * @param {number} status
   * @param {Record<string, string | string[] | undefined>} headers
   * @param {string | Buffer} [body]
   */
  async function reply(r, status, headers, body = '') {
    await sleep(cfg.latencyMs)
    if (r.res.destroyed || r.res.headersSent) return
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined))
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
    clean['Content-Length'] = String(payload.length)
    r.entry.status = status
    r.res.writeHead(status, clean)
    r.res.end(r.req.method === 'HEAD' ? undefined : payload)
    r.finish()
  }

  function json(/** @type {unknown} */ value) {
    return JSON.stringify(value)
  }

  /** @param {any} r */
  function notFound(r) {
    return reply(
      r,
      404,
      {
        ...(r.rel === null ? {} : commonHeaders()),
        'Content-Type': 'text/html;charset=utf-8',
        'Content-Language': 'en'
      },
      tomcatErrorPage(404)
    )
  }

  /** @param {any} r */
  async function route(r) {
    const fault = activeFault(r.endpoint)
    if (fault) {
      r.entry.fault = fault.type
      const handled = await applyFault(r, fault)
      if (handled) return
    }
    if (r.rel === null) return notFound(r)
    return cfg.platform === 'cloud' ? routeCloud(r) : routeDc(r)
  }

  /** @param {string} endpoint */
  function activeFault(endpoint) {
    const fault = cfg.fault
    if (!fault) return undefined
    const paths = fault.paths ?? ['myself']
    if (!paths.includes('any') && !paths.includes(/** @type {any} */ (endpoint))) return undefined
    if (faultHits >= (fault.times ?? Infinity)) return undefined
    faultHits++
    return fault
  }

  /**
   * @param {any} r
   * @param {import('./index.d.mts').Fault} fault
   * @returns {Promise<boolean>} true when the fault produced the whole response
   */
  async function applyFault(r, fault) {
    const f = /** @type {any} */ (fault)
    switch (fault.type) {
      case 'status':
        await replyStatusFault(r, f)
        return true
      case 'slow-headers':
        await sleep(f.ms ?? 5000)
        return false
      case 'strip-authorization':
        r.authorization = undefined
        return false
      case 'stall-body':
      case 'reset-mid-body': {
        await sleep(cfg.latencyMs)
        if (r.res.destroyed) return true
        const full = Buffer.from(
          json(dcUserBody(users.get('ci-bot'), r.requestBase, new URLSearchParams())),
          'utf8'
        )
        r.entry.status = 200
        r.res.writeHead(200, {
          ...commonHeaders(),
          'Content-Type': JSON_TYPE,
          'Content-Length': String(full.length),
          'X-AUSERNAME': 'ci-bot'
        })
        r.res.write(full.subarray(0, Math.floor(full.length / 2)))
        if (fault.type === 'reset-mid-body') {
          await sleep(20)
          const socket = r.req.socket
          try {
            // A TCP RST where the platform allows it; otherwise a plain destroy.
            const raw = /** @type {any} */ (socket)._parent ?? socket
            if (typeof raw.resetAndDestroy === 'function') raw.resetAndDestroy()
            else socket.destroy()
          } catch {
            socket.destroy()
          }
          socket.destroy()
        }
        // stall-body: never finish; close() destroys the socket.
        return true
      }
      case 'huge-body':
        await streamHugeBody(r, f.bytes ?? 50 * 1024 * 1024, f.chunked === true)
        return true
      case 'malformed-json':
        await reply(
          r,
          200,
          { ...commonHeaders(), 'Content-Type': JSON_TYPE, 'X-AUSERNAME': 'ci-bot' },
          '{"name":"ci-bot",'
        )
        return true
      case 'empty-200':
        await reply(
          r,
          200,
          { ...commonHeaders(), 'Content-Type': JSON_TYPE, 'X-AUSERNAME': 'ci-bot' },
          ''
        )
        return true
      case 'redirect':
        await reply(r, f.status ?? 302, { ...commonHeaders(), Location: f.location }, '')
        return true
      case 'sso-redirect': {
        const relay = encodeURIComponent(`${r.requestBase}${r.rel ?? ''}${r.url.search}`)
        await reply(
          r,
          f.status ?? 302,
          {
            Location: `https://idp.example.com/saml?RelayState=${relay}`,
            'Content-Type': 'text/html'
          },
          ''
        )
        return true
      }
      case 'html-login': {
        const { buildNumber } = versionInfo(cfg.version)
        const page = jiraLoginPage({
          version: cfg.version,
          buildNumber,
          contextPath: cfg.contextPath
        })
        await reply(
          r,
          200,
          { ...commonHeaders(), 'Content-Type': HTML_TYPE, 'X-AUSERNAME': 'anonymous' },
          page
        )
        return true
      }
      default:
        throw new Error(`unknown fault type ${String(/** @type {any} */ (fault).type)}`)
    }
  }

  /** @param {any} r @param {any} f */
  async function replyStatusFault(r, f) {
    const status = f.status ?? 503
    /** @type {Record<string, string>} */
    let headers
    /** @type {string} */
    let body
    const cloud = cfg.platform === 'cloud'
    if (status === 429 && cloud) {
      headers = {
        ...commonHeaders(),
        'Content-Type': JSON_TYPE,
        'Retry-After': String(f.retryAfter ?? 30),
        'X-RateLimit-Limit': '100',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': new Date(Date.now() + 60_000).toISOString().slice(0, 16) + 'Z',
        'RateLimit-Reason': 'jira-burst-based'
      }
      body = json({
        errorMessages: ['The request has been rate-limited. Please try again later.'],
        errors: {},
        status: 429
      })
    } else if (status === 429) {
      headers = { ...commonHeaders(), ...rateLimitHeaders(0, Number(f.retryAfter ?? 1)) }
      headers['Retry-After'] = String(f.retryAfter ?? 1)
      if (r.wantsJson) {
        headers['Content-Type'] = JSON_TYPE
        body = json({ message: 'Rate limit exceeded.' })
      } else {
        headers['Content-Type'] = 'text/html;charset=utf-8'
        body = tomcatErrorPage(429, 'Rate limit exceeded.')
      }
    } else if (status === 500) {
      headers = { ...commonHeaders(), 'Content-Type': JSON_TYPE }
      body = json({ errorMessages: ['Internal server error'], errors: {} })
    } else if (status === 502 || status === 504) {
      headers = { Server: 'nginx', 'Content-Type': 'text/html' }
      body = nginxErrorPage(status)
    } else {
      headers = { 'Content-Type': 'text/html;charset=utf-8', 'Content-Language': 'en' }
      body = tomcatErrorPage(status)
    }
    if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter)
    if (f.body !== undefined) body = f.body
    await reply(r, status, { ...headers, ...(f.headers ?? {}) }, body)
  }

  /** @param {any} r @param {number} bytes @param {boolean} chunked */
  async function streamHugeBody(r, bytes, chunked) {
    await sleep(cfg.latencyMs)
    const { res } = r
    if (res.destroyed) return
    const head = Buffer.from('{"name":"ci-bot","padding":"')
    const tail = Buffer.from('"}')
    const chunk = Buffer.alloc(64 * 1024, 'x')
    r.entry.status = 200
    res.writeHead(200, {
      ...commonHeaders(),
      'Content-Type': JSON_TYPE,
      'X-AUSERNAME': 'ci-bot',
      ...(chunked ? {} : { 'Content-Length': String(Math.max(bytes, head.length + tail.length)) })
    })
    let remaining = Math.max(0, bytes - head.length - tail.length)
    res.write(head)
    while (remaining > 0 && !res.destroyed && !closed) {
      const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining)
      remaining -= piece.length
      if (!res.write(piece)) {
        await new Promise((resolve) => {
          const done = () => {
            res.off('drain', done)
            res.off('close', done)
            resolve(undefined)
          }
          res.on('drain', done)
          res.on('close', done)
        })
      }
    }
    if (!res.destroyed && !closed) {
      res.end(tail)
      r.finish()
    }
  }

  /** DC 401 for an anonymous request to a resource that needs login (§3.2, §13 rows 3/4/4c). */
  function anonymous401(/** @type {any} */ r) {
    const headers = { ...commonHeaders(), 'X-AUSERNAME': 'anonymous', 'WWW-Authenticate': realm() }
    if (r.wantsJson) {
      return reply(
        r,
        401,
        { ...headers, 'Content-Type': JSON_TYPE },
        json({ message: AUTH_REQUIRED, 'status-code': 401 })
      )
    }
    return reply(
      r,
      401,
      { ...headers, 'Content-Type': 'application/xml' },
      statusXml(401, AUTH_REQUIRED)
    )
  }

  function methodNotAllowed(/** @type {any} */ r) {
    return reply(
      r,
      405,
      { ...commonHeaders(), Allow: 'GET,HEAD,OPTIONS', 'Content-Type': 'text/html;charset=utf-8' },
      tomcatErrorPage(405)
    )
  }

  /** @param {any} r */
  async function routeDc(r) {
    const auth = /** @type {any} */ (authenticate(r.authorization))
    if (auth.kind === 'basic-disabled') {
      // DisableBasicAuthResponseWriter: JSON if the client asked for it, text otherwise (§5).
      const message = 'Basic Authentication has been disabled on this instance.'
      return r.wantsJson
        ? reply(r, 403, { ...commonHeaders(), 'Content-Type': JSON_TYPE }, json({ message }))
        : reply(r, 403, { ...commonHeaders(), 'Content-Type': 'text/plain;charset=UTF-8' }, message)
    }
    if (auth.kind === 'captcha') {
      const cookiePath = cfg.contextPath || '/'
      return reply(
        r,
        403,
        {
          ...commonHeaders(),
          'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
          'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${r.requestBase}/login.jsp`,
          'Content-Type': HTML_TYPE,
          'Set-Cookie': `JSESSIONID=${randomBytes(16).toString('hex').toUpperCase()}; Path=${cookiePath}; Secure; HttpOnly`,
          'WWW-Authenticate': realm()
        },
        jiraAuthErrorPage(403, 'AUTHENTICATION_DENIED', cfg.contextPath)
      )
    }
    if (auth.kind === 'basic-failed') {
      return reply(
        r,
        401,
        {
          ...commonHeaders(),
          'Content-Type': HTML_TYPE,
          'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED',
          'WWW-Authenticate': realm()
        },
        jiraAuthErrorPage(401, 'AUTHENTICATED_FAILED', cfg.contextPath)
      )
    }
    const user = auth.kind === 'user' ? auth.user : undefined
    if (auth.pat) auth.pat.lastAccessedAt = Date.now()
    const who = user
      ? { 'X-AUSERNAME': encodeURIComponent(user.name) }
      : { 'X-AUSERNAME': 'anonymous' }
    const okHeaders = () => ({
      ...commonHeaders(),
      ...who,
      ...(auth.via === 'basic' ? { 'X-Seraph-LoginReason': 'OK' } : {}),
      ...(user && cfg.rateLimitHeaders ? rateLimitHeaders() : {}),
      'Content-Type': JSON_TYPE
    })
    const isGet = r.req.method === 'GET' || r.req.method === 'HEAD'

    switch (r.endpoint) {
      case 'myself':
        if (r.rel.startsWith('/rest/api/3/')) return notFound(r)
        if (!isGet) return methodNotAllowed(r)
        if (!user) return anonymous401(r)
        return reply(r, 200, okHeaders(), json(dcUserBody(user, r.requestBase, r.url.searchParams)))
      case 'serverInfo': {
        if (r.rel.startsWith('/rest/api/3/')) return notFound(r)
        if (!isGet) return methodNotAllowed(r)
        const headers = { ...commonHeaders(), ...who, 'Content-Type': JSON_TYPE }
        return reply(r, 200, headers, json(serverInfoBody()))
      }
      case 'tokens': {
        if (!supportsPats(cfg.version)) return notFound(r)
        if (!isGet) return methodNotAllowed(r)
        if (!user) return anonymous401(r)
        const list = pats
          .filter((p) => p.user === user.name && !p.revoked && p.expiringAt + 30 * DAY > Date.now())
          .sort((a, b) => a.id - b.id)
          .map(patJson)
        return reply(r, 200, okHeaders(), json(list))
      }
      case 'mypermissions': {
        if (r.rel.startsWith('/rest/api/3/')) return notFound(r)
        if (!isGet) return methodNotAllowed(r)
        const missing = projectProblem(r.url.searchParams)
        if (missing) return reply(r, 404, okHeaders(), json(missing))
        /** @type {Record<string, unknown>} */
        const permissions = {}
        for (const def of knownPermissions(cfg.permissions, true))
          permissions[def.key] = permissionEntry(def, cfg.permissions, Boolean(user))
        return reply(r, 200, okHeaders(), json({ permissions }))
      }
      default:
        return notFound(r)
    }
  }

  /** @param {URLSearchParams} query */
  function projectProblem(query) {
    const projectKey = query.get('projectKey')
    if (projectKey !== null && !cfg.projects.includes(projectKey.toUpperCase())) {
      return { errorMessages: [`No project could be found with key '${projectKey}'.`], errors: {} }
    }
    const issueKey = query.get('issueKey')
    if (issueKey !== null && !cfg.projects.includes(issueKey.split('-')[0].toUpperCase())) {
      return { errorMessages: ['Issue Does Not Exist'], errors: {} } // [G]
    }
    return undefined
  }

  /** @param {any} r */
  async function routeCloud(r) {
    const auth = /** @type {any} */ (authenticate(r.authorization))
    const cloud401 = () =>
      reply(
        r,
        401,
        {
          ...commonHeaders(),
          'Content-Type': HTML_TYPE,
          ...(r.authorization !== undefined
            ? { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' }
            : {}),
          'WWW-Authenticate': realm()
        },
        AUTH_REQUIRED
      )
    // Cloud never accepts an API token as Bearer, whatever the path (§3.4, pycontribs#1897).
    if (auth.kind === 'cloud-bearer') return cloud401()
    const user = auth.kind === 'user' ? auth.user : undefined
    const failedHeaders =
      auth.kind === 'cloud-failed'
        ? {
            'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED',
            'Set-Cookie': `atlassian.xsrf.token=${randomBytes(20).toString('hex')}_lout; Path=/; SameSite=None; Secure`
          }
        : {}
    const okHeaders = () => ({
      ...commonHeaders(),
      ...(user ? { 'X-AAccountId': user.accountId } : failedHeaders),
      'Content-Type': JSON_TYPE
    })
    const isGet = r.req.method === 'GET' || r.req.method === 'HEAD'
    const apiVersion = r.rel.startsWith('/rest/api/3/') ? '3' : '2'

    switch (r.endpoint) {
      case 'myself':
        if (!isGet) return methodNotAllowed(r)
        if (!user) return cloud401()
        return reply(r, 200, okHeaders(), json(cloudUserBody(user, r.requestBase, apiVersion)))
      case 'serverInfo':
        if (!isGet) return methodNotAllowed(r)
        return reply(r, 200, okHeaders(), json(serverInfoBody()))
      case 'mypermissions': {
        if (!isGet) return methodNotAllowed(r)
        const requested = (r.url.searchParams.get('permissions') ?? '')
          .split(',')
          .map((/** @type {string} */ s) => s.trim())
          .filter(Boolean)
        if (requested.length === 0) {
          return reply(
            r,
            400,
            okHeaders(),
            json({ errorMessages: ["The 'permissions' query parameter is required."], errors: {} })
          )
        }
        const known = knownPermissions(cfg.permissions, false)
        const unknown = requested.filter(
          (/** @type {string} */ key) => !known.some((def) => def.key === key)
        )
        if (unknown.length > 0) {
          // [GUESS] exact wording of Cloud's invalid-key 400 is unverified.
          return reply(
            r,
            400,
            okHeaders(),
            json({
              errorMessages: [`Invalid permission key(s): ${unknown.join(', ')}`],
              errors: {}
            })
          )
        }
        const missing = projectProblem(r.url.searchParams)
        if (missing) return reply(r, 404, okHeaders(), json(missing))
        /** @type {Record<string, unknown>} */
        const permissions = {}
        for (const key of requested) {
          const def = /** @type {any} */ (known.find((d) => d.key === key))
          permissions[key] = permissionEntry(def, cfg.permissions, Boolean(user))
        }
        return reply(r, 200, okHeaders(), json({ permissions }))
      }
      default:
        return notFound(r)
    }
  }

  // --------------------------------------------------------------- server

  function secureContextFor(/** @type {string} */ mode) {
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

  const listener = (
    /** @type {http.IncomingMessage} */ req,
    /** @type {http.ServerResponse} */ res
  ) => {
    void handle(req, res)
  }
  const server =
    protocol === 'http'
      ? http.createServer(listener)
      : https.createServer({ ...secureContextFor(cfg.tls) }, listener)
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
  const port = typeof address === 'object' && address ? address.port : 0

  /** @param {Partial<import('./index.d.mts').StandinSettings>} partial */
  function set(partial) {
    const previousTls = cfg.tls
    if ('fault' in partial) faultHits = 0
    cfg = { ...cfg, ...partial }
    if (partial.permissions) cfg.permissions = { ...partial.permissions }
    if (partial.projects) cfg.projects = [...partial.projects]
    if (cfg.tls !== previousTls && protocol === 'https') {
      ;/** @type {https.Server} */ (server).setSecureContext(secureContextFor(cfg.tls))
    }
  }

  /** @type {import('./index.d.mts').Standin} */
  const standin = {
    get url() {
      return configuredBase()
    },
    get origin() {
      return origin()
    },
    port,
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
      return faultHits
    },
    get settings() {
      return { ...cfg, permissions: { ...cfg.permissions }, projects: [...cfg.projects] }
    },
    set,
    reset() {
      set({ ...initial, permissions: { ...initial.permissions }, projects: [...initial.projects] })
      requests.length = 0
      failedLogins.clear()
      faultHits = 0
      maxConcurrent = inFlight
    },
    failedLoginCount(username) {
      return failedLogins.get(username.toLowerCase()) ?? 0
    },
    addUser(spec) {
      const name = spec.name
      const existing = users.get(name)
      const user = {
        ...(existing ?? {
          key: `JIRAUSER${nextUserNumber++}`,
          emailAddress: `${name}@example.com`,
          displayName: name,
          active: true,
          timeZone: 'Europe/Berlin',
          locale: 'en_US',
          accountId: `5b10a2844c2016570${randomBytes(4).toString('hex')}`,
          groups: ['jira-software-users'],
          applicationRoles: ['jira-software'],
          avatarId: 10122
        }),
        ...Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)),
        name
      }
      if (spec.email !== undefined) user.emailAddress = spec.email
      delete user.email
      if (
        spec.displayName !== undefined ||
        spec.timeZone !== undefined ||
        spec.locale !== undefined
      ) {
        user.cloud = undefined
      }
      users.set(name, user)
      return {
        name: user.name,
        key: user.key,
        emailAddress: user.emailAddress,
        accountId: user.accountId,
        displayName: user.displayName,
        active: user.active
      }
    },
    updateUser(name, partial) {
      if (!users.has(name)) throw new Error(`no such user ${name}`)
      return standin.addUser({ ...partial, name })
    },
    mintPat(spec = {}) {
      const {
        name = 'ci-token',
        user = 'ci-bot',
        expiresInDays = 60,
        revoked = false,
        lastAccessedAt = null
      } = spec
      if (!users.has(user)) throw new Error(`no such user ${user}`)
      const now = Date.now()
      const expiringAt = expiresInDays === null ? NON_EXPIRING : now + expiresInDays * DAY
      const createdAt =
        spec.createdAt instanceof Date
          ? spec.createdAt.getTime()
          : expiringAt <= now
            ? expiringAt - 90 * DAY
            : now
      const tokenId = randomDigits(12)
      const secret = randomBytes(20)
      const raw = Buffer.concat([
        Buffer.from(tokenId, 'latin1'),
        Buffer.from(':'),
        secret
      ]).toString('base64')
      pats.push({
        id: nextPatId++,
        tokenId,
        secret,
        raw,
        name,
        user,
        createdAt,
        expiringAt,
        revoked,
        lastAccessedAt: lastAccessedAt instanceof Date ? lastAccessedAt.getTime() : null
      })
      return raw
    },
    revokePat(raw) {
      const pat = pats.find((p) => p.raw === raw)
      if (!pat) throw new Error('unknown PAT')
      pat.revoked = true
    },
    listPats() {
      return pats.map((p) => ({
        id: p.id,
        name: p.name,
        user: p.user,
        raw: p.raw,
        createdAt: new Date(p.createdAt),
        expiringAt: p.expiringAt >= NON_EXPIRING ? null : new Date(p.expiringAt),
        lastAccessedAt: p.lastAccessedAt === null ? null : new Date(p.lastAccessedAt),
        revoked: p.revoked,
        json: /** @type {any} */ (patJson(p))
      }))
    },
    mintApiToken(spec = {}) {
      const { email = 'ci-bot@example.com', expiresInDays = 365, revoked = false } = spec
      const raw = `ATATT3xFfGF0${randomBytes(135).toString('base64url')}`
      const now = Date.now()
      apiTokens.set(raw, {
        email,
        createdAt: now,
        expiringAt: expiresInDays === null ? NON_EXPIRING : now + expiresInDays * DAY,
        revoked
      })
      return raw
    },
    revokeApiToken(raw) {
      const token = apiTokens.get(raw)
      if (!token) throw new Error('unknown API token')
      token.revoked = true
    },
    close() {
      if (closed) return Promise.resolve()
      closed = true
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
