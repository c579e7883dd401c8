// A GitHub REST API stand-in for Actions secrets, on loopback HTTPS, for the `rotate` action's tests.
// It answers the way api.github.com (or GHES under /api/v3) does, decrypts what it is sent with the
// real libsodium sealed-box private key, and lets a test see every request and every value stored.
//
// Sources, cited as [S] etc. in the comments below:
//   [S] REST API endpoints for GitHub Actions secrets   https://docs.github.com/rest/actions/secrets
//   [E] Encrypting secrets for the REST API             https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api
//   [N] Secrets reference (naming rules)                https://docs.github.com/actions/reference/secrets-reference
//   [V] API versions                                    https://docs.github.com/rest/about-the-rest-api/api-versions
//   [T] Troubleshooting the REST API                    https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api
//   [O] bodies observed from api.github.com in public issue reports (cited where used)
//   [G] a guess: no documented or observed example
import { randomBytes, randomInt } from 'node:crypto'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import sodium from 'libsodium-wrappers'
import { getPki, writeCaFile } from '../standin/certs.mjs'

const DOCS = 'https://docs.github.com/rest'
const SECRETS_DOCS = `${DOCS}/actions/secrets`
/** Versions GitHub.com currently selects; a request without the header gets the first [V]. */
const API_VERSIONS = ['2022-11-28', '2026-03-10']
/** The schema pattern on `encrypted_value` in GitHub's OpenAPI description, quoted by GitHub's 422 [O]. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/

/**
 * @typedef {import('./index.d.mts').Endpoint} Endpoint
 * @typedef {import('./index.d.mts').Fault} Fault
 * @typedef {import('./index.d.mts').GithubStandinSettings} Settings
 * @typedef {import('./index.d.mts').RequestLogEntry} LogEntry
 * @typedef {import('./index.d.mts').PublicKey} PublicKey
 * @typedef {{ keyId: string, publicKey: Uint8Array, privateKey: Uint8Array }} KeyPair
 * @typedef {{ value: string, createdAt: Date, updatedAt: Date, history: string[] }} StoredSecret
 * @typedef {{ name: string, key: KeyPair, secrets: Map<string, StoredSecret> }} Vault
 *   A repository's or an environment's own key pair and secrets.
 * @typedef {Vault & { id: number, owner: string, fullName: string, private: boolean,
 *   environments: Map<string, Vault> }} Repo
 * @typedef {{ repositories: Set<string> | 'all', canWriteSecrets: boolean }} Token
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string>, outcome?: string }} Result
 *   What a route function returns; `outcome` goes to the request log.
 */

/**
 * What a route function gets: the shell has already authenticated the token, found the repository
 * (and environment) it may see, and checked its permission.
 * @typedef {object} Ctx
 * @property {Endpoint} endpoint
 * @property {Record<string, string>} params decoded path parameters: owner, repo, environment, secret
 * @property {Repo} repo
 * @property {Vault} vault the repository, or the environment for env-* endpoints
 * @property {string} body the raw request body
 * @property {LogEntry} entry
 */

/**
 * The routes, relative to `pathPrefix`. A GET or PUT that matches none, a trailing slash, or another
 * method gets 404, as GitHub answers them [T].
 * @type {Array<{ endpoint: Endpoint, method: string, path: string[], docs: string, run: (c: Ctx) => Result }>}
 */
