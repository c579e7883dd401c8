// What the stand-in remembers between requests: users, PATs, Cloud API tokens (classic and scoped),
// service accounts (DC and Cloud), their client credentials and access tokens, and Seraph's
// failed-login counters. reset() keeps all of it except the counters.
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import { DAY, NON_EXPIRING, patJson } from './bodies.mjs'
import { DEFAULT_TOKEN_SCOPES } from './scopes.mjs'

/** @typedef {import('./index.d.mts').UserSpec} UserSpec */
/** @typedef {import('./index.d.mts').UserSummary} UserSummary */
/** @typedef {import('./index.d.mts').MintPatOptions} MintPatOptions */
/** @typedef {import('./index.d.mts').PatRecord} PatRecord */
/** @typedef {import('./index.d.mts').MintApiTokenOptions} MintApiTokenOptions */
/** @typedef {import('./index.d.mts').ServiceAccountSpec} ServiceAccountSpec */
/** @typedef {import('./index.d.mts').ClientCredentials} ClientCredentials */
/** @typedef {import('./index.d.mts').ServiceAccountScope} ServiceAccountScope */
/** @typedef {import('./index.d.mts').CloudServiceAccountSpec} CloudServiceAccountSpec */
/** @typedef {import('./index.d.mts').CloudClientCredentialsSpec} CloudClientCredentialsSpec */

/**
 * @typedef {object} User
 * @property {string} name DC login name, the key of the user store
 * @property {string} key `JIRAUSER<n>` for users created on 8.x and later
 * @property {string | null | undefined} emailAddress null hides it, as instances that hide e-mail do
 * @property {string} displayName
 * @property {string | undefined} password for Seraph Basic logins; undefined: Basic never succeeds
 * @property {boolean} active
 * @property {string} timeZone
 * @property {string} locale
 * @property {string} accountId Cloud account id
 * @property {string[]} groups
 * @property {string[]} applicationRoles
 * @property {number} avatarId
 * @property {{ displayName: string, timeZone: string, locale: string } | undefined} cloud
 *   what Cloud shows instead (the default user renders the Cloud OpenAPI example user)
 * @property {'atlassian' | 'app'} accountType Cloud's `accountType`: people are `atlassian`
 * @property {'service' | undefined} appType Cloud service accounts are `app` + `service`
 */

/**
 * @typedef {object} Pat
 * @property {number} id the numeric id of /rest/pat/latest/tokens, not the secret's token id
 * @property {string} tokenId the 12 random digits before the ':' in the decoded token
 * @property {Buffer} secret the 20 random bytes after it
 * @property {string} raw the 44-character token
 * @property {string} name
 * @property {string} user owner's login name
 * @property {number} createdAt
 * @property {number} expiringAt NON_EXPIRING for tokens without expiry
 * @property {boolean} revoked
 * @property {number | null} lastAccessedAt
 */

/**
 * @typedef {object} ApiToken
 * @property {string} email
 * @property {number} createdAt
 * @property {number} expiringAt
 * @property {boolean} revoked
 * @property {string[] | null} scopes a scoped token's scopes; null for a classic (unscoped) token
 */

/**
 * A Cloud service account's OAuth 2.0 credential (client credentials).
 * @typedef {object} CloudClient
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {string} email the service account's
 * @property {string[]} scopes fixed when the credential is created
 * @property {boolean} revoked
 */

/**
 * @typedef {object} CloudAccessToken
 * @property {string} token
 * @property {string} clientId
 * @property {string[]} scopes
 * @property {number} expiresAt
 */

/**
 * @typedef {object} ServiceAccount
 * @property {User} user what /myself shows for it; never in the user store, so Basic and PATs cannot reach it
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {ServiceAccountScope[]} scopes
 * @property {'user' | 'refused'} myself
 * @property {boolean} revoked client credentials revoked: no more exchanges
 */

/**
 * @typedef {object} AccessToken
 * @property {string} token
 * @property {string} clientId
 * @property {ServiceAccountScope[]} scopes
 * @property {number} expiresAt
 */

/** Access tokens last "usually 1 hour" (Atlassian, "Service accounts overview"). */
export const ACCESS_TOKEN_SECONDS = 3600
/** Expired PATs stay listed, and count, until the daily pruning job deletes them 30 days after expiry. */
const PRUNING_DELAY = 30 * DAY

/** @param {number} n */
function randomDigits(n) {
  let out = ''
  for (let i = 0; i < n; i++) out += String(randomInt(10))
  return out
}

