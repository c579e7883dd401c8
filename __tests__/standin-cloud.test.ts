import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile, spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { fileURLToPath } from 'node:url'
import { runAction } from '../test-support/run-action.mjs'
import {
  SCOPE_TABLE,
  leafFor,
  scopesCover,
  startAtlassianCloud,
  startConnectProxy,
  startStandin,
  type AtlassianCloud,
  type CloudStandin
} from '../test-support/standin/index.mjs'

// Every request here goes over real TLS through the real CONNECT proxy, addressed to the Atlassian
// name in CONNECT, SNI and Host, the way a client behind https_proxy sends it. Raw sockets on purpose:
// the client side stays byte-exact, and no name is ever resolved (the jest workers' lookup hook
// refuses every non-loopback name).

interface Reply {
  status: number
  headers: Record<string, string>
  body: string
}

interface Send {
  method?: string
  headers?: Record<string, string>
  body?: string
}

function openTunnel(proxyPort: number, host: string, auth?: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxyPort, '127.0.0.1', () => {
      const authLine = auth
        ? `Proxy-Authorization: Basic ${Buffer.from(auth).toString('base64')}\r\n`
        : ''
      socket.write(`CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n${authLine}\r\n`)
    })
    let head = ''
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onData)
      if (/^HTTP\/1\.1 200 /.test(head)) resolve(socket)
      else {
        socket.destroy()
        reject(new Error(`CONNECT ${host}: ${head.split('\r\n')[0]}`))
      }
    }
    socket.on('data', onData)
    socket.on('error', reject)
  })
}

function parseResponse(raw: Buffer): Reply {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.subarray(0, split).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0])?.[1] ?? 0)
  const headers: Record<string, string> = {}
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? raw.length - split - 4)
  return { status, headers, body: raw.subarray(split + 4, split + 4 + length).toString('utf8') }
}

async function through(
  world: { proxy: { port: number }; standin: { caCertPem: string } },
  host: string,
  path: string,
  send: Send = {}
): Promise<Reply> {
  const socket = await openTunnel(world.proxy.port, host)
  const body = send.body ?? ''
  const headers = {
    Host: host,
    Accept: 'application/json',
    ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
    ...send.headers,
    Connection: 'close'
  }
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ socket, servername: host, ca: world.standin.caCertPem }, () => {
      secure.write(`${send.method ?? 'GET'} ${path} HTTP/1.1\r\n${head}\r\n${body}`)
    })
    const chunks: Buffer[] = []
    secure.on('data', (chunk: Buffer) => chunks.push(chunk))
    secure.on('end', () => resolve(parseResponse(Buffer.concat(chunks))))
    secure.on('error', reject)
  })
}