const ROUTES = [
  {
    endpoint: 'repo',
    method: 'GET',
    path: ['repos', ':owner', ':repo'],
    docs: `${DOCS}/repos/repos#get-a-repository`,
    run: getRepository
  },
  {
    endpoint: 'repo-public-key',
    method: 'GET',
    path: ['repos', ':owner', ':repo', 'actions', 'secrets', 'public-key'],
    docs: `${SECRETS_DOCS}#get-a-repository-public-key`,
    run: getPublicKey
  },
  {
    endpoint: 'get-repo-secret',
    method: 'GET',
    path: ['repos', ':owner', ':repo', 'actions', 'secrets', ':secret'],
    docs: `${SECRETS_DOCS}#get-a-repository-secret`,
    run: getSecret
  },
  {
    endpoint: 'put-repo-secret',
    method: 'PUT',
    path: ['repos', ':owner', ':repo', 'actions', 'secrets', ':secret'],
    docs: `${SECRETS_DOCS}#create-or-update-a-repository-secret`,
    run: putSecret
  },
  {
    endpoint: 'env-public-key',
    method: 'GET',
    path: ['repos', ':owner', ':repo', 'environments', ':environment', 'secrets', 'public-key'],
    docs: `${SECRETS_DOCS}#get-an-environment-public-key`,
    run: getPublicKey
  },
  {
    endpoint: 'get-env-secret',
    method: 'GET',
    path: ['repos', ':owner', ':repo', 'environments', ':environment', 'secrets', ':secret'],
    docs: `${SECRETS_DOCS}#get-an-environment-secret`,
    run: getSecret
  },
  {
    endpoint: 'put-env-secret',
    method: 'PUT',
    path: ['repos', ':owner', ':repo', 'environments', ':environment', 'secrets', ':secret'],
    docs: `${SECRETS_DOCS}#create-or-update-an-environment-secret`,
    run: putSecret
  }
]

// ------------------------------------------------------------------ route functions

/** @param {Ctx} c */
function getRepository(c) {
  const { repo } = c
  return {
    status: 200,
    body: {
      id: repo.id,
      node_id: Buffer.from(`010:Repository${repo.id}`).toString('base64'),
      name: repo.name,
      full_name: repo.fullName,
      owner: { login: repo.owner, type: 'Organization' },
      private: repo.private,
      visibility: repo.private ? 'private' : 'public'
    }
  }
}

/**
 * `{ key_id, key }`, both required strings; `key` is the Base64 (original alphabet) Curve25519 key [S].
 * @param {Ctx} c
 */
function getPublicKey(c) {
  return { status: 200, body: publicKeyOf(c.vault) }
}

/**
 * Only `name`, `created_at` and `updated_at`: the API never returns a value [S].
 * @param {Ctx} c
 */
function getSecret(c) {
  const name = c.params.secret.toUpperCase()
  const stored = c.vault.secrets.get(name)
  if (!stored) return { ...error(404, 'Not Found', routeDocs(c.endpoint)), outcome: 'not-found' }
  return {
    status: 200,
    body: {
      name,
      created_at: isoSeconds(stored.createdAt),
      updated_at: isoSeconds(stored.updatedAt)
    }
  }
}

/**
 * 201 when the name is new, 204 when it replaced a value [S]. Checks run in the order GitHub's
 * answers imply: body schema, secret name, then whether the value opens with the key `key_id` names.
 * @param {Ctx} c
 */