/** @param {string} a @param {string} b */
function sameSecret(a, b) {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  return left.length === right.length && timingSafeEqual(left, right)
}

export class StandinState {
  /** @type {Map<string, User>} */
  users = new Map()
  /** @type {Pat[]} */
  pats = []
  /** @type {Map<string, ApiToken>} */
  apiTokens = new Map()
  /** Seraph failed-login counters by lower-cased login name. @type {Map<string, number>} */
  failedLogins = new Map()
  /** @type {Map<string, ServiceAccount>} by client id */
  serviceAccounts = new Map()
  /** @type {Map<string, AccessToken>} */
  accessTokens = new Map()
  /** Cloud service-account OAuth 2.0 credentials by client id. @type {Map<string, CloudClient>} */
  cloudClients = new Map()
  /** @type {Map<string, CloudAccessToken>} */
  cloudAccessTokens = new Map()
  nextPatId = 58
  nextUserNumber = 10101

  constructor() {
    this.users.set('ci-bot', {
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
      // The example user of the Jira Cloud OpenAPI `/myself` response.
      cloud: { displayName: 'Mia Krystof', timeZone: 'Australia/Sydney', locale: 'en_US' },
      accountType: 'atlassian',
      appType: undefined
    })
  }

  // ------------------------------------------------------------------ users

  /** @param {string} name */
  findUserByName(name) {
    const lower = name.toLowerCase()
    for (const user of this.users.values()) if (user.name.toLowerCase() === lower) return user
    return undefined
  }

  /** @param {string} email */
  findUserByEmail(email) {
    const lower = email.toLowerCase()
    for (const user of this.users.values())
      if ((user.emailAddress ?? '').toLowerCase() === lower) return user
    return undefined
  }

  /**
   * Add a user, or update the fields `spec` names on an existing one.
   * @param {UserSpec} spec
   * @returns {UserSummary}
   */
  addUser(spec) {
    const name = spec.name
    /** @type {User} */
    const user = {
      ...(this.users.get(name) ?? {
        key: `JIRAUSER${this.nextUserNumber++}`,
        emailAddress: `${name}@example.com`,
        displayName: name,
        password: undefined,
        active: true,
        timeZone: 'Europe/Berlin',
        locale: 'en_US',
        accountId: `5b10a2844c201657${randomBytes(4).toString('hex')}`,
        groups: ['jira-software-users'],
        applicationRoles: ['jira-software'],
        avatarId: 10122,
        cloud: undefined,
        accountType: /** @type {'atlassian'} */ ('atlassian'),
        appType: undefined
      }),
      name
    }
    if (spec.key !== undefined) user.key = spec.key
    if (spec.email !== undefined) user.emailAddress = spec.email
    if (spec.displayName !== undefined) user.displayName = spec.displayName
    if (spec.password !== undefined) user.password = spec.password
    if (spec.active !== undefined) user.active = spec.active
    if (spec.timeZone !== undefined) user.timeZone = spec.timeZone
    if (spec.locale !== undefined) user.locale = spec.locale
    if (spec.accountId !== undefined) user.accountId = spec.accountId
    if (spec.groups !== undefined) user.groups = [...spec.groups]
    // A profile set by the test replaces the Cloud example profile.
    if (
      spec.displayName !== undefined ||
      spec.timeZone !== undefined ||
      spec.locale !== undefined
    ) {
      user.cloud = undefined
    }
    this.users.set(name, user)
    return {
      name: user.name,
      key: user.key,
      emailAddress: user.emailAddress ?? null,
      accountId: user.accountId,
      displayName: user.displayName,
      active: user.active
    }
  }

  // ------------------------------------------------------------------- PATs

  /**
   * A new PAT in the pats-plugin 1.4.7 format (`DefaultTokenGeneratorService`): base64 of 12 random
   * ASCII digits (the token id), ':' and 20 random bytes, so always 44 characters.
   * @param {{ name: string, user: string, createdAt: number, expiringAt: number,
   *   revoked?: boolean, lastAccessedAt?: number | null }} fields
   */
  addPat(fields) {
    const tokenId = randomDigits(12)
    const secret = randomBytes(20)
    const raw = Buffer.concat([Buffer.from(tokenId, 'latin1'), Buffer.from(':'), secret]).toString(
      'base64'
    )
    /** @type {Pat} */
    const pat = {
      id: this.nextPatId++,
      tokenId,
      secret,
      raw,
      name: fields.name,
      user: fields.user,
      createdAt: fields.createdAt,
      expiringAt: fields.expiringAt,
      revoked: fields.revoked ?? false,
      lastAccessedAt: fields.lastAccessedAt ?? null
    }
    this.pats.push(pat)
    return pat
  }

