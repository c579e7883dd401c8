import { describe, it, expect } from '@jest/globals'
import type { JiraRequest, ProbeResult, RequestOptions } from '../../src/engine/jira/client.js'
import { PATHS, permissionsPath } from '../../src/engine/jira/endpoints.js'
import { runProbes } from '../../src/engine/probes.js'
import type { Settings } from '../../src/engine/settings/parse.js'
import { probe, response, transportError } from '../../__fixtures__/probes.js'
import { settingsFor as fixture } from '../../__fixtures__/settings.js'

/** The plans below are the credential's own: the token policy (its default is warn) is off here. */
const settingsFor = (overrides: Partial<Settings> = {}): Settings =>
  fixture({ tokenPolicy: 'off', ...overrides })

const BASE = 'https://jira.example.com'

const basic = (overrides: Partial<Settings> = {}): Settings =>
  settingsFor({
    username: 'ci-bot@example.com',
    token: 'apitoken',
    authScheme: 'basic',
    ...overrides
  })

interface Call {
  target: string
  options: RequestOptions | undefined
  /** How many earlier calls had resolved when this one started. */
  resolvedBefore: number
}

type Route = ProbeResult | ((target: string, options: RequestOptions | undefined) => ProbeResult)

const CLOUD_ID = '1324a887-45db-1bf4-1e99-ef0ff456d421'
const SITE = 'https://acme.atlassian.net'
const GATEWAY = `https://api.atlassian.com/ex/jira/${CLOUD_ID}`
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYSJ9.c2lnbmF0dXJl'

/**
 * A fake JiraRequest: answers by route after a macrotask, and records every call with how many
 * calls had resolved before it started, which tells a concurrent wave from a sequence. A route is
 * a path below the base (query ignored), or an absolute URL (the gateway, a token endpoint).
 */
function fakeJira(routes: Record<string, Route> = {}, base = BASE) {
  const calls: Call[] = []
  let resolved = 0
  const ok = (url: string): ProbeResult => probe(response(200, {}), url)
  const request: JiraRequest = async (target, options) => {
    calls.push({ target, options, resolvedBefore: resolved })
    await new Promise((resolve) => setImmediate(resolve))
    resolved++
    const key = target.split('?')[0]
    const url = key.startsWith('/') ? `${base}${key}` : key
    const route =
      routes[key] ??
      routes[url] ??
      (Object.values(PATHS).includes(key as never) ? ok(url) : undefined)
    if (!route) throw new Error(`unexpected request for ${target}`)
    return typeof route === 'function' ? route(target, options) : route
  }
  return { request, calls, paths: () => calls.map((call) => call.target.split('?')[0]) }
}

const masked: string[] = []
const deps = (fake: ReturnType<typeof fakeJira>) => ({
  request: fake.request,
  mask: (secret: string) => void masked.push(secret)
})

describe('permissionsPath', () => {
  it.each([
    [
      { requiredPermissions: ['BROWSE_PROJECTS', 'CREATE_ISSUES'], project: 'ABC' },
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS%2CCREATE_ISSUES'
    ],
    [
      { requiredPermissions: ['ADD_COMMENTS'], project: '10000' },
      '/rest/api/2/mypermissions?projectId=10000&permissions=ADD_COMMENTS'
    ],
    [
      { requiredPermissions: [], project: 'ABC' },
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
    ],
    [
      { requiredPermissions: ['BROWSE_PROJECTS'], project: '' },
      '/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS'
    ]
  ])('%j → %s', (input, path) => {
    expect(permissionsPath(input.requiredPermissions, input.project)).toBe(path)
  })
})