function putSecret(c) {
  const docs = legacyDocs(c.endpoint)
  /** @type {any} */
  let body
  try {
    body = JSON.parse(c.body)
  } catch {
    return {
      ...error(400, 'Problems parsing JSON', routeDocs(c.endpoint)),
      outcome: 'invalid-json'
    }
  }
  // "Invalid request.\n\n\"key_id\" wasn't supplied." [O] github/rest-api-description#419
  for (const field of ['encrypted_value', 'key_id']) {
    if (body === null || typeof body !== 'object' || !(field in body)) {
      return invalid(`"${field}" wasn't supplied.`, docs, 'missing-field')
    }
    if (typeof body[field] !== 'string') {
      // [G] worded like GitHub's other JSON-schema messages.
      return invalid(
        `For 'properties/${field}', ${JSON.stringify(body[field])} is not a string.`,
        docs,
        'invalid-field'
      )
    }
  }
  // "Invalid request.\n\n<value> does not match /…/." with the pattern's "/" escaped, as GitHub
  // prints it [O] github/rest-api-description#1688.
  if (!BASE64.test(body.encrypted_value)) {
    return invalid(
      `${body.encrypted_value} does not match /${BASE64.source.replaceAll('/', '\\/')}/.`,
      docs,
      'not-base64'
    )
  }
  const nameError = secretNameError(c.params.secret)
  if (nameError) return { ...error(422, nameError, docs), outcome: 'bad-secret-name' }

  // A key_id that is not this vault's current key, and a value that does not open with it, get the
  // same 422: GitHub answers "improperly encrypted secret" when a client seals an environment secret
  // with the repository's key (and its key_id) [O] integrations/terraform-provider-github#2315,
  // rollthecloudinc/hedge#256. The log's `outcome` tells the two apart for tests.
  const improper = () =>
    error(422, 'Bad request - validation failed due to an improperly encrypted secret', docs)
  if (body.key_id !== c.vault.key.keyId) return { ...improper(), outcome: 'bad-key-id' }
  let plaintext
  try {
    // The client sealed with crypto_box_seal and the served public key [E]; only the holder of the
    // private key can open it, which is the proof a test wants that the right value was sent.
    const opened = sodium.crypto_box_seal_open(
      Buffer.from(body.encrypted_value, 'base64'),
      c.vault.key.publicKey,
      c.vault.key.privateKey
    )
    plaintext = Buffer.from(opened).toString('utf8')
  } catch {
    return { ...improper(), outcome: 'undecryptable' }
  }
  const created = storeSecret(c.vault, c.params.secret, plaintext)
  return created
    ? { status: 201, body: {}, outcome: 'created' }
    : { status: 204, outcome: 'updated' }
}

// ------------------------------------------------------------------ helpers

/** @param {number} status @param {string} message @param {string} documentationUrl @returns {Result} */
function error(status, message, documentationUrl) {
  // GitHub's error bodies now carry the status, as a string [O] actions/create-github-app-token#258.
  return { status, body: { message, documentation_url: documentationUrl, status: String(status) } }
}

/** @param {string} detail @param {string} docs @param {string} outcome */
function invalid(detail, docs, outcome) {
  return { ...error(422, `Invalid request.\n\n${detail}`, docs), outcome }
}

/** @param {Endpoint} endpoint */
function routeDocs(endpoint) {
  return ROUTES.find((r) => r.endpoint === endpoint)?.docs ?? DOCS
}

/**
 * GitHub's 422s on the PUT endpoints still link the old single-page reference
 * [O] millylee/anyrouter-check-in#126 (2026), rollthecloudinc/hedge#256 (2025).
 * @param {Endpoint} endpoint
 */
function legacyDocs(endpoint) {
  const anchor =
    endpoint === 'put-env-secret'
      ? 'create-or-update-an-environment-secret'
      : 'create-or-update-a-repository-secret'
  return `https://docs.github.com/rest/reference/actions#${anchor}`
}

/**
 * Naming rules [N]: only [A-Za-z0-9_], not starting with a digit, not starting with GITHUB_.
 * @param {string} name
 * @returns {string | undefined} GitHub's message, or undefined for a good name
 */
function secretNameError(name) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    // Verbatim from api.github.com [O] millylee/anyrouter-check-in#126.
    return 'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_).'
  }
  // The web UI says "Failed to add secret. Secret names must not start with GITHUB_."
  // [O] ncipollo/release-action#424; the API text is that without the UI's prefix [G].
  if (/^GITHUB_/i.test(name)) return 'Secret names must not start with GITHUB_.'
  return undefined
}