  /**
   * The test-facing mint: any expiry, even one in the past, and any owner in the user store.
   * @param {MintPatOptions} spec
   */
  mintPat(spec = {}) {
    const {
      name = 'ci-token',
      user = 'ci-bot',
      expiresInDays = 60,
      revoked = false,
      lastAccessedAt = null
    } = spec
    if (!this.users.has(user)) throw new Error(`no such user ${user}`)
    const now = Date.now()
    const expiringAt = expiresInDays === null ? NON_EXPIRING : now + expiresInDays * DAY
    // An already-expired token was created 90 days before it expired.
    const createdAt =
      spec.createdAt instanceof Date
        ? spec.createdAt.getTime()
        : expiringAt <= now
          ? expiringAt - 90 * DAY
          : now
    return this.addPat({
      name,
      user,
      createdAt,
      expiringAt,
      revoked,
      lastAccessedAt: lastAccessedAt instanceof Date ? lastAccessedAt.getTime() : null
    })
  }

  /**
   * What `POST /rest/pat/latest/tokens` creates: pats-plugin 1.4.7 `DefaultTokenService.create`,
   * expiry = now + the given days in UTC, or the non-expiring date.
   * @param {string} user
   * @param {string} name
   * @param {number | null} expirationDays
   */
  createPat(user, name, expirationDays) {
    const now = Date.now()
    const expiringAt = expirationDays === null ? NON_EXPIRING : now + expirationDays * DAY
    return this.addPat({ name, user, createdAt: now, expiringAt })
  }

  /** @param {string} raw */
  revokePat(raw) {
    const pat = this.pats.find((p) => p.raw === raw)
    if (!pat) throw new Error('unknown PAT')
    pat.revoked = true
  }

  /**
   * Revoked tokens are deleted rows on real Jira; expired ones stay until pruned.
   * @param {Pat} pat
   * @param {number} now
   */
  static isListed(pat, now) {
    return !pat.revoked && pat.expiringAt + PRUNING_DELAY > now
  }

  /**
   * The caller's tokens as `GET /rest/pat/latest/tokens` lists them, by id.
   * @param {string} user
   */
  listedPats(user) {
    const now = Date.now()
    return this.pats
      .filter((p) => p.user === user && StandinState.isListed(p, now))
      .sort((a, b) => a.id - b.id)
  }