describe('runProbes: Bearer', () => {
  it('sends myself, serverInfo (anonymous), tokens and mypermissions all at once', async () => {
    const fake = fakeJira()
    const answers = await runProbes(
      settingsFor({ requiredPermissions: ['BROWSE_PROJECTS'] }),
      deps(fake)
    )
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tokens,
      PATHS.myPermissions
    ])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 0, 0])
    expect(fake.calls[0].options).toBeUndefined()
    expect(fake.calls[1].options).toEqual({ auth: 'none' })
    expect(fake.calls[2].options).toBeUndefined()
    expect(fake.calls[3].options).toBeUndefined()
    expect(fake.calls[3].target).toBe('/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS')
    expect(answers.myself?.url).toBe(`${BASE}${PATHS.myself}`)
    expect(answers.serverInfo?.url).toBe(`${BASE}${PATHS.serverInfo}`)
    expect(answers.tokens?.url).toBe(`${BASE}${PATHS.tokens}`)
    expect(answers.permissions?.url).toBe(`${BASE}${PATHS.myPermissions}`)
    expect(answers).toMatchObject({ apiBase: BASE, viaGateway: false, cloud: false })
  })

  it('skips mypermissions without permissions or project', async () => {
    const fake = fakeJira()
    const answers = await runProbes(settingsFor(), deps(fake))
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.tokens])
    expect(answers.permissions).toBeUndefined()
  })

  it('skips the token list when token-expires-on alone says all there is to know', async () => {
    const fake = fakeJira()
    const answers = await runProbes(
      settingsFor({ tokenExpiresOn: new Date('2026-12-01T00:00:00Z') }),
      deps(fake)
    )
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    expect(answers.tokens).toBeUndefined()
  })

  it('still reads the token list with token-expires-on and token-name', async () => {
    const fake = fakeJira()
    await runProbes(
      settingsFor({ tokenExpiresOn: new Date('2026-12-01T00:00:00Z'), tokenName: 'ci' }),
      deps(fake)
    )
    expect(fake.paths()).toContain(PATHS.tokens)
  })

  it('still sends the whole wave when /myself is refused: a PAT cannot lock the account', async () => {
    const fake = fakeJira({ [PATHS.myself]: probe(response(401, '')) })
    const answers = await runProbes(settingsFor({ project: 'ABC' }), deps(fake))
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tokens,
      PATHS.myPermissions
    ])
    expect(answers.myself?.outcome).toMatchObject({ status: 401 })
  })

  it('on the gateway sends serverInfo with the credential and reads no PAT list', async () => {
    const fake = fakeJira({}, GATEWAY)
    const answers = await runProbes(
      settingsFor({ baseUrl: GATEWAY, gateway: true, cloudId: CLOUD_ID }),
      deps(fake)
    )
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    expect(fake.calls[1].options).toEqual({})
    expect(answers).toMatchObject({ viaGateway: true, cloudId: CLOUD_ID, cloud: true })
  })
})

const cloudBasic = (overrides: Partial<Settings> = {}): Settings =>
  basic({ baseUrl: SITE, ...overrides })
const tenantInfo = probe(response(200, { cloudId: CLOUD_ID }), `${SITE}${PATHS.tenantInfo}`)
const cloudServerInfo = probe(response(200, { deploymentType: 'Cloud' }))