/** GitHub's timestamps: ISO 8601 in UTC, whole seconds ("2019-08-10T14:59:22Z") [S]. */
function isoSeconds(/** @type {Date} */ date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** @returns {KeyPair} */
function newKeyPair() {
  const { publicKey, privateKey } = sodium.crypto_box_keypair()
  // key_id: an 18-digit decimal string, like the docs' example "012345678912345678" [S].
  let keyId = String(randomInt(1, 10))
  for (let i = 0; i < 17; i++) keyId += String(randomInt(10))
  return { keyId, publicKey, privateKey }
}

/** @param {Vault} vault @returns {PublicKey} */
function publicKeyOf(vault) {
  return {
    key_id: vault.key.keyId,
    key: sodium.to_base64(vault.key.publicKey, sodium.base64_variants.ORIGINAL)
  }
}

/**
 * GitHub stores secret names upper-cased, and they are case-insensitive [N].
 * @param {Vault} vault @param {string} name @param {string} value
 * @returns {boolean} true when the secret is new
 */
function storeSecret(vault, name, value) {
  const key = name.toUpperCase()
  const now = new Date()
  const existing = vault.secrets.get(key)
  if (existing) {
    existing.value = value
    existing.updatedAt = now
    existing.history.push(value)
    return false
  }
  vault.secrets.set(key, { value, createdAt: now, updatedAt: now, history: [value] })
  return true
}

/**
 * Stamps the end time: when the last byte is handed to the socket (so the log is complete by the
 * time a client has read the response), or when the connection closes.
 * @param {import('./index.d.mts').RequestLogEntry} entry
 */
function finish(entry) {
  if (entry.endedAt !== undefined) return
  entry.endedAt = performance.now()
  entry.durationMs = entry.endedAt - entry.startedAt
}

/** @param {string} prefix */
function normalisePrefix(prefix) {
  if (prefix === '' || prefix === '/') return ''
  const withSlash = prefix.startsWith('/') ? prefix : `/${prefix}`
  return withSlash.replace(/\/+$/, '')
}

/**
 * Matches a request path (already without the prefix) against a route.
 * @param {string[]} pattern @param {string[]} segments
 * @returns {Record<string, string> | undefined}
 */
function match(pattern, segments) {
  if (pattern.length !== segments.length) return undefined
  /** @type {Record<string, string>} */
  const params = {}
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]
    if (want.startsWith(':')) {
      if (segments[i] === '') return undefined
      params[want.slice(1)] = segments[i]
    } else if (want !== segments[i]) {
      return undefined
    }
  }
  return params
}

// ------------------------------------------------------------------ the server

/**
 * @param {import('./index.d.mts').GithubStandinOptions} [options]
 * @returns {Promise<import('./index.d.mts').GithubStandin>}
 */