const basic = (email: string, token: string) => ({
  Authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`
})
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
const parse = (reply: Reply) => JSON.parse(reply.body) as Record<string, unknown>
const CI_BOT = 'ci-bot@example.com'
const SITE = 'acme.atlassian.net'
const GATEWAY = 'api.atlassian.com'
const AUTH = 'auth.atlassian.com'
const CUSTOM = 'jira.acme-corp.example'
const SCOPE_MISMATCH = '{"code":401,"message":"Unauthorized; scope does not match"}'
const GATEWAY_401 = '{"code":401,"message":"Unauthorized"}'
const CLOUD_401 = 'Client must be authenticated to access this resource.'

describe('Cloud stand-in through the CONNECT proxy', () => {
  let world: AtlassianCloud
  let standin: CloudStandin
  let gw: string
  let strictGw: string
  beforeAll(async () => {
    world = await startAtlassianCloud({
      sites: [
        {
          host: SITE,
          cloudId: '11223344-a1b2-3b33-c444-def123456789',
          customDomain: CUSTOM
        },
        { host: 'strict.atlassian.net', classicTokens: false }
      ]
    })
    standin = world.standin
    gw = `/ex/jira/${standin.sites[0].cloudId}`
    strictGw = `/ex/jira/${standin.sites[1].cloudId}`
  })
  afterAll(async () => {
    await world.close()
  })
  beforeEach(() => standin.reset())

  const get = (host: string, path: string, headers: Record<string, string> = {}) =>
    through(world, host, path, { headers })

  describe('names, certificates and the proxy', () => {
    it('presents a certificate valid for every Cloud name, from the one CA', async () => {
      for (const host of [SITE, 'strict.atlassian.net', GATEWAY, AUTH, CUSTOM]) {
        const socket = await openTunnel(world.proxy.port, host)
        const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
          const secure = tls.connect({ socket, servername: host, ca: standin.caCertPem }, () => {
            resolve(secure.getPeerCertificate())
            secure.destroy()
          })
          secure.on('error', reject)
        })
        expect(peer.subjectaltname).toContain('DNS:*.atlassian.net')
        expect(peer.issuer.CN).toBe('Jira Stand-in Test CA')
      }
    })

    it('fails TLS for a name the certificate does not carry', async () => {
      const proxy = await startConnectProxy({
        hosts: { 'jira.other-corp.example': `127.0.0.1:${standin.port}` }
      })
      try {
        await expect(
          through({ proxy, standin }, 'jira.other-corp.example', '/rest/api/2/serverInfo')
        ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' })
      } finally {
        await proxy.close()
      }
    })

    it('leafFor signs extra names with the runtime CA', async () => {
      const leaf = new X509Certificate((await leafFor(['git.example.test', '10.9.8.7'])).certPem)
      expect(leaf.subjectAltName).toContain('DNS:git.example.test')
      expect(leaf.subjectAltName).toContain('IP Address:10.9.8.7')
      expect(leaf.subjectAltName).toContain('DNS:api.atlassian.com')
      expect(leaf.verify(new X509Certificate(standin.caCertPem).publicKey)).toBe(true)
    })

    it('maps names to a loopback port, keeps the address-only form, refuses the rest', async () => {
      await get(GATEWAY, `${gw}/rest/api/3/serverInfo`, basic(CI_BOT, standin.mintApiToken()))
      expect(world.proxy.connects.at(-1)).toEqual({
        target: 'api.atlassian.com:443',
        proxyAuthorization: undefined,
        status: 200,
        dialled: `127.0.0.1:${standin.port}`
      })

      const proxy = await startConnectProxy({
        hosts: { 'jira.standin.test': '127.0.0.1', 'far.example': '10.0.0.1:443' }
      })
      try {
        // The address-only form keeps the port the CONNECT asked for: 443, where nothing listens.
        await expect(openTunnel(proxy.port, 'jira.standin.test')).rejects.toThrow(/502/)
        const old = await new Promise<string>((resolve, reject) => {
          const socket = net.connect(proxy.port, '127.0.0.1', () =>
            socket.write(`CONNECT jira.standin.test:${standin.port} HTTP/1.1\r\n\r\n`)
          )
          socket.once('data', (chunk: Buffer) => {
            resolve(chunk.toString('latin1'))
            socket.destroy()
          })
          socket.on('error', reject)
        })
        expect(old).toMatch(/^HTTP\/1\.1 200 /)
        await expect(openTunnel(proxy.port, 'far.example')).rejects.toThrow(/502/)
        await expect(openTunnel(proxy.port, SITE)).rejects.toThrow(/502/)
        expect(proxy.connects.map((c) => [c.target, c.status, c.dialled])).toEqual([
          ['jira.standin.test:443', 502, '127.0.0.1:443'],
          [`jira.standin.test:${standin.port}`, 200, `127.0.0.1:${standin.port}`],
          ['far.example:443', 502, undefined],
          ['acme.atlassian.net:443', 502, undefined]
        ])
      } finally {
        await proxy.close()
      }
    })
  })

  describe('sites and the gateway', () => {
    it('answers tenant_info without credentials, on the site and its custom domain', async () => {
      for (const host of [SITE, CUSTOM]) {
        const reply = await get(host, '/_edge/tenant_info')
        expect(reply.status).toBe(200)
        expect(parse(reply)).toEqual({ cloudId: '11223344-a1b2-3b33-c444-def123456789' })
      }
      expect(parse(await get('strict.atlassian.net', '/_edge/tenant_info')).cloudId).toBe(
        standin.sites[1].cloudId
      )
      expect(standin.requests.map((r) => [r.endpoint, r.via, r.host, r.sni])).toEqual([
        ['tenant-info', 'site', SITE, SITE],
        ['tenant-info', 'site', CUSTOM, CUSTOM],
        ['tenant-info', 'site', 'strict.atlassian.net', 'strict.atlassian.net']
      ])
    })

    it('exposes sites, siteUrl and gatewayUrl', () => {
      expect(standin.sites[0]).toEqual({
        host: SITE,
        cloudId: '11223344-a1b2-3b33-c444-def123456789',
        url: 'https://acme.atlassian.net',
        customDomain: CUSTOM,
        classicTokens: true
      })
      expect(standin.sites[1].cloudId).toMatch(/^[0-9a-f-]{36}$/)
      expect(standin.siteUrl()).toBe('https://acme.atlassian.net')
      expect(standin.siteUrl(CUSTOM)).toBe(`https://${CUSTOM}`)
      expect(() => standin.siteUrl('nope.atlassian.net')).toThrow(/no site/)
      expect(standin.gatewayUrl()).toBe(
        'https://api.atlassian.com/ex/jira/11223344-a1b2-3b33-c444-def123456789'
      )
      expect(standin.gatewayUrl(standin.sites[1].cloudId)).toBe(
        `https://api.atlassian.com/ex/jira/${standin.sites[1].cloudId}`
      )
    })

    it('routes /ex/jira/{cloudId} to that site, with self links on the gateway', async () => {
      const token = standin.mintApiToken()
      const reply = await get(GATEWAY, `${gw}/rest/api/3/myself`, basic(CI_BOT, token))
      expect(reply.status).toBe(200)
      expect(parse(reply).self).toBe(
        `https://api.atlassian.com${gw}/rest/api/3/user?accountId=5b10a2844c20165700ede21g`
      )
      const info = await get(GATEWAY, `${strictGw}/rest/api/2/serverInfo`, basic(CI_BOT, token))
      expect(parse(info)).toMatchObject({
        baseUrl: 'https://strict.atlassian.net',
        deploymentType: 'Cloud'
      })
      const site = await get(SITE, '/rest/api/3/myself', basic(CI_BOT, token))
      expect(parse(site).self).toBe(
        'https://acme.atlassian.net/rest/api/3/user?accountId=5b10a2844c20165700ede21g'
      )
      expect(standin.requests.map((r) => [r.endpoint, r.via, r.cloudId, r.path])).toEqual([
        ['myself', 'gateway', standin.sites[0].cloudId, `${gw}/rest/api/3/myself`],
        ['serverInfo', 'gateway', standin.sites[1].cloudId, `${strictGw}/rest/api/2/serverInfo`],
        ['myself', 'site', standin.sites[0].cloudId, '/rest/api/3/myself']
      ])
    })

    it('404s an unknown cloudId and anything outside /ex/jira/', async () => {
      const auth = basic(CI_BOT, standin.mintApiToken())
      for (const path of [
        '/ex/jira/00000000-0000-0000-0000-000000000000/rest/api/3/myself',
        '/rest/api/3/myself',
        '/ex/confluence/11223344-a1b2-3b33-c444-def123456789/wiki/api/v2/spaces',
        '/_edge/tenant_info'
      ]) {
        const reply = await get(GATEWAY, path, auth)
        expect([path, reply.status, reply.body]).toEqual([
          path,
          404,
          '{"code":404,"message":"Not Found"}'
        ])
        expect(reply.headers['content-type']).toBe('application/json;charset=UTF-8')
      }
      // Under a known cloudId a path Jira does not serve is Jira's own 404.
      const jira404 = await get(GATEWAY, `${gw}/_edge/tenant_info`, auth)
      expect(jira404.status).toBe(404)
      expect(jira404.body).toContain('<title>HTTP Status 404 – Not Found</title>')
    })

    it('still serves the first site at https://127.0.0.1:PORT, and no site at an unknown name', async () => {
      const local = await startStandin({ platform: 'cloud' })
      try {
        expect(local.sites.map((site) => site.host)).toEqual(['acme.atlassian.net'])
        const reply = await new Promise<Reply>((resolve, reject) => {
          const secure = tls.connect(
            { host: '127.0.0.1', port: local.port, ca: local.caCertPem },
            () =>
              secure.write(
                `GET /_edge/tenant_info HTTP/1.1\r\nHost: 127.0.0.1:${local.port}\r\nConnection: close\r\n\r\n`
              )
          )
          const chunks: Buffer[] = []
          secure.on('data', (chunk: Buffer) => chunks.push(chunk))
          secure.on('end', () => resolve(parseResponse(Buffer.concat(chunks))))
          secure.on('error', reject)
        })
        expect(parse(reply)).toEqual({ cloudId: local.sites[0].cloudId })
      } finally {
        await local.close()
      }
      const proxy = await startConnectProxy({
        hosts: { 'other.atlassian.net': `127.0.0.1:${standin.port}` }
      })
      try {
        const other = await through(
          { proxy, standin },
          'other.atlassian.net',
          '/rest/api/2/serverInfo'
        )
        expect(other.status).toBe(404)
        expect(standin.requests.at(-1)).toMatchObject({
          host: 'other.atlassian.net',
          cloudId: undefined
        })
      } finally {
        await proxy.close()
      }
    })

    it('has no tenant_info on Data Center', async () => {
      const dc = await startStandin()
      try {
        const proxy = await startConnectProxy({
          hosts: { 'jira.standin.test': `127.0.0.1:${dc.port}` }
        })
        try {
          const reply = await through(
            { proxy, standin: dc },
            'jira.standin.test',
            '/_edge/tenant_info'
          )
          expect(reply.status).toBe(404)
          expect(dc.requests[0]).toMatchObject({ endpoint: 'tenant-info', via: 'site' })
          expect(() => (dc as unknown as CloudStandin).gatewayUrl()).toThrow(/not a Cloud/)
        } finally {
          await proxy.close()
        }
      } finally {
        await dc.close()
      }
    })
  })

  describe('classic and scoped API tokens', () => {
    it('takes a classic token on the site and the gateway, scopes unchecked', async () => {
      const token = standin.mintApiToken()
      const perms = '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS'
      for (const [host, path] of [
        [SITE, '/rest/api/3/myself'],
        [CUSTOM, '/rest/api/2/myself'],
        [GATEWAY, `${gw}/rest/api/3/myself`],
        [GATEWAY, `${gw}${perms}`]
      ]) {
        const reply = await get(host, path, basic(CI_BOT, token))
        expect([host, path, reply.status]).toEqual([host, path, 200])
      }
    })

    it('refuses a scoped token on the site like a wrong one, takes it on the gateway', async () => {
      const scoped = standin.mintApiToken({ scopes: ['read:jira-user'] })
      const site = await get(SITE, '/rest/api/3/myself', basic(CI_BOT, scoped))
      const wrong = await get(SITE, '/rest/api/3/myself', basic(CI_BOT, 'ATATT3xFfGF0wrong'))
      expect([site.status, site.body]).toEqual([401, CLOUD_401])
      expect([wrong.status, wrong.body]).toEqual([401, CLOUD_401])
      expect(Object.keys(site.headers).sort()).toEqual(Object.keys(wrong.headers).sort())
      for (const name of ['content-type', 'x-seraph-loginreason', 'www-authenticate'])
        expect(site.headers[name]).toBe(wrong.headers[name])
      expect(site.headers['www-authenticate']).toBe(
        'OAuth realm="https%3A%2F%2Facme.atlassian.net"'
      )
      const info = await get(SITE, '/rest/api/2/serverInfo', basic(CI_BOT, scoped))
      expect(info.status).toBe(200)
      expect(info.headers['x-seraph-loginreason']).toBe('AUTHENTICATED_FAILED')

      const gateway = await get(GATEWAY, `${gw}/rest/api/3/myself`, basic(CI_BOT, scoped))
      expect(gateway.status).toBe(200)
      expect(parse(gateway).emailAddress).toBe(CI_BOT)
    })

    it('answers scope does not match when the scopes do not cover the endpoint', async () => {
      const userOnly = standin.mintApiToken({ scopes: ['read:jira-user'] })
      const granular = standin.mintApiToken({
        scopes: [
          'read:application-role:jira',
          'read:group:jira',
          'read:user:jira',
          'read:avatar:jira'
        ]
      })
      const partial = standin.mintApiToken({ scopes: ['read:user:jira', 'read:avatar:jira'] })
      const permsOnly = standin.mintApiToken({ scopes: ['read:permission:jira'] })
      const perms = `${gw}/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS`
      const cases: Array<[string, string, number]> = [
        [userOnly, `${gw}/rest/api/3/myself`, 200],
        [userOnly, perms, 401],
        [userOnly, `${gw}/rest/api/3/serverInfo`, 200],
        [granular, `${gw}/rest/api/2/myself`, 200],
        [partial, `${gw}/rest/api/3/myself`, 401],
        [partial, `${gw}/rest/api/3/serverInfo`, 200],
        [permsOnly, perms, 200],
        [permsOnly, `${gw}/rest/api/3/myself`, 401]
      ]
      for (const [token, path, status] of cases) {
        const reply = await get(GATEWAY, path, basic(CI_BOT, token))
        const refused = reply.status === 401
        expect([path, reply.status, refused ? reply.body : '']).toEqual([
          path,
          status,
          status === 401 ? SCOPE_MISMATCH : ''
        ])
        expect(reply.headers['content-type']).toBe('application/json;charset=UTF-8')
      }
    })

    it('refuses wrong, expired and revoked tokens on the gateway', async () => {
      const revoked = standin.mintApiToken({ scopes: ['read:jira-user'] })
      standin.revokeApiToken(revoked)
      for (const headers of [
        basic(CI_BOT, 'ATATT3xFfGF0wrong'),
        basic(CI_BOT, standin.mintApiToken({ expiresInDays: -1 })),
        basic(CI_BOT, revoked),
        basic('someone@example.com', standin.mintApiToken()),
        {}
      ]) {
        const reply = await get(GATEWAY, `${gw}/rest/api/3/serverInfo`, headers)
        expect([reply.status, reply.body]).toEqual([401, GATEWAY_401])
      }
    })

    it('classicTokens: false refuses classic tokens on that site only', async () => {
      const token = standin.mintApiToken()
      const strict = await get('strict.atlassian.net', '/rest/api/3/myself', basic(CI_BOT, token))
      expect([strict.status, strict.body]).toEqual([401, CLOUD_401])
      expect(
        (await get(GATEWAY, `${strictGw}/rest/api/3/myself`, basic(CI_BOT, token))).status
      ).toBe(200)
      expect((await get(SITE, '/rest/api/3/myself', basic(CI_BOT, token))).status).toBe(200)
    })

    it('has a scope table from the OpenAPI, with classic and granular sets', () => {
      expect(SCOPE_TABLE.myself).toEqual([
        ['read:jira-user'],
        ['read:application-role:jira', 'read:group:jira', 'read:user:jira', 'read:avatar:jira']
      ])
      expect(SCOPE_TABLE.serverInfo).toEqual([[]])
      expect(SCOPE_TABLE.mypermissions).toEqual([['read:jira-work'], ['read:permission:jira']])
      expect(scopesCover('mypermissions', ['read:jira-user'])).toBe(false)
      expect(scopesCover('other', [])).toBe(true)
      expect(() => standin.mintApiToken({ scoped: false, scopes: ['read:jira-user'] })).toThrow(
        /classic/
      )
    })
  })

  describe('service accounts and OAuth 2.0 client credentials', () => {
    let accounts = 0
    const freshAccount = (scopes?: string[]) =>
      standin.addServiceAccount({ name: `svc-${++accounts}`, displayName: 'CI deploy', scopes })

    const exchange = (fields: Record<string, string>, form = false) =>
      through(world, AUTH, '/oauth/token', {
        method: 'POST',
        headers: {
          'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json'
        },
        body: form ? new URLSearchParams(fields).toString() : JSON.stringify(fields)
      })
    const grant = (account: { clientId: string; clientSecret: string }) => ({
      grant_type: 'client_credentials',
      client_id: account.clientId,
      client_secret: account.clientSecret
    })

    it('creates an app user with a 712020: account id and a first credential', () => {
      const account = freshAccount()
      expect(account).toMatchObject({
        name: `svc-${accounts}`,
        displayName: 'CI deploy',
        email: `svc-${accounts}@serviceaccount.atlassian.com`,
        accountType: 'app',
        appType: 'service',
        scopes: ['read:jira-user', 'read:jira-work']
      })
      expect(account.accountId).toMatch(/^712020:[0-9a-f-]{36}$/)
      expect(account.clientId).toMatch(/^[A-Za-z0-9]{32}$/)
      expect(() => standin.mintApiToken({ email: account.email })).toThrow(/only scoped/)
      expect(() => standin.mintClientCredentials({ email: CI_BOT })).toThrow(/no Cloud service/)
      expect(() => standin.addServiceAccount({ name: account.name })).toThrow(/taken/)
    })

    it('answers /myself for a service account with app/service and a URL-encoded X-AAccountId', async () => {
      const account = freshAccount()
      const token = account.mintApiToken()
      const reply = await get(GATEWAY, `${gw}/rest/api/3/myself`, basic(account.email, token))
      expect(reply.status).toBe(200)
      expect(reply.headers['x-aaccountid']).toBe(encodeURIComponent(account.accountId))
      expect(reply.headers['x-aaccountid']).toMatch(/^712020%3A/)
      expect(parse(reply)).toMatchObject({
        accountId: account.accountId,
        accountType: 'app',
        appType: 'service',
        emailAddress: account.email,
        displayName: 'CI deploy'
      })
      // Its scoped token also works as Bearer on the gateway, never on the site.
      expect((await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(token))).status).toBe(200)
      expect((await get(SITE, '/rest/api/3/myself', basic(account.email, token))).status).toBe(401)
      // A user's API token as Bearer on the gateway: 404 (jwbron/egg#3094).
      const user = await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(standin.mintApiToken()))
      expect([user.status, user.body]).toEqual([404, '{"code":404,"message":"Not Found"}'])
    })

    it('exchanges client credentials sent as JSON or form-encoded, and records the body', async () => {
      const account = freshAccount()
      for (const form of [false, true]) {
        const reply = await exchange(grant(account), form)
        expect(reply.status).toBe(200)
        expect(reply.headers['cache-control']).toBe('no-store')
        const body = parse(reply)
        expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'token_type', 'scope'])
        expect(body).toMatchObject({
          expires_in: 3600,
          token_type: 'Bearer',
          scope: 'read:jira-user read:jira-work'
        })
        const [, claims] = String(body.access_token).split('.')
        const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
          sub: string
          exp: number
          iat: number
        }
        expect(decoded.sub).toBe(account.accountId)
        expect(decoded.exp - decoded.iat).toBe(3600)
      }
      expect(standin.requests.map((r) => [r.endpoint, r.via, r.method, r.status])).toEqual([
        ['oauth-token', 'auth', 'POST', 200],
        ['oauth-token', 'auth', 'POST', 200]
      ])
      expect(standin.requests.map((r) => r.body)).toEqual([grant(account), grant(account)])
    })

    it('refuses clients by cause, or as oauthClientError says', async () => {
      const account = freshAccount()
      const wrongSecret = { ...grant(account), client_secret: 'ATOAnope' }
      const unknown = { ...grant(account), client_id: 'A'.repeat(32) }
      const accessDenied = { error: 'access_denied', error_description: 'Unauthorized' }
      const unknownReply = await exchange(unknown)
      expect([unknownReply.status, parse(unknownReply).error]).toEqual([400, 'invalid_client'])
      const wrongReply = await exchange(wrongSecret, true)
      expect([wrongReply.status, parse(wrongReply)]).toEqual([401, accessDenied])

      const chosen: Array<[string, number]> = [
        ['invalid_client', 400],
        ['access_denied', 401],
        ['unauthorized_client', 400]
      ]
      for (const [error, status] of chosen) {
        standin.set({ oauthClientError: error as 'invalid_client' })
        for (const fields of [wrongSecret, unknown]) {
          const reply = await exchange(fields)
          expect([error, reply.status, parse(reply).error]).toEqual([error, status, error])
        }
      }
      expect(parse(await exchange(wrongSecret)).error_description).toBe(
        'The authenticated client is not authorized to use this authorization grant type'
      )
      standin.reset()
      standin.revokeClientCredentials(account.clientId)
      expect(parse(await exchange(grant(account)))).toEqual(accessDenied)
    })

    it('refuses other grant types, a scope parameter, bad bodies and other methods', async () => {
      const account = freshAccount()
      const other = await exchange({ ...grant(account), grant_type: 'refresh_token' })
      expect([other.status, parse(other).error]).toEqual([400, 'unsupported_grant_type'])
      const scoped = await exchange({ ...grant(account), scope: 'read:jira-user' }, true)
      expect([scoped.status, parse(scoped).error]).toEqual([400, 'invalid_scope'])
      const text = await through(world, AUTH, '/oauth/token', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'grant_type=client_credentials'
      })
      expect([text.status, parse(text).error]).toEqual([400, 'invalid_request'])
      const missing = await exchange({ client_id: account.clientId })
      expect([missing.status, parse(missing).error]).toEqual([400, 'invalid_request'])
      expect((await get(AUTH, '/oauth/token')).status).toBe(405)
      expect((await get(AUTH, '/authorize')).status).toBe(404)
    })

    it('takes access tokens as Bearer on the gateway only, with their scopes', async () => {
      const account = freshAccount(['read:jira-user'])
      const token = String(parse(await exchange(grant(account))).access_token)
      const myself = await get(GATEWAY, `${gw}/rest/api/2/myself`, bearer(token))
      expect(myself.status).toBe(200)
      expect(parse(myself).accountType).toBe('app')
      const perms = await get(
        GATEWAY,
        `${gw}/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS`,
        bearer(token)
      )
      expect([perms.status, perms.body]).toEqual([401, SCOPE_MISMATCH])
      // A second credential with more scopes.
      const wider = account.mintClientCredentials({ scopes: ['read:jira-user', 'read:jira-work'] })
      const widerToken = String(parse(await exchange(grant(wider))).access_token)
      expect(
        (
          await get(
            GATEWAY,
            `${gw}/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS`,
            bearer(widerToken)
          )
        ).status
      ).toBe(200)

      const site = await get(SITE, '/rest/api/2/myself', bearer(token))
      expect([site.status, site.body]).toEqual([401, CLOUD_401])
      expect((await get(SITE, '/rest/api/2/myself', basic(account.email, token))).status).toBe(401)
    })

    it('expires access tokens: 401 on the gateway afterwards', async () => {
      const account = freshAccount()
      const token = String(parse(await exchange(grant(account))).access_token)
      const other = freshAccount()
      const otherToken = String(parse(await exchange(grant(other))).access_token)
      expect((await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(token))).status).toBe(200)
      standin.expireAccessTokens(account.clientId)
      const expired = await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(token))
      expect([expired.status, expired.body]).toEqual([401, GATEWAY_401])
      expect((await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(otherToken))).status).toBe(200)
      standin.expireAccessTokens()
      expect((await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(otherToken))).status).toBe(401)
      // Revoking the credentials stops exchanges, not tokens already issued.
      const fresh = freshAccount()
      const live = String(parse(await exchange(grant(fresh))).access_token)
      standin.revokeClientCredentials(fresh.clientId)
      expect((await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(live))).status).toBe(200)
    })
  })

  describe('Cloud answers on the site host', () => {
    it("cloudBearer: 'connect-session' answers 403 on every path", async () => {
      const token = standin.mintApiToken()
      expect((await get(SITE, '/rest/api/2/serverInfo', bearer(token))).status).toBe(401)
      standin.set({ cloudBearer: 'connect-session' })
      for (const path of ['/rest/api/2/serverInfo', '/rest/api/3/myself']) {
        const reply = await get(SITE, path, bearer(token))
        expect([path, reply.status, reply.body]).toEqual([
          path,
          403,
          '{"error":"Failed to parse Connect Session Auth Token"}'
        ])
        expect(reply.headers['x-seraph-loginreason']).toBeUndefined()
      }
      // The gateway's Bearer handling is its own.
      expect((await get(GATEWAY, `${gw}/rest/api/3/myself`, bearer(token))).status).toBe(404)
    })

    it('a 404 for an authenticated caller says who asked', async () => {
      const account = standin.addServiceAccount({ name: 'svc-404' })
      const reply = await get(SITE, '/rest/api/3/nope', basic(CI_BOT, standin.mintApiToken()))
      expect(reply.status).toBe(404)
      expect(reply.headers['x-ausername']).toBe('ci-bot%40example.com')
      expect(reply.headers['x-seraph-loginreason']).toBe('OK')
      const anonymous = await get(SITE, '/rest/api/3/nope')
      expect(anonymous.headers['x-ausername']).toBeUndefined()
      expect(anonymous.headers['x-seraph-loginreason']).toBeUndefined()
      const viaGateway = await get(
        GATEWAY,
        `${gw}/rest/api/3/nope`,
        basic(account.email, account.mintApiToken())
      )
      expect(viaGateway.headers['x-ausername']).toBe(encodeURIComponent(account.email))
    })
  })
})