describe('runProbes: Basic', () => {
  it('sends myself with an anonymous serverInfo, then mypermissions once /myself worked; never tokens', async () => {
    const fake = fakeJira()
    const answers = await runProbes(basic({ project: 'ABC' }), deps(fake))
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.myPermissions])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 2])
    expect(fake.calls[0].options).toBeUndefined()
    expect(fake.calls[1].options).toEqual({ auth: 'none' })
    expect(fake.calls[2].target).toBe(
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS'
    )
    expect(answers.tokens).toBeUndefined()
    expect(answers.permissions).toBeDefined()
    expect(answers).toMatchObject({ apiBase: BASE, viaGateway: false })
  })

  it('after a refused /myself on Data Center sends nothing more: no second failed login', async () => {
    const fake = fakeJira({
      [PATHS.myself]: probe(response(401, '')),
      [PATHS.serverInfo]: probe(response(200, { deploymentType: 'Server' }))
    })
    const answers = await runProbes(basic({ requiredPermissions: ['BROWSE_PROJECTS'] }), deps(fake))
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    expect(answers.serverInfo).toBeDefined()
    expect(answers.permissions).toBeUndefined()
    expect(answers.gateway).toBeUndefined()
  })

  it.each([302, 403, 503])(
    'after /myself answered %d sends no authenticated request',
    async (status) => {
      const fake = fakeJira({ [PATHS.myself]: probe(response(status, '')) })
      await runProbes(basic({ project: 'ABC' }), deps(fake))
      expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    }
  )

  it('with /myself unreachable sends nothing after the first wave', async () => {
    const fake = fakeJira({ [PATHS.myself]: probe(transportError('ECONNREFUSED')) })
    const answers = await runProbes(basic({ project: 'ABC' }), deps(fake))
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo])
    expect(answers.permissions).toBeUndefined()
  })

  it('on a Cloud site asks tenant_info for the cloudId alongside, anonymously', async () => {
    const fake = fakeJira({ [PATHS.tenantInfo]: tenantInfo }, SITE)
    const answers = await runProbes(cloudBasic(), deps(fake))
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.tenantInfo])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 0])
    expect(fake.calls[2].options).toEqual({ auth: 'none' })
    expect(answers).toMatchObject({
      cloudId: CLOUD_ID,
      cloud: true,
      viaGateway: false,
      apiBase: SITE
    })
  })

  it('after a Cloud site refused, tries /myself once through the gateway, then permissions there', async () => {
    const fake = fakeJira(
      {
        [PATHS.myself]: probe(response(401, '')),
        [PATHS.tenantInfo]: tenantInfo,
        [`${GATEWAY}${PATHS.myself}`]: probe(response(200, {}), `${GATEWAY}${PATHS.myself}`),
        [`${GATEWAY}${PATHS.myPermissions}`]: probe(response(200, {}))
      },
      SITE
    )
    const answers = await runProbes(cloudBasic({ project: 'ABC' }), deps(fake))
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tenantInfo,
      `${GATEWAY}${PATHS.myself}`,
      `${GATEWAY}${PATHS.myPermissions}`
    ])
    // The same Basic credential, the client's own, to the gateway; one attempt there, then the rest.
    expect(fake.calls[3].options).toBeUndefined()
    expect(fake.calls[4].resolvedBefore).toBe(4)
    expect(answers).toMatchObject({
      viaGateway: true,
      apiBase: GATEWAY,
      cloudId: CLOUD_ID,
      gateway: { url: `${GATEWAY}${PATHS.myself}`, outcome: '200' }
    })
    expect(answers.siteMyself?.outcome).toMatchObject({ status: 401 })
  })

  it('when the gateway refuses too, says so and sends nothing more', async () => {
    const fake = fakeJira(
      {
        [PATHS.myself]: probe(response(401, '')),
        [PATHS.tenantInfo]: tenantInfo,
        [`${GATEWAY}${PATHS.myself}`]: probe(response(401, { code: 401, message: 'Unauthorized' }))
      },
      SITE
    )
    const answers = await runProbes(cloudBasic({ project: 'ABC' }), deps(fake))
    expect(fake.paths()).toHaveLength(4)
    expect(answers).toMatchObject({ viaGateway: false, apiBase: SITE, gateway: { outcome: '401' } })
  })

  it('with cloud-id given asks no tenant_info', async () => {
    const fake = fakeJira(
      {
        [PATHS.myself]: probe(response(401, '')),
        [`${GATEWAY}${PATHS.myself}`]: probe(response(200, {}))
      },
      SITE
    )
    const answers = await runProbes(cloudBasic({ cloudId: CLOUD_ID }), deps(fake))
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, `${GATEWAY}${PATHS.myself}`])
    expect(answers.viaGateway).toBe(true)
  })

  it('without a cloudId says why the gateway was not tried', async () => {
    const fake = fakeJira(
      {
        [PATHS.myself]: probe(response(401, '')),
        [PATHS.tenantInfo]: probe(response(404, 'Not Found'))
      },
      SITE
    )
    const answers = await runProbes(cloudBasic(), deps(fake))
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.tenantInfo])
    expect(answers.gateway?.skipped).toBe(
      'the site did not say its cloudId (/_edge/tenant_info: 404)'
    )
  })

  it('takes only a UUID from tenant_info: anything else is no cloudId', async () => {
    const fake = fakeJira(
      {
        [PATHS.myself]: probe(response(401, '')),
        [PATHS.tenantInfo]: probe(response(200, { cloudId: 'evil.example/../x' }))
      },
      SITE
    )
    const answers = await runProbes(cloudBasic(), deps(fake))
    expect(fake.paths()).not.toContain(expect.stringContaining('api.atlassian.com'))
    expect(answers.cloudId).toBeUndefined()
  })

  it('on a custom domain that says nothing, asks tenant_info after a 401 and follows a cloudId', async () => {
    const fake = fakeJira({
      [PATHS.myself]: probe(response(401, '')),
      [PATHS.serverInfo]: probe(transportError('ECONNRESET')),
      [PATHS.tenantInfo]: probe(response(200, { cloudId: CLOUD_ID })),
      [`${GATEWAY}${PATHS.myself}`]: probe(response(200, {}))
    })
    const answers = await runProbes(basic(), deps(fake))
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tenantInfo,
      `${GATEWAY}${PATHS.myself}`
    ])
    expect(fake.calls[2].resolvedBefore).toBe(2)
    expect(answers).toMatchObject({ viaGateway: true, cloud: true })
  })

  it('on a Cloud site that serverInfo names Cloud, goes to the gateway too', async () => {
    const fake = fakeJira({
      [PATHS.myself]: probe(response(401, '')),
      [PATHS.serverInfo]: cloudServerInfo,
      [PATHS.tenantInfo]: probe(response(200, { cloudId: CLOUD_ID })),
      [`${GATEWAY}${PATHS.myself}`]: probe(response(401, ''))
    })
    const answers = await runProbes(basic(), deps(fake))
    expect(fake.paths()).toContain(`${GATEWAY}${PATHS.myself}`)
    expect(answers.gateway?.outcome).toBe('401')
  })
})