export async function startGithubStandin(options = {}) {
  await sodium.ready
  const { pathPrefix: rawPrefix = '', port: requestedPort = 0, ...settingOptions } = options
  const pathPrefix = normalisePrefix(rawPrefix)
  const pki = await getPki()
  const caPath = await writeCaFile()
  /** @type {Settings} */
  const initial = { fault: null, latencyMs: 0, ...settingOptions }
  let cfg = { ...initial }

  /** @type {Map<string, Repo>} lower-cased full name → repository (names are case-insensitive [S]) */
  const repos = new Map()
  /** @type {Map<string, Token>} */
  const tokens = new Map()
  /** @type {LogEntry[]} */
  const requests = []
  let faultHits = 0
  let faultMatches = 0
  let nextRepoId = 1296269
  let closed = false
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()
  /** @type {Set<import('node:stream').Duplex>} */
  const sockets = new Set()

  /** @param {string} fullName @param {string} [environment] @returns {Vault} */
  function vaultOf(fullName, environment) {
    const repo = repos.get(fullName.toLowerCase())
    if (!repo) throw new Error(`github stand-in: no repository ${fullName}`)
    if (environment === undefined) return repo
    const env = repo.environments.get(environment.toLowerCase())
    if (!env) throw new Error(`github stand-in: ${repo.fullName} has no environment ${environment}`)
    return env
  }

  /** @param {string} fullName @param {{ environments?: string[], private?: boolean }} [spec] */
  function addRepository(fullName, spec = {}) {
    const [owner, name, ...rest] = fullName.split('/')
    if (!owner || !name || rest.length > 0)
      throw new Error(`github stand-in: not owner/name: ${fullName}`)
    let repo = repos.get(fullName.toLowerCase())
    if (!repo) {
      repo = {
        id: nextRepoId++,
        owner,
        name,
        fullName: `${owner}/${name}`,
        private: spec.private ?? true,
        key: newKeyPair(),
        secrets: new Map(),
        environments: new Map()
      }
      repos.set(fullName.toLowerCase(), repo)
    }
    if (spec.private !== undefined) repo.private = spec.private
    for (const env of spec.environments ?? []) {
      // [G] environment names are matched case-insensitively, like repository names.
      if (!repo.environments.has(env.toLowerCase())) {
        repo.environments.set(env.toLowerCase(), {
          name: env,
          key: newKeyPair(),
          secrets: new Map()
        })
      }
    }
    return {
      id: repo.id,
      fullName: repo.fullName,
      environments: [...repo.environments.values()].map((e) => e.name)
    }
  }
  addRepository('acme/pipeline', { environments: ['production'] })

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

  /** @param {Endpoint} endpoint @returns {Fault | undefined} */
  function activeFault(endpoint) {
    const fault = cfg.fault
    if (!fault) return undefined
    const wanted = Array.isArray(fault.endpoint) ? fault.endpoint : [fault.endpoint]
    if (!wanted.includes('any') && !wanted.includes(endpoint)) return undefined
    if (++faultMatches <= (fault.skip ?? 0)) return undefined
    if (faultHits >= (fault.times ?? Infinity)) return undefined
    faultHits++
    return fault
  }

  /**
   * Authenticates, finds the repository and environment, checks permission, runs the route.
   * @param {(typeof ROUTES)[number]} route @param {Record<string, string>} params
   * @param {import('node:http').IncomingMessage} req @param {string} body @param {LogEntry} entry
   * @returns {Result}
   */
  function dispatch(route, params, req, body, entry) {
    const authorization = req.headers.authorization
    if (authorization === undefined || authorization === '') {
      // GitHub's answer to a request without credentials where they are needed
      // [O] `curl https://api.github.com/user/repos`. (For a private repository GitHub may answer
      // 404 instead [T]; a 401 is what the rotate action should report, so the stand-in keeps it.)
      return {
        ...error(401, 'Requires authentication', DOCS),
        outcome: 'requires-authentication'
      }
    }
    // Octokit sends "token <t>"; GitHub's docs show "Bearer <t>"; both are accepted [S].
    const parsed = /^(?:bearer|token)\s+(\S+)$/i.exec(authorization.trim())
    const token = parsed ? tokens.get(parsed[1]) : undefined
    if (!token) return { ...error(401, 'Bad credentials', DOCS), outcome: 'bad-credentials' }

    const repo = repos.get(`${params.owner}/${params.repo}`.toLowerCase())
    entry.repository = repo?.fullName ?? `${params.owner}/${params.repo}`
    const visible =
      repo && (token.repositories === 'all' || token.repositories.has(repo.fullName.toLowerCase()))
    // A repository the token cannot see is indistinguishable from one that does not exist [T].
    if (!repo || !visible) return { ...error(404, 'Not Found', route.docs), outcome: 'not-found' }

    if (route.endpoint !== 'repo' && !token.canWriteSecrets) {
      // GITHUB_TOKEN has no `secrets` permission, so it gets this even on the public-key GET
      // [O] actions/runner#1008.
      return {
        ...error(403, 'Resource not accessible by integration', route.docs),
        outcome: 'forbidden'
      }
    }
    /** @type {Vault} */
    let vault = repo
    if (params.environment !== undefined) {
      entry.environment = params.environment
      const env = repo.environments.get(params.environment.toLowerCase())
      if (!env) return { ...error(404, 'Not Found', route.docs), outcome: 'not-found' }
      vault = env
    }
    if (params.secret !== undefined) entry.secretName = params.secret
    return route.run({ endpoint: route.endpoint, params, repo, vault, body, entry })
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'https://github-standin.invalid')
    /** @type {LogEntry} */
    const entry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      endpoint: 'other',
      status: undefined,
      outcome: undefined,
      fault: undefined,
      authorization: req.headers.authorization,
      headers: { ...req.headers },
      body: '',
      repository: undefined,
      environment: undefined,
      secretName: undefined,
      startedAt: performance.now(),
      endedAt: undefined,
      durationMs: undefined
    }
    requests.push(entry)
    res.on('close', () => finish(entry))

    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    entry.body = Buffer.concat(chunks).toString('utf8')

    // Route: strip the prefix, split, decode each segment (Octokit percent-encodes parameters,
    // and environment names may contain "/" [S]).
    /** @type {(typeof ROUTES)[number] | undefined} */
    let route
    /** @type {Record<string, string>} */
    let params = {}
    const inPrefix = pathPrefix === '' || url.pathname.startsWith(`${pathPrefix}/`)
    if (inPrefix) {
      try {
        const segments = url.pathname
          .slice(pathPrefix.length + 1)
          .split('/')
          .map(decodeURIComponent)
        for (const candidate of ROUTES) {
          const found =
            candidate.method === entry.method ? match(candidate.path, segments) : undefined
          if (found) {
            route = candidate
            params = found
            break
          }
        }
      } catch {
        route = undefined
      }
    }
    if (route) entry.endpoint = route.endpoint

    const fault = activeFault(entry.endpoint)
    if (fault) entry.fault = fault.type ?? 'status'
    if (fault && fault.when !== 'after') return applyFault(res, entry, fault)

    const requested = req.headers['x-github-api-version']
    const version = typeof requested === 'string' ? requested : API_VERSIONS[0]
    /** @type {Result} */
    let result
    if (!route) {
      result = { ...error(404, 'Not Found', DOCS), outcome: 'not-found' }
    } else if (!API_VERSIONS.includes(version)) {
      // Wording [O] expipiplus1/update-nix-fetchgit#79 (with one supported version); status 400 [V].
      const list = API_VERSIONS.map(
        (v, i) => `"${v}"${i === API_VERSIONS.length - 1 ? ' (most recent)' : ''}`
      )
      result = {
        ...error(
          400,
          `The version you specified in the "X-GitHub-API-Version" request header, "${version}", is not a supported version. The following versions are currently supported: ${list.join(', ')}.`,
          DOCS
        ),
        outcome: 'bad-api-version'
      }
    } else {
      result = dispatch(route, params, req, entry.body, entry)
    }
    entry.outcome = /** @type {any} */ (result.outcome ?? (result.status < 400 ? 'ok' : undefined))
    // `when: 'after'`: the request took effect (a secret may be stored) but the client never learns it.
    if (fault) return applyFault(res, entry, fault)
    await sleep(cfg.latencyMs)
    send(res, entry, result, API_VERSIONS.includes(version) ? version : API_VERSIONS[0])
  }

  /**
   * @param {import('node:http').ServerResponse} res @param {LogEntry} entry
   * @param {Result} result @param {string} version
   */
  function send(res, entry, result, version) {
    if (res.destroyed || res.headersSent) return
    /** @type {Record<string, string>} */
    const headers = {
      Server: 'github.com',
      'X-GitHub-Api-Version-Selected': version,
      'X-GitHub-Media-Type': 'github.v3; format=json',
      'X-GitHub-Request-Id': `${randomBytes(2).toString('hex').toUpperCase()}:${randomBytes(3).toString('hex').toUpperCase()}`,
      ...result.headers
    }
    let payload = Buffer.alloc(0)
    if (result.body !== undefined) {
      payload = Buffer.from(
        typeof result.body === 'string' ? result.body : JSON.stringify(result.body),
        'utf8'
      )
      headers['Content-Type'] ??= 'application/json; charset=utf-8'
    }
    if (result.status !== 204) headers['Content-Length'] = String(payload.length)
    entry.status = result.status
    res.writeHead(result.status, headers)
    res.end(result.status === 204 ? undefined : payload)
    finish(entry)
  }

  /** @param {import('node:http').ServerResponse} res @param {LogEntry} entry @param {Fault} fault */
  async function applyFault(res, entry, fault) {
    await sleep(cfg.latencyMs)
    if (fault.type === 'stall') return // never answers; close() destroys the socket
    if (fault.type === 'reset') {
      const socket = res.socket
      // A TCP RST where the platform allows it; otherwise a plain destroy.
      try {
        const raw = /** @type {any} */ (socket)?._parent ?? socket
        if (typeof raw?.resetAndDestroy === 'function') raw.resetAndDestroy()
      } catch {
        // fall through to destroy
      }
      socket?.destroy()
      finish(entry)
      return
    }
    // [G] default body: GitHub-shaped; pass `body` for a specific one.
    const message = fault.status >= 500 ? 'Server Error' : 'Fault injected by the stand-in'
    const body = fault.body ?? error(fault.status, message, DOCS).body
    send(res, entry, { status: fault.status, body, headers: fault.headers }, API_VERSIONS[0])
  }

  const server = https.createServer(
    { key: pki.leaf.keyPem, cert: pki.leaf.certPem },
    (req, res) => {
      handle(req, res).catch((err) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'Content-Type': 'text/plain' })
          res.end(`github stand-in bug: ${err instanceof Error ? err.stack : String(err)}`)
        }
      })
    }
  )
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
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
  const origin = `https://127.0.0.1:${port}`

  /** @type {import('./index.d.mts').GithubStandin} */
  const standin = {
    apiUrl: origin + pathPrefix,
    origin,
    port,
    pathPrefix,
    caPath,
    caCertPem: pki.caCertPem,
    requests,
    get faultHits() {
      return faultHits
    },
    get settings() {
      return { ...cfg }
    },
    set(partial) {
      if ('fault' in partial) {
        faultHits = 0
        faultMatches = 0
      }
      cfg = { ...cfg, ...partial }
    },
    reset() {
      cfg = { ...initial }
      faultHits = 0
      faultMatches = 0
      requests.length = 0
      for (const repo of repos.values()) {
        repo.secrets.clear()
        for (const env of repo.environments.values()) env.secrets.clear()
      }
    },
    addRepository,
    addToken(value, spec = {}) {
      const { repositories = 'all', canWriteSecrets = true } = spec
      tokens.set(value, {
        repositories:
          repositories === 'all' ? 'all' : new Set(repositories.map((r) => r.toLowerCase())),
        canWriteSecrets
      })
      return value
    },
    removeToken(value) {
      tokens.delete(value)
    },
    publicKey(fullName, opts = {}) {
      return publicKeyOf(vaultOf(fullName, opts.environment))
    },
    rotateKey(fullName, opts = {}) {
      const vault = vaultOf(fullName, opts.environment)
      vault.key = newKeyPair()
      return publicKeyOf(vault)
    },
    setSecret(fullName, name, value, opts = {}) {
      const problem = secretNameError(name)
      if (problem) throw new Error(`github stand-in: ${problem}`)
      storeSecret(vaultOf(fullName, opts.environment), name, value)
    },
    secretValue(fullName, name, opts = {}) {
      return vaultOf(fullName, opts.environment).secrets.get(name.toUpperCase())?.value
    },
    secretHistory(fullName, name, opts = {}) {
      return [
        ...(vaultOf(fullName, opts.environment).secrets.get(name.toUpperCase())?.history ?? [])
      ]
    },
    secretNames(fullName, opts = {}) {
      return [...vaultOf(fullName, opts.environment).secrets.keys()].sort()
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