describe('no name is ever looked up', () => {
  const root = fileURLToPath(new URL('..', import.meta.url))
  // The DNS hook every test process loads: any name it was not told about fails, and is logged.
  const guard = join(root, 'test-support', 'lookup-hook.cjs')
  const client = join(root, '__fixtures__', 'tunnel-client.mjs')
  let world: AtlassianCloud
  let dir: string
  beforeAll(async () => {
    world = await startAtlassianCloud({
      sites: [{ host: 'acme.atlassian.net', customDomain: 'jira.acme-corp.example' }]
    })
    dir = mkdtempSync(join(tmpdir(), 'standin-cloud-lookups-'))
  })
  afterAll(async () => {
    await world.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function runClient(requests: unknown[], log: string): Promise<Array<Reply & { error?: string }>> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--require', guard, client, JSON.stringify(requests)],
        {
          env: {
            PATH: process.env.PATH,
            HTTPS_PROXY_URL: world.env.https_proxy,
            NODE_EXTRA_CA_CERTS: world.env.NODE_EXTRA_CA_CERTS,
            JAC_LOOKUP_LOG: log
          }
        },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`${error.message}\n${stderr}`))
          else resolve(JSON.parse(stdout) as Array<Reply & { error?: string }>)
        }
      )
    })
  }

  it('a child tunnels to every Cloud name with NODE_EXTRA_CA_CERTS and resolves nothing', async () => {
    const { standin } = world
    const account = standin.addServiceAccount({ name: 'svc-child' })
    const log = join(dir, 'child.log')
    writeFileSync(log, '')
    const results = await runClient(
      [
        { host: 'acme.atlassian.net', path: '/_edge/tenant_info' },
        { host: 'jira.acme-corp.example', path: '/rest/api/2/serverInfo' },
        {
          host: 'auth.atlassian.com',
          method: 'POST',
          path: '/oauth/token',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            grant_type: 'client_credentials',
            client_id: account.clientId,
            client_secret: account.clientSecret
          })
        },
        {
          host: 'api.atlassian.com',
          path: `/ex/jira/${standin.sites[0].cloudId}/rest/api/3/myself`,
          headers: basic(account.email, account.mintApiToken())
        }
      ],
      log
    )
    expect(results.map((r) => r.error ?? r.status)).toEqual([200, 200, 200, 200])
    expect(JSON.parse(results[0].body)).toEqual({ cloudId: standin.sites[0].cloudId })
    expect(readFileSync(log, 'utf8')).toBe('')
    expect(world.proxy.connects.map((c) => c.target)).toEqual([
      'acme.atlassian.net:443',
      'jira.acme-corp.example:443',
      'auth.atlassian.com:443',
      'api.atlassian.com:443'
    ])
    expect(standin.requests.map((r) => [r.via, r.sni])).toEqual([
      ['site', 'acme.atlassian.net'],
      ['site', 'jira.acme-corp.example'],
      ['auth', 'auth.atlassian.com'],
      ['gateway', 'api.atlassian.com']
    ])
  })

  it('the guard does catch a lookup (control)', async () => {
    const log = join(dir, 'control.log')
    writeFileSync(log, '')
    const probe = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [
          '--require',
          guard,
          '-e',
          "require('node:net').connect(443, 'lookup-probe.invalid').on('error', (e) => process.stdout.write(e.code))"
        ],
        { env: { PATH: process.env.PATH, JAC_LOOKUP_LOG: log } },
        (_error, stdout) => resolve(stdout)
      )
    })
    expect(probe).toBe('ENOTFOUND')
    expect(readFileSync(log, 'utf8')).toBe('lookup-probe.invalid\n')
  })

  it.each([
    ['the site host', 'https://acme.atlassian.net', 'acme.atlassian.net'],
    ['a custom domain', 'https://jira.acme-corp.example', 'jira.acme-corp.example']
  ])('the action reaches %s through https_proxy, with no lookup', async (_label, domain, host) => {
    const { standin, proxy, env } = world
    standin.reset()
    const before = proxy.connects.length
    const token = standin.mintApiToken()
    // runAction loads the lookup hook itself and reports every name looked up.
    const result = await runAction({
      inputs: { domain, token, username: 'ci-bot@example.com' },
      env,
      timeoutMs: 60_000
    })
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({
      exitCode: 0,
      stderr: ''
    })
    expect(result.outputs).toMatchObject({
      status: 'ok',
      'account-id': '5b10a2844c20165700ede21g',
      'deployment-type': 'Cloud'
    })
    expect(result.lookups).toEqual([])
    const connects = proxy.connects.slice(before)
    expect(connects.length).toBeGreaterThan(0)
    expect(new Set(connects.map((c) => c.target))).toEqual(new Set([`${host}:443`]))
    expect(
      standin.requests.every((r) => r.host === host && r.sni === host && r.via === 'site')
    ).toBe(true)
    // /myself carried the credential first; serverInfo and tenant_info went beside it without one,
    // and the token policy's mypermissions followed it.
    expect(standin.requests.filter((r) => r.authorization).map((r) => r.endpoint)).toEqual([
      'myself',
      'mypermissions'
    ])
  })
})

describe('stand-in CLI, Cloud', () => {
  it('prints the site, its cloudId and gateway URL in its JSON line', async () => {
    const cli = fileURLToPath(new URL('../test-support/standin/cli.mjs', import.meta.url))
    const child = spawn(process.execPath, [cli, '--platform', 'cloud'], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = ''
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8')
          if (text.includes('\n')) resolve(text.split('\n')[0])
        })
        child.once('error', reject)
        child.once('exit', (code) => reject(new Error(`exited ${code}`)))
      })
      const info = JSON.parse(line) as { domain: string; site: Record<string, string> }
      expect(info.domain).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(info.site).toEqual({
        host: 'acme.atlassian.net',
        cloudId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: 'https://acme.atlassian.net',
        gatewayUrl: `https://api.atlassian.com/ex/jira/${info.site.cloudId}`
      })
    } finally {
      child.kill('SIGTERM')
    }
  })
})