const TOKEN_ANSWER = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 }
const client = (overrides: Partial<Settings> = {}): Settings =>
  settingsFor({
    token: '',
    authScheme: 'client-credentials',
    clientId: 'client-1',
    clientSecret: 'secret-1',
    ...overrides
  })

describe('runProbes: client credentials', () => {
  it('on Cloud: the exchange at auth.atlassian.com, then the gateway as the access token', async () => {
    masked.length = 0
    const cloudToken = 'https://auth.atlassian.com/oauth/token'
    const seenMasked: number[] = []
    const fake = fakeJira(
      {
        [cloudToken]: probe(response(200, TOKEN_ANSWER), cloudToken),
        [PATHS.tenantInfo]: tenantInfo,
        [`${GATEWAY}${PATHS.myself}`]: () => {
          seenMasked.push(masked.length)
          return probe(response(200, {}))
        },
        [`${GATEWAY}${PATHS.myPermissions}`]: probe(response(200, {}))
      },
      SITE
    )
    const answers = await runProbes(client({ baseUrl: SITE, project: 'ABC' }), deps(fake))
    expect(fake.paths()).toEqual([
      cloudToken,
      PATHS.tenantInfo,
      PATHS.serverInfo,
      `${GATEWAY}${PATHS.myself}`,
      `${GATEWAY}${PATHS.myPermissions}`
    ])
    const exchange = fake.calls[0]
    expect(exchange.options).toMatchObject({ method: 'POST', auth: 'none' })
    expect(exchange.options?.body?.contentType).toBe('application/json')
    expect(JSON.parse(exchange.options?.body?.text ?? '')).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'secret-1'
    })
    // Masked before it was first used.
    expect(masked).toContain(ACCESS_TOKEN)
    expect(seenMasked[0]).toBeGreaterThan(0)
    for (const call of fake.calls.slice(3)) {
      expect(call.options).toEqual({ auth: { authorization: `Bearer ${ACCESS_TOKEN}` } })
      expect(call.resolvedBefore).toBe(3)
    }
    expect(answers).toMatchObject({
      viaGateway: true,
      apiBase: GATEWAY,
      cloudId: CLOUD_ID,
      accessToken: { token: ACCESS_TOKEN, expiresIn: 3600 }
    })
  })

  it('a refused exchange sends nothing more, and is sent once', async () => {
    const cloudToken = 'https://auth.atlassian.com/oauth/token'
    const fake = fakeJira(
      {
        [cloudToken]: probe(response(401, { error: 'access_denied' })),
        [PATHS.tenantInfo]: tenantInfo
      },
      SITE
    )
    const answers = await runProbes(client({ baseUrl: SITE }), deps(fake))
    expect(fake.paths().filter((path) => path === cloudToken)).toHaveLength(1)
    expect(fake.paths()).not.toContain(`${GATEWAY}${PATHS.myself}`)
    expect(answers.myself).toBeUndefined()
    expect(answers.accessToken).toBeUndefined()
  })

  it('masks an access token even in an answer it cannot use', async () => {
    masked.length = 0
    const cloudToken = 'https://auth.atlassian.com/oauth/token'
    const fake = fakeJira(
      { [cloudToken]: probe(response(200, { access_token: 'odd token!', token_type: 'mac' })) },
      SITE
    )
    const answers = await runProbes(client({ baseUrl: SITE, cloudId: CLOUD_ID }), deps(fake))
    expect(masked).toContain('odd token!')
    expect(answers.accessToken).toBeUndefined()
  })

  it('on Data Center: anonymous serverInfo and tenant_info first, then the Jira’s own token endpoint, form-encoded', async () => {
    const fake = fakeJira({
      [PATHS.serverInfo]: probe(response(200, { deploymentType: 'Server' })),
      [PATHS.tenantInfo]: probe(response(404, '')),
      [PATHS.oauthToken]: probe(response(200, TOKEN_ANSWER))
    })
    const answers = await runProbes(
      client({ requiredPermissions: ['BROWSE_PROJECTS'] }),
      deps(fake)
    )
    expect(fake.paths()).toEqual([
      PATHS.serverInfo,
      PATHS.tenantInfo,
      PATHS.oauthToken,
      PATHS.myself,
      PATHS.myPermissions
    ])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 2, 3, 3])
    expect(fake.calls[0].options).toEqual({ auth: 'none' })
    const exchange = fake.calls[2].options
    expect(exchange).toMatchObject({ method: 'POST', auth: 'none' })
    expect(exchange?.body?.contentType).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(exchange?.body?.text))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'secret-1'
    })
    expect(fake.calls[3].options).toEqual({ auth: { authorization: `Bearer ${ACCESS_TOKEN}` } })
    // A Data Center secret never goes to Atlassian.
    expect(fake.paths().join(' ')).not.toContain('atlassian.com')
    expect(answers).toMatchObject({ cloud: false, viaGateway: false, apiBase: BASE })
  })

  it('a custom domain that answers tenant_info is Cloud: the exchange goes to auth.atlassian.com', async () => {
    const cloudToken = 'https://auth.atlassian.com/oauth/token'
    const fake = fakeJira({
      [PATHS.serverInfo]: cloudServerInfo,
      [PATHS.tenantInfo]: probe(response(200, { cloudId: CLOUD_ID })),
      [cloudToken]: probe(response(200, TOKEN_ANSWER)),
      [`${GATEWAY}${PATHS.myself}`]: probe(response(200, {}))
    })
    const answers = await runProbes(client(), deps(fake))
    expect(fake.paths()).toEqual([
      PATHS.serverInfo,
      PATHS.tenantInfo,
      cloudToken,
      `${GATEWAY}${PATHS.myself}`
    ])
    expect(answers).toMatchObject({ cloud: true, cloudId: CLOUD_ID })
  })
})