  /**
   * A token the user may still use: known token id, not expired, not revoked, matching secret,
   * active owner (pats-plugin 1.4.7 `DefaultTokenAuthenticationService`). Anything else is no PAT.
   * @param {string} token
   */
  lookupPat(token) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined
    const decoded = Buffer.from(token, 'base64')
    if (decoded.length !== 33 || decoded[12] !== 0x3a) return undefined
    const tokenId = decoded.subarray(0, 12).toString('latin1')
    const secret = decoded.subarray(13)
    const now = Date.now()
    const pat = this.pats.find((p) => p.tokenId === tokenId && !p.revoked && p.expiringAt > now)
    if (!pat) return undefined
    if (!timingSafeEqual(secret, pat.secret)) return undefined
    const user = this.users.get(pat.user)
    if (!user || !user.active) return undefined
    return { pat, user }
  }

  /** @returns {PatRecord[]} */
  patRecords() {
    return this.pats.map((p) => ({
      id: p.id,
      name: p.name,
      user: p.user,
      raw: p.raw,
      createdAt: new Date(p.createdAt),
      expiringAt: p.expiringAt >= NON_EXPIRING ? null : new Date(p.expiringAt),
      lastAccessedAt: p.lastAccessedAt === null ? null : new Date(p.lastAccessedAt),
      revoked: p.revoked,
      json: patJson(p)
    }))
  }

  // ------------------------------------------------------ Cloud API tokens

  /**
   * Cloud personal API tokens start with ATATT (gitleaks#1402; Bamboo's `BitbucketCloudApiTokenUtils`).
   * Scoped tokens look the same: "there is no way to distinguish them just from the token itself"
   * (Atlassian KB "401 Unauthorized error when service account accesses Jira or Confluence API").
   * Passing `scopes` makes a scoped token; service accounts hold only scoped ones (Atlassian, "Manage
   * API tokens for service accounts").
   * @param {MintApiTokenOptions} spec
   */
  mintApiToken(spec = {}) {
    const { email = 'ci-bot@example.com', expiresInDays = 365, revoked = false } = spec
    const scoped = spec.scoped ?? spec.scopes !== undefined
    if (!scoped && spec.scopes !== undefined)
      throw new Error('a classic API token has no scopes; drop scoped: false')
    if (!scoped && this.findUserByEmail(email)?.appType === 'service')
      throw new Error('service accounts hold only scoped API tokens')
    const raw = `ATATT3xFfGF0${randomBytes(135).toString('base64url')}`
    const now = Date.now()
    this.apiTokens.set(raw, {
      email,
      createdAt: now,
      expiringAt: expiresInDays === null ? NON_EXPIRING : now + expiresInDays * DAY,
      revoked,
      scopes: scoped ? [...(spec.scopes ?? DEFAULT_TOKEN_SCOPES)] : null
    })
    return raw
  }

  /** @param {string} raw */
  revokeApiToken(raw) {
    const token = this.apiTokens.get(raw)
    if (!token) throw new Error('unknown API token')
    token.revoked = true
  }

  // ---------------------------------------------- DC service accounts (OAuth)

  /**
   * A DC service account with client credentials. The id and secret formats are [guess].
   * @param {ServiceAccountSpec} spec
   * @returns {ClientCredentials}
   */
  addServiceAccount(spec) {
    const { name, displayName = name, scopes = ['READ'], myself = 'user' } = spec
    const taken =
      this.users.has(name) || [...this.serviceAccounts.values()].some((a) => a.user.name === name)
    if (taken) throw new Error(`name ${name} is taken`)
    const given = /** @type {string[]} */ (scopes)
    if (given.length === 0 || given.some((scope) => scope !== 'READ' && scope !== 'WRITE'))
      throw new Error('service accounts hold READ or READ and WRITE')
    const clientId = randomBytes(16).toString('hex')
    const clientSecret = randomBytes(32).toString('hex')
    this.serviceAccounts.set(clientId, {
      // Service accounts "are not standard Jira principals – they can't be added to groups"
      // (Atlassian, "How service accounts work in Data Center"); no e-mail, no password.
      user: {
        name,
        key: `JIRAUSER${this.nextUserNumber++}`,
        emailAddress: undefined,
        displayName,
        password: undefined,
        active: true,
        timeZone: 'Europe/Berlin',
        locale: 'en_US',
        accountId: '',
        groups: [],
        applicationRoles: [],
        avatarId: 10122,
        cloud: undefined,
        accountType: 'app',
        appType: undefined
      },
      clientId,
      clientSecret,
      scopes: [...scopes],
      myself,
      revoked: false
    })
    return { clientId, clientSecret }
  }

  /**
   * The account whose credentials these are, if they may still be exchanged.
   * @param {string} clientId
   * @param {string} clientSecret
   */
  clientFor(clientId, clientSecret) {
    const account = this.serviceAccounts.get(clientId)
    if (!account || account.revoked || !sameSecret(clientSecret, account.clientSecret))
      return undefined
    return account
  }

  /** @param {string} clientId */
  revokeClientCredentials(clientId) {
    const account = this.serviceAccounts.get(clientId) ?? this.cloudClients.get(clientId)
    if (!account) throw new Error('unknown client id')
    account.revoked = true
  }

  /**
   * An opaque access token: 32 random bytes, base64url (43 characters, never PAT-shaped) [guess].
   * @param {ServiceAccount} account
   * @param {ServiceAccountScope[]} scopes
   */
  issueAccessToken(account, scopes) {
    const token = randomBytes(32).toString('base64url')
    /** @type {AccessToken} */
    const issued = {
      token,
      clientId: account.clientId,
      scopes: [...scopes],
      expiresAt: Date.now() + ACCESS_TOKEN_SECONDS * 1000
    }
    this.accessTokens.set(token, issued)
    return issued
  }

  /**
   * The account behind a live access token.
   * @param {string} token
   */
  lookupAccessToken(token) {
    const issued = this.accessTokens.get(token)
    if (!issued || issued.expiresAt <= Date.now()) return undefined
    const account = this.serviceAccounts.get(issued.clientId)
    if (!account) return undefined
    return { account, token: issued }
  }

  /**
   * Expire the issued access tokens now, those of one client or all of them.
   * @param {string} [clientId]
   */
  expireAccessTokens(clientId) {
    const past = Date.now() - 1
    for (const issued of [...this.accessTokens.values(), ...this.cloudAccessTokens.values()])
      if (clientId === undefined || issued.clientId === clientId) issued.expiresAt = past
  }

  // ------------------------------------------- Cloud service accounts (OAuth)

  /**
   * A Cloud service account: a user whose e-mail is `<name>@serviceaccount.atlassian.com` (Atlassian,
   * "Manage API tokens for service accounts": `bot@serviceaccount.atlassian.com`), `accountType: app`
   * and `appType: service` (Jira Cloud OpenAPI `User.appType`), and an account id in the newer
   * `712020:<uuid>` shape.
   * @param {CloudServiceAccountSpec} spec
   */
  addCloudServiceAccount(spec) {
    const { name, displayName = name } = spec
    const email = `${name}@serviceaccount.atlassian.com`
    if (this.users.has(name) || this.findUserByEmail(email))
      throw new Error(`name ${name} is taken`)
    /** @type {User} */
    const user = {
      name,
      key: '',
      emailAddress: email,
      displayName,
      password: undefined,
      active: true,
      timeZone: 'Etc/UTC', // [guess]
      locale: 'en_US',
      accountId: `712020:${randomUUID()}`,
      groups: [],
      applicationRoles: ['jira-software'],
      avatarId: 10122,
      cloud: undefined,
      accountType: 'app',
      appType: 'service'
    }
    this.users.set(name, user)
    return user
  }

  /**
   * An OAuth 2.0 credential for a Cloud service account, with the scopes chosen at creation
   * (Atlassian, "Create OAuth 2.0 credential for service accounts"). Formats [guess]: 32 letters and
   * digits like a 3LO app's client id; the secret carries the `ATOA` prefix of 3LO app secrets.
   * @param {CloudClientCredentialsSpec} spec
   * @returns {import('./index.d.mts').ClientCredentials}
   */
  mintCloudClientCredentials(spec) {
    const user = this.findUserByEmail(spec.email)
    if (!user || user.appType !== 'service')
      throw new Error(
        `${spec.email} is no Cloud service account; only they hold OAuth 2.0 credentials`
      )
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    let clientId = ''
    for (let i = 0; i < 32; i++) clientId += alphabet[randomInt(alphabet.length)]
    const clientSecret = `ATOA${randomBytes(48).toString('base64url')}`
    this.cloudClients.set(clientId, {
      clientId,
      clientSecret,
      email: user.emailAddress ?? spec.email,
      scopes: [...(spec.scopes ?? DEFAULT_TOKEN_SCOPES)],
      revoked: false
    })
    return { clientId, clientSecret }
  }

  /**
   * The Cloud credential these are, if it may still be exchanged.
   * @param {string} clientId
   * @param {string} clientSecret
   */
  cloudClientFor(clientId, clientSecret) {
    const client = this.cloudClients.get(clientId)
    if (!client || client.revoked || !sameSecret(clientSecret, client.clientSecret))
      return undefined
    return client
  }

  /**
   * A JWT-shaped access token [guess: the claims and the header; the signature is random bytes, so
   * nothing can verify it]. The gateway reads nothing from it: the stand-in looks it up.
   * @param {CloudClient} client
   * @param {string} accountId
   */
  issueCloudAccessToken(client, accountId) {
    const now = Date.now()
    const expiresAt = now + ACCESS_TOKEN_SECONDS * 1000
    const part = (/** @type {unknown} */ value) =>
      Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
    const token = [
      part({ alg: 'RS256', typ: 'JWT', kid: 'standin' }),
      part({
        iss: 'https://auth.atlassian.com',
        sub: accountId,
        aud: 'api.atlassian.com',
        client_id: client.clientId,
        scope: client.scopes.join(' '),
        iat: Math.floor(now / 1000),
        exp: Math.floor(expiresAt / 1000),
        jti: randomUUID()
      }),
      randomBytes(256).toString('base64url')
    ].join('.')
    /** @type {CloudAccessToken} */
    const issued = { token, clientId: client.clientId, scopes: [...client.scopes], expiresAt }
    this.cloudAccessTokens.set(token, issued)
    return issued
  }

  /**
   * A Cloud access token as the gateway sees it: live (with its account), or expired.
   * @param {string} token
   * @returns {{ live: true, user: User, token: CloudAccessToken } | { live: false } | undefined}
   */
  lookupCloudAccessToken(token) {
    const issued = this.cloudAccessTokens.get(token)
    if (!issued) return undefined
    const client = this.cloudClients.get(issued.clientId)
    const user = client ? this.findUserByEmail(client.email) : undefined
    if (issued.expiresAt <= Date.now() || !user || !user.active) return { live: false }
    return { live: true, user, token: issued }
  }
}
