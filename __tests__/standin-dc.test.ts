import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import https from 'node:https'
import { startStandin, type Standin } from '../test-support/standin/index.mjs'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

interface Send {
  headers?: Record<string, string>
  body?: string
}

function send(standin: Standin, method: string, path: string, options: Send = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      standin.url + path,
      {
        method,
        ca: standin.caCertPem,
        agent: false,
        headers: { Accept: 'application/json', ...options.headers }
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body })
        )
        response.on('error', reject)
      }
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

const DAY = 24 * 60 * 60 * 1000
const PAT_SHAPE = /^(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){4}O[g-v][A-Za-z0-9+/]{26}$/
const ANONYMOUS_401 =
  '{"message":"Client must be authenticated to access this resource.","status-code":401}'
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
})
const JSON_BODY = { 'Content-Type': 'application/json' }

function createToken(standin: Standin, auth: Record<string, string>, body: unknown) {
  return send(standin, 'POST', '/rest/pat/latest/tokens', {
    headers: { ...JSON_BODY, ...auth },
    body: JSON.stringify(body)
  })
}

const parse = (reply: Reply) => JSON.parse(reply.body) as Record<string, unknown>

describe('Jira stand-in, Data Center PAT create and revoke', () => {
  let standin: Standin
  beforeAll(async () => {
    standin = await startStandin()
  })
  afterAll(async () => {
    await standin.close()
  })
  beforeEach(() => standin.reset())

  // Tokens outlive reset(), and a user may create only so many: each create test gets its own user.
  let users = 0
  function freshUser() {
    const name = `creator-${++users}`
    standin.addUser({ name, password: 'pw' })
    return { name, pat: standin.mintPat({ user: name }), basic: basic(name, 'pw') }
  }

  it('creates a PAT that authenticates and is listed from then on', async () => {
    const caller = freshUser().pat
    const reply = await createToken(standin, bearer(caller), {
      name: 'deploy',
      expirationDuration: 90
    })
    expect(reply.status).toBe(201)
    expect(reply.headers['content-type']).toBe('application/json;charset=UTF-8')
    const created = parse(reply)
    expect(Object.keys(created)).toEqual(['id', 'name', 'createdAt', 'expiringAt', 'rawToken'])
    expect(created.name).toBe('deploy')
    expect(created.rawToken).toMatch(PAT_SHAPE)
    const createdAt = Date.parse(String(created.createdAt).replace('+00:00', 'Z'))
    const expiringAt = Date.parse(String(created.expiringAt).replace('+00:00', 'Z'))
    expect(expiringAt - createdAt).toBe(90 * DAY)

    const fresh = String(created.rawToken)
    expect(
      (await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(fresh) })).status
    ).toBe(200)
    const list = await send(standin, 'GET', '/rest/pat/latest/tokens', { headers: bearer(fresh) })
    const entry = (JSON.parse(list.body) as Array<Record<string, unknown>>).find(
      (t) => t.id === created.id
    )
    expect(entry).toMatchObject({ name: 'deploy', expiringAt: created.expiringAt })
    expect(entry).not.toHaveProperty('rawToken')

    const logged = standin.requests.find((r) => r.endpoint === 'tokens-create')
    expect(logged?.method).toBe('POST')
    expect(logged?.body).toEqual({ name: 'deploy', expirationDuration: 90 })
    expect(standin.requests.map((r) => r.endpoint)).toEqual(['tokens-create', 'myself', 'tokens'])
  })

  it('creates with Basic too, and without a duration a non-expiring PAT', async () => {
    const reply = await createToken(standin, freshUser().basic, { name: 'forever' })
    expect(reply.status).toBe(201)
    expect(parse(reply).expiringAt).toBe('9999-12-31T00:00:00.000+00:00')
    expect(standin.listPats().find((p) => p.name === 'forever')?.expiringAt).toBeNull()
  })

  it.each([
    ['no Authorization', (): Record<string, string> => ({})],
    [
      'a revoked PAT',
      () => {
        const pat = standin.mintPat()
        standin.revokePat(pat)
        return bearer(pat)
      }
    ],
    ['a garbage Bearer', () => bearer('not-a-token')]
  ])('answers an anonymous create (%s) with the Status 401', async (_label, auth) => {
    const headers = auth()
    const before = standin.listPats().length
    const reply = await createToken(standin, headers, { name: 'x', expirationDuration: 1 })
    expect(reply.status).toBe(401)
    expect(reply.headers['x-ausername']).toBe('anonymous')
    expect(reply.body).toBe(ANONYMOUS_401)
    expect(standin.listPats()).toHaveLength(before)
  })

  const illegal = (error: string) => ({ exception: 'java.lang.IllegalArgumentException', error })
  it.each([
    ['no name', { expirationDuration: 30 }, illegal('Token name cannot be empty.')],
    [
      'a blank name',
      { name: '   ', expirationDuration: 30 },
      illegal('Token name cannot be empty.')
    ],
    [
      'a 41-character name',
      { name: 'n'.repeat(41), expirationDuration: 30 },
      illegal('Token name cannot be longer than 40 characters.')
    ],
    [
      'a duration of 0',
      { name: 'x', expirationDuration: 0 },
      illegal('Token expiration must be at least 1 day.')
    ],
    [
      'a negative duration',
      { name: 'x', expirationDuration: -5 },
      illegal('Token expiration must be at least 1 day.')
    ],
    [
      'a duration above the maximum',
      { name: 'x', expirationDuration: 366 },
      illegal('Token expiration cannot be longer than 365 days.')
    ]
  ])('refuses %s with 400 and the RestValidator message', async (_label, body, expected) => {
    const reply = await createToken(standin, bearer(freshUser().pat), body)
    expect(reply.status).toBe(400)
    expect(reply.headers['content-type']).toBe('application/json;charset=UTF-8')
    expect(parse(reply)).toEqual(expected)
  })

  it('accepts the limits themselves: a 40-character name, 365 days', async () => {
    const reply = await createToken(standin, bearer(freshUser().pat), {
      name: 'n'.repeat(40),
      expirationDuration: 365
    })
    expect(reply.status).toBe(201)
  })

  it('honours patMaxExpiryDays, patEternalAllowed and patMaxTokensPerUser, and reset() restores them', async () => {
    const caller = freshUser().pat
    standin.set({ patMaxExpiryDays: 90, patEternalAllowed: false, patMaxTokensPerUser: 3 })
    expect(
      parse(await createToken(standin, bearer(caller), { name: 'x', expirationDuration: 91 })).error
    ).toBe('Token expiration cannot be longer than 90 days.')
    const eternal = await createToken(standin, bearer(caller), { name: 'x' })
    expect(eternal.status).toBe(400)
    expect(parse(eternal).error).toBe('Tokens without an expiration date are not allowed.')

    expect(
      (await createToken(standin, bearer(caller), { name: 'two', expirationDuration: 5 })).status
    ).toBe(201)
    expect(
      (await createToken(standin, bearer(caller), { name: 'three', expirationDuration: 5 })).status
    ).toBe(201)
    // The limit is checked before the eternal-token rule, as RestValidator orders them.
    const full = await createToken(standin, bearer(caller), { name: 'four' })
    expect(full.status).toBe(403)
    expect(parse(full)).toEqual({
      exception: 'com.atlassian.pats.exception.UserTokenLimitExceededException',
      error: "You can't create more than 3 tokens."
    })

    standin.reset()
    expect(standin.settings).toMatchObject({
      patMaxExpiryDays: 365,
      patMaxTokensPerUser: 10,
      patEternalAllowed: true
    })
  })

  it('counts the tokens still stored: expired ones until pruned, revoked ones not', async () => {
    standin.addUser({ name: 'counter', password: 'pw' })
    standin.set({ patMaxTokensPerUser: 2 })
    standin.mintPat({ user: 'counter', expiresInDays: -3 })
    standin.revokePat(standin.mintPat({ user: 'counter' }))
    standin.mintPat({ user: 'counter', expiresInDays: -40 })
    const auth = basic('counter', 'pw')
    expect((await createToken(standin, auth, { name: 'a', expirationDuration: 1 })).status).toBe(
      201
    )
    expect((await createToken(standin, auth, { name: 'b', expirationDuration: 1 })).status).toBe(
      403
    )
  })

  it('refuses a create while PATs are disabled (Basic still logs in), and 404s before 8.14', async () => {
    standin.set({ patsEnabled: false })
    const disabled = await createToken(standin, freshUser().basic, {
      name: 'x',
      expirationDuration: 1
    })
    expect(disabled.status).toBe(400)
    expect(parse(disabled)).toEqual(illegal('Personal access tokens are disabled.'))
    standin.set({ patsEnabled: true, version: '8.13.0' })
    const old = await createToken(standin, freshUser().basic, { name: 'x' })
    expect(old.status).toBe(404)
  })

  it('reads the body as Jersey and Jackson would', async () => {
    const auth = bearer(freshUser().pat)
    const post = (headers: Record<string, string>, body: string) =>
      send(standin, 'POST', '/rest/pat/latest/tokens', { headers: { ...auth, ...headers }, body })

    const xsrf = await post({ 'Content-Type': 'text/plain' }, '{"name":"x"}')
    expect(xsrf.status).toBe(403)
    expect(xsrf.body).toBe('XSRF check failed')
    expect(
      (await post({ 'Content-Type': 'text/plain', 'X-Atlassian-Token': 'no-check' }, '{}')).status
    ).toBe(415)

    const broken = await post(JSON_BODY, '{"name":')
    expect(broken.status).toBe(400)
    expect(parse(broken).exception).toBe('org.codehaus.jackson.JsonParseException')
    const empty = await post(JSON_BODY, '')
    expect(parse(empty)).toEqual({
      exception: 'org.codehaus.jackson.map.JsonMappingException',
      error: 'No content to map to Object due to end of input'
    })
    const nothing = await post(JSON_BODY, 'null')
    expect(nothing.status).toBe(500)
    expect(parse(nothing)).toEqual({
      error: 'The server could not perform this operation - please check Application logs'
    })
    // Jackson coerces numeric text and numbers to the field types.
    const coerced = await post(JSON_BODY, '{"name":42,"expirationDuration":"7"}')
    expect(coerced.status).toBe(201)
    expect(parse(coerced).name).toBe('42')
    expect(standin.requests.find((r) => r.body === '{"name":')?.endpoint).toBe('tokens-create')
  })

  it('revokes with 204: the PAT stops authenticating and leaves the list', async () => {
    const caller = standin.mintPat({ name: 'caller' })
    const victim = standin.mintPat({ name: 'victim' })
    const id = standin.listPats().find((p) => p.raw === victim)!.id
    const reply = await send(standin, 'DELETE', `/rest/pat/latest/tokens/${id}`, {
      headers: bearer(caller)
    })
    expect(reply.status).toBe(204)
    expect(reply.body).toBe('')
    expect(reply.headers['content-length']).toBeUndefined()
    expect(reply.headers['content-type']).toBeUndefined()
    const myself = await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(victim) })
    expect(myself.status).toBe(401)
    expect(myself.body).toBe(ANONYMOUS_401)
    const list = await send(standin, 'GET', '/rest/pat/latest/tokens', { headers: bearer(caller) })
    expect((JSON.parse(list.body) as Array<{ id: number }>).map((t) => t.id)).not.toContain(id)
    expect(standin.listPats().find((p) => p.id === id)?.revoked).toBe(true)
    const logged = standin.requests.find((r) => r.endpoint === 'tokens-revoke')
    expect(logged?.method).toBe('DELETE')
    expect(logged?.path).toBe(`/rest/pat/latest/tokens/${id}`)
  })

  it('answers 204 when nothing matched, and a PAT may revoke itself', async () => {
    const self = standin.mintPat()
    expect(
      (await send(standin, 'DELETE', '/rest/pat/latest/tokens/999999', { headers: bearer(self) }))
        .status
    ).toBe(204)
    const id = standin.listPats().find((p) => p.raw === self)!.id
    expect(
      (await send(standin, 'DELETE', `/rest/pat/1.0/tokens/${id}`, { headers: bearer(self) }))
        .status
    ).toBe(204)
    expect(
      (await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(self) })).status
    ).toBe(401)
  })

  it('refuses an anonymous revoke with 401, and someone else’s token unless an admin asks', async () => {
    standin.addUser({ name: 'other', password: 'pw' })
    const theirs = standin.mintPat({ user: 'other' })
    const id = standin.listPats().find((p) => p.raw === theirs)!.id
    const anonymous = await send(standin, 'DELETE', `/rest/pat/latest/tokens/${id}`)
    expect(anonymous.status).toBe(401)
    expect(anonymous.body).toBe(ANONYMOUS_401)

    const mine = bearer(standin.mintPat())
    const refused = await send(standin, 'DELETE', `/rest/pat/latest/tokens/${id}`, {
      headers: mine
    })
    expect(refused.status).toBe(401)
    expect(parse(refused)).toEqual({
      exception: 'com.atlassian.sal.api.permission.AuthorisationException',
      error: 'User: [JIRAUSER10100] has no access to token!'
    })
    expect(
      (await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(theirs) })).status
    ).toBe(200)

    standin.set({ permissions: { ...standin.settings.permissions, ADMINISTER: true } })
    expect(
      (await send(standin, 'DELETE', `/rest/pat/latest/tokens/${id}`, { headers: mine })).status
    ).toBe(204)
    expect(
      (await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(theirs) })).status
    ).toBe(401)
  })

  it('lets a fault refuse a create: nothing is created, and the next create works', async () => {
    const caller = freshUser().pat
    const before = standin.listPats().length
    standin.set({ fault: { type: 'status', paths: ['tokens-create'], status: 403, times: 1 } })
    const refused = await createToken(standin, bearer(caller), { name: 'x', expirationDuration: 1 })
    expect(refused.status).toBe(403)
    expect(parse(refused)).toEqual({
      exception: 'com.atlassian.pats.exception.UserTokenLimitExceededException',
      error: "You can't create more than 10 tokens."
    })
    expect(standin.listPats()).toHaveLength(before)
    expect(standin.requests[0]).toMatchObject({ endpoint: 'tokens-create', fault: 'status' })
    expect(standin.requests[0].body).toEqual({ name: 'x', expirationDuration: 1 })
    // The list is a different endpoint: the fault does not touch it.
    expect(
      (await send(standin, 'GET', '/rest/pat/latest/tokens', { headers: bearer(caller) })).status
    ).toBe(200)
    expect(
      (await createToken(standin, bearer(caller), { name: 'x', expirationDuration: 1 })).status
    ).toBe(201)
  })

  it('lets a fault fail a create with the plugin’s 500, or a revoke with any body', async () => {
    const caller = freshUser().pat
    standin.set({ fault: { type: 'status', paths: ['tokens-create'], status: 500 } })
    const failed = await createToken(standin, bearer(caller), { name: 'x', expirationDuration: 1 })
    expect(failed.status).toBe(500)
    expect(parse(failed)).toEqual({
      error: 'The server could not perform this operation - please check Application logs'
    })

    const id = standin.listPats().find((p) => p.raw === caller)!.id
    standin.set({
      fault: {
        type: 'status',
        paths: ['tokens-revoke'],
        status: 500,
        body: 'boom',
        headers: { 'X-Trace': 'fault' }
      }
    })
    const revoke = await send(standin, 'DELETE', `/rest/pat/latest/tokens/${id}`, {
      headers: bearer(caller)
    })
    expect(revoke.status).toBe(500)
    expect(revoke.body).toBe('boom')
    expect(revoke.headers['x-trace']).toBe('fault')
    expect(
      (await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(caller) })).status
    ).toBe(200)
  })
})