describe('runProbes: the token policy adds no round trip', () => {
  const admin = 'ADMINISTER%2CSYSTEM_ADMIN'

  it('Bearer: the admin check is one mypermissions in the same wave, merged with required-permissions', async () => {
    const fake = fakeJira()
    await runProbes(
      fixture({ requiredPermissions: ['BROWSE_PROJECTS'], project: 'ABC' }),
      deps(fake)
    )
    expect(fake.paths()).toEqual([
      PATHS.myself,
      PATHS.serverInfo,
      PATHS.tokens,
      PATHS.myPermissions
    ])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 0, 0])
    expect(fake.calls[3].target).toBe(
      `/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS%2C${admin}`
    )
  })

  it('Bearer without permission gates: mypermissions asks for the admin keys alone', async () => {
    const fake = fakeJira()
    await runProbes(fixture(), deps(fake))
    expect(fake.calls.map((call) => call.target)).toContain(
      `/rest/api/2/mypermissions?permissions=${admin}`
    )
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 0, 0])
  })

  it('Bearer with token-expires-on alone still reads the PAT list, for the other tokens', async () => {
    const fake = fakeJira()
    await runProbes(fixture({ tokenExpiresOn: new Date('2026-12-01T00:00:00Z') }), deps(fake))
    expect(fake.paths()).toContain(PATHS.tokens)
  })

  it('Basic: the admin check goes after /myself, as permissions do', async () => {
    const fake = fakeJira()
    await runProbes(
      fixture({ username: 'ci-bot@example.com', token: 'apitoken', authScheme: 'basic' }),
      deps(fake)
    )
    expect(fake.paths()).toEqual([PATHS.myself, PATHS.serverInfo, PATHS.myPermissions])
    expect(fake.calls.map((call) => call.resolvedBefore)).toEqual([0, 0, 2])
  })

  it('off sends no policy request', async () => {
    const fake = fakeJira()
    await runProbes(fixture({ tokenPolicy: 'off' }), deps(fake))
    expect(fake.paths()).not.toContain(PATHS.myPermissions)
  })
})