describe('Jira stand-in, Data Center service accounts (OAuth 2.0 client credentials)', () => {
  let standin: Standin
  beforeAll(async () => {
    standin = await startStandin({ contextPath: '/jira' })
  })
  afterAll(async () => {
    await standin.close()
  })
  beforeEach(() => standin.reset())

  const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
  function exchange(fields: Record<string, string>, headers: Record<string, string> = FORM) {
    return send(standin, 'POST', '/rest/oauth2/latest/token', {
      headers,
      body: new URLSearchParams(fields).toString()
    })
  }
  const grant = (credentials: { clientId: string; clientSecret: string }, scope?: string) => ({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    ...(scope === undefined ? {} : { scope })
  })
  async function accessToken(credentials: { clientId: string; clientSecret: string }) {
    const reply = await exchange(grant(credentials, 'READ'))
    expect(reply.status).toBe(200)
    return String(parse(reply).access_token)
  }

  let counter = 0
  const uniqueName = () => `svc-${++counter}`

  it('exchanges client credentials for an opaque one-hour Bearer token, no refresh token', async () => {
    const credentials = standin.addServiceAccount({ name: uniqueName() })
    const reply = await exchange(grant(credentials, 'READ'))
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('application/json;charset=UTF-8')
    expect(reply.headers['cache-control']).toBe('no-store')
    const body = parse(reply)
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type'])
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'READ' })
    expect(body.access_token).not.toMatch(PAT_SHAPE)
    const logged = standin.requests.find((r) => r.endpoint === 'oauth-token')
    expect(logged?.method).toBe('POST')
    expect(logged?.path).toBe('/jira/rest/oauth2/latest/token')
    expect(logged?.body).toMatchObject({ grant_type: 'client_credentials', scope: 'READ' })
  })

  it('answers /rest/api/2/myself for the account, without e-mail or password', async () => {
    const name = uniqueName()
    const token = await accessToken(
      standin.addServiceAccount({ name, displayName: 'Deploy Service' })
    )
    const reply = await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(token) })
    expect(reply.status).toBe(200)
    expect(reply.headers['x-ausername']).toBe(name)
    const body = parse(reply)
    expect(body).toMatchObject({ name, displayName: 'Deploy Service', active: true })
    expect(body.key).toMatch(/^JIRAUSER\d+$/)
    expect(body).not.toHaveProperty('password')
    expect(body).not.toHaveProperty('emailAddress')
    expect(body.groups).toEqual({ size: 0, items: [] })
  })

  it('accepts the token only on /rest/api/2/*: /rest/pat treats it as anonymous', async () => {
    const token = await accessToken(standin.addServiceAccount({ name: uniqueName() }))
    const tokens = await send(standin, 'GET', '/rest/pat/latest/tokens', { headers: bearer(token) })
    expect(tokens.status).toBe(401)
    expect(tokens.body).toBe(ANONYMOUS_401)
    const create = await createToken(standin, bearer(token), { name: 'x', expirationDuration: 1 })
    expect(create.status).toBe(401)
  })

  it('honours the global permission settings in mypermissions, also when /myself is refused', async () => {
    const token = await accessToken(
      standin.addServiceAccount({ name: uniqueName(), myself: 'refused' })
    )
    const myself = await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(token) })
    expect(myself.status).toBe(401)
    expect(myself.headers['x-ausername']).toBe('anonymous')
    expect(myself.body).toBe(ANONYMOUS_401)

    const check = async () => {
      const reply = await send(standin, 'GET', '/rest/api/2/mypermissions?projectKey=ABC', {
        headers: bearer(token)
      })
      const { permissions } = JSON.parse(reply.body) as {
        permissions: Record<string, { havePermission: boolean }>
      }
      return [permissions.BROWSE_PROJECTS.havePermission, permissions.ADMINISTER.havePermission]
    }
    expect(await check()).toEqual([true, false])
    standin.set({ permissions: { ...standin.settings.permissions, ADMINISTER: true } })
    expect(await check()).toEqual([true, true])
  })

  it('grants every scope the account holds when none is asked for, and refuses one it lacks', async () => {
    const both = standin.addServiceAccount({ name: uniqueName(), scopes: ['READ', 'WRITE'] })
    const all = await exchange(grant(both))
    expect(parse(all).scope).toBe('READ WRITE')
    const readOnly = standin.addServiceAccount({ name: uniqueName() })
    const refused = await exchange(grant(readOnly, 'WRITE'))
    expect(refused.status).toBe(400)
    expect(parse(refused).error).toBe('invalid_scope')
  })

  type Fields = ReturnType<typeof grant>
  it.each([
    [
      'a wrong secret',
      401,
      'invalid_client',
      (f: Fields) => exchange({ ...f, client_secret: 'x' })
    ],
    ['an unknown client', 401, 'invalid_client', (f: Fields) => exchange({ ...f, client_id: 'x' })],
    [
      'another grant type',
      400,
      'unsupported_grant_type',
      (f: Fields) => exchange({ ...f, grant_type: 'password' })
    ],
    [
      'a JSON body',
      400,
      'invalid_request',
      (f: Fields) =>
        send(standin, 'POST', '/rest/oauth2/latest/token', {
          headers: JSON_BODY,
          body: JSON.stringify(f)
        })
    ],
    [
      'no grant type',
      400,
      'invalid_request',
      (f: Fields) => exchange({ client_id: f.client_id, client_secret: f.client_secret })
    ]
  ])('refuses %s with %i %s', async (_label, status, error, attempt) => {
    const reply = await attempt(grant(standin.addServiceAccount({ name: uniqueName() }), 'READ'))
    expect(reply.status).toBe(status)
    expect(parse(reply).error).toBe(error)
    expect(typeof parse(reply).error_description).toBe('string')
  })

  it('counts failed exchanges and bad access tokens toward no CAPTCHA', async () => {
    const name = uniqueName()
    const credentials = standin.addServiceAccount({ name })
    for (let i = 0; i < 5; i++) {
      expect((await exchange({ ...grant(credentials), client_secret: 'nope' })).status).toBe(401)
      expect(
        (await send(standin, 'GET', '/rest/api/2/myself', { headers: bearer('not-issued') })).status
      ).toBe(401)
    }
    expect(standin.failedLoginCount(name)).toBe(0)
    expect(standin.failedLoginCount(credentials.clientId)).toBe(0)
    expect((await exchange(grant(credentials))).status).toBe(200)
  })

  it('stops exchanges after revokeClientCredentials, and tokens after expireAccessTokens', async () => {
    const credentials = standin.addServiceAccount({ name: uniqueName() })
    const token = await accessToken(credentials)
    standin.revokeClientCredentials(credentials.clientId)
    const revoked = await exchange(grant(credentials))
    expect(revoked.status).toBe(401)
    expect(parse(revoked).error).toBe('invalid_client')
    // An access token already issued lives on until it expires.
    const myself = () => send(standin, 'GET', '/rest/api/2/myself', { headers: bearer(token) })
    expect((await myself()).status).toBe(200)
    standin.expireAccessTokens()
    expect((await myself()).status).toBe(401)
  })

  it('answers other methods with 405, and refuses names that are taken', async () => {
    const reply = await send(standin, 'GET', '/rest/oauth2/latest/token')
    expect(reply.status).toBe(405)
    expect(reply.headers.allow).toBe('POST,OPTIONS')
    expect(() => standin.addServiceAccount({ name: 'ci-bot' })).toThrow('taken')
  })

  it('has no instance token endpoint on Cloud', async () => {
    const cloud = await startStandin({ platform: 'cloud' })
    try {
      const reply = await send(cloud, 'POST', '/rest/oauth2/latest/token', {
        headers: FORM,
        body: 'grant_type=client_credentials'
      })
      expect(reply.status).toBe(404)
      expect(cloud.requests[0].endpoint).toBe('oauth-token')
    } finally {
      await cloud.close()
    }
  })
})
