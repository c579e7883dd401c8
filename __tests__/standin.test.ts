import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import https from 'node:https'
import net from 'node:net'
import tls from 'node:tls'
import { fileURLToPath } from 'node:url'
import { startConnectProxy, startStandin, type Standin } from '../test-support/standin/index.mjs'
import { findLeaks, parseFileCommand, parseWorkflowCommands } from '../test-support/run-action.mjs'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(
  standin: Standin,
  path: string,
  headers: Record<string, string> = {},
  base = standin.url
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      base + path,
      { ca: standin.caCertPem, agent: false, headers: { Accept: 'application/json', ...headers } },
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
  })
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

describe('Jira stand-in, Data Center', () => {
  let standin: Standin
  beforeAll(async () => {
    standin = await startStandin()
  })
  afterAll(async () => {
    await standin.close()
  })
  beforeEach(() => standin.reset())

  it('answers a valid PAT with the user', async () => {
    const pat = standin.mintPat()
    expect(pat).toMatch(/^(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){4}O[g-v][A-Za-z0-9+/]{26}$/)
    const reply = await get(standin, '/rest/api/2/myself', { Authorization: `Bearer ${pat}` })
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('application/json;charset=UTF-8')
    expect(reply.headers['x-ausername']).toBe('ci-bot')
    expect(JSON.parse(reply.body)).toMatchObject({
      name: 'ci-bot',
      key: 'JIRAUSER10100',
      displayName: 'CI Bot'
    })
    expect(standin.requests.map((r) => r.endpoint)).toEqual(['myself'])
  })

  it.each([
    ['expired', () => `Bearer ${standin.mintPat({ expiresInDays: -1 })}`],
    ['lower-case scheme', () => `bearer ${standin.mintPat()}`],
    [
      'revoked',
      () => {
        const pat = standin.mintPat()
        standin.revokePat(pat)
        return `Bearer ${pat}`
      }
    ],
    ['garbage', () => 'Bearer not-a-token'],
    ['extra part', () => `Bearer ${standin.mintPat()} extra`]
  ])('falls through to anonymous for a %s token, byte for byte alike', async (_label, header) => {
    const reply = await get(standin, '/rest/api/2/myself', { Authorization: header() })
    expect(reply.status).toBe(401)
    expect(reply.headers['x-ausername']).toBe('anonymous')
    expect(reply.headers['www-authenticate']).toBe(
      `OAuth realm="${encodeURIComponent(standin.url)}"`
    )
    expect(reply.body).toBe(
      '{"message":"Client must be authenticated to access this resource.","status-code":401}'
    )
  })

  it('answers XML when Accept lacks application/json, and serverInfo anonymously', async () => {
    const xml = await get(standin, '/rest/api/2/myself', { Accept: '*/*' })
    expect(xml.status).toBe(401)
    expect(xml.headers['content-type']).toBe('application/xml')
    const info = await get(standin, '/rest/api/2/serverInfo', { Authorization: 'Bearer nope' })
    expect(info.status).toBe(200)
    expect(info.headers['x-ausername']).toBe('anonymous')
    expect(JSON.parse(info.body)).toMatchObject({
      deploymentType: 'Server',
      version: '10.3.19',
      buildNumber: 10030019
    })
  })

  it('locks Basic logins behind CAPTCHA after 3 failures, not Bearer', async () => {
    for (let i = 0; i < 3; i++) {
      const failed = await get(standin, '/rest/api/2/myself', {
        Authorization: basic('ci-bot', 'wrong')
      })
      expect(failed.status).toBe(401)
      expect(failed.headers['x-seraph-loginreason']).toBe('AUTHENTICATED_FAILED')
      expect(failed.body).toContain('Basic Authentication Failure - Reason : AUTHENTICATED_FAILED')
    }
    const locked = await get(standin, '/rest/api/2/myself', {
      Authorization: basic('ci-bot', 'correct-horse-battery')
    })
    expect(locked.status).toBe(403)
    expect(locked.headers['x-authentication-denied-reason']).toBe(
      `CAPTCHA_CHALLENGE; login-url=${standin.url}/login.jsp`
    )
    const bearer = await get(standin, '/rest/api/2/myself', {
      Authorization: `Bearer ${standin.mintPat()}`
    })
    expect(bearer.status).toBe(200)
  })

  it('lists PATs in the pats-plugin format and records lastAccessedAt', async () => {
    const pat = standin.mintPat({ name: 'deploy', expiresInDays: null })
    standin.mintPat({ name: 'other' })
    const reply = await get(standin, '/rest/pat/latest/tokens', { Authorization: `Bearer ${pat}` })
    expect(reply.status).toBe(200)
    const list = JSON.parse(reply.body) as Array<Record<string, unknown>>
    const mine = list.find((t) => t.name === 'deploy')
    expect(mine?.expiringAt).toBe('9999-12-31T00:00:00.000+00:00')
    expect(mine?.lastAccessedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/)
    expect(list.find((t) => t.name === 'other')).not.toHaveProperty('lastAccessedAt')
    expect((await get(standin, '/rest/pat/latest/tokens')).status).toBe(401)
  })

  it('returns every permission key on DC and 404s an unknown project', async () => {
    const pat = standin.mintPat()
    const reply = await get(
      standin,
      '/rest/api/2/mypermissions?projectKey=ABC&permissions=BROWSE_PROJECTS',
      { Authorization: `Bearer ${pat}` }
    )
    const { permissions } = JSON.parse(reply.body) as {
      permissions: Record<string, { havePermission: boolean; deprecatedKey?: boolean }>
    }
    expect(permissions.BROWSE_PROJECTS.havePermission).toBe(true)
    expect(permissions.DELETE_ISSUES.havePermission).toBe(false)
    expect(permissions.BROWSE.deprecatedKey).toBe(true)
    const missing = await get(standin, '/rest/api/2/mypermissions?projectKey=NOPE', {
      Authorization: `Bearer ${pat}`
    })
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body)).toEqual({
      errorMessages: ["No project could be found with key 'NOPE'."],
      errors: {}
    })
  })

  it('applies a fault a limited number of times', async () => {
    standin.set({ fault: { type: 'status', status: 503, retryAfter: 2, times: 1 } })
    const pat = standin.mintPat()
    const first = await get(standin, '/rest/api/2/myself', { Authorization: `Bearer ${pat}` })
    expect(first.status).toBe(503)
    expect(first.headers['retry-after']).toBe('2')
    expect(
      (await get(standin, '/rest/api/2/myself', { Authorization: `Bearer ${pat}` })).status
    ).toBe(200)
  })

  it('lets the first `skip` matching requests through before a fault starts', async () => {
    standin.set({ fault: { type: 'status', status: 500, skip: 1, times: 1 } })
    const pat = standin.mintPat()
    const statuses = []
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await get(standin, '/rest/api/2/myself', { Authorization: `Bearer ${pat}` })).status
      )
    }
    expect(statuses).toEqual([200, 500, 200])
    expect(standin.faultHits).toBe(1)
    // A new fault counts afresh.
    standin.set({ fault: { type: 'status', status: 503, skip: 1 } })
    expect(
      (await get(standin, '/rest/api/2/myself', { Authorization: `Bearer ${pat}` })).status
    ).toBe(200)
    expect(
      (await get(standin, '/rest/api/2/myself', { Authorization: `Bearer ${pat}` })).status
    ).toBe(503)
  })

  it('tunnels through the CONNECT proxy', async () => {
    // Raw sockets on purpose: the CONNECT exchange is checked byte by byte.
    const proxy = await startConnectProxy({
      hosts: { 'jira.standin.test': '127.0.0.1' },
      requireAuth: 'u:p'
    })
    try {
      const connect = (auth?: string) =>
        new Promise<{ head: string; socket: net.Socket }>((resolve, reject) => {
          const socket = net.connect(proxy.port, '127.0.0.1', () => {
            const authLine = auth
              ? `Proxy-Authorization: Basic ${Buffer.from(auth).toString('base64')}\r\n`
              : ''
            socket.write(
              `CONNECT jira.standin.test:${standin.port} HTTP/1.1\r\nHost: jira.standin.test:${standin.port}\r\n${authLine}\r\n`
            )
          })
          let head = ''
          const onData = (chunk: Buffer) => {
            head += chunk.toString('latin1')
            if (head.includes('\r\n\r\n')) {
              socket.off('data', onData)
              resolve({ head, socket })
            }
          }
          socket.on('data', onData)
          socket.on('error', reject)
        })
      const refused = await connect()
      expect(refused.head).toMatch(/^HTTP\/1\.1 407 /)
      refused.socket.destroy()

      const { head, socket } = await connect('u:p')
      expect(head).toMatch(/^HTTP\/1\.1 200 /)
      const response = await new Promise<string>((resolve, reject) => {
        const secure = tls.connect(
          { socket, servername: 'jira.standin.test', ca: standin.caCertPem },
          () => {
            secure.write(
              `GET /rest/api/2/serverInfo HTTP/1.1\r\nHost: jira.standin.test\r\nAccept: application/json\r\nConnection: close\r\n\r\n`
            )
          }
        )
        let text = ''
        secure.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
        secure.on('end', () => resolve(text))
        secure.on('error', reject)
      })
      expect(response).toMatch(/^HTTP\/1\.1 200 OK/)
      expect(proxy.connects.map((c) => c.status)).toEqual([407, 200])
      expect(proxy.connects[1].target).toBe(`jira.standin.test:${standin.port}`)
    } finally {
      await proxy.close()
    }
  })
})

describe('Jira stand-in, other shapes', () => {
  it('serves Cloud: Bearer is refused everywhere, Basic email:token works', async () => {
    const standin = await startStandin({ platform: 'cloud' })
    try {
      const token = standin.mintApiToken()
      const bearer = await get(standin, '/rest/api/2/serverInfo', {
        Authorization: `Bearer ${token}`
      })
      expect(bearer.status).toBe(401)
      expect(bearer.headers['content-type']).toBe('text/html;charset=UTF-8')
      expect(bearer.body).toBe('Client must be authenticated to access this resource.')
      const ok = await get(standin, '/rest/api/3/myself', {
        Authorization: basic('ci-bot@example.com', token)
      })
      expect(ok.status).toBe(200)
      expect(ok.headers['x-aaccountid']).toBe('5b10a2844c20165700ede21g')
      const wrong = await get(standin, '/rest/api/2/serverInfo', {
        Authorization: basic('ci-bot@example.com', 'nope')
      })
      expect(wrong.status).toBe(200)
      expect(wrong.headers['x-seraph-loginreason']).toBe('AUTHENTICATED_FAILED')
      const noKeys = await get(standin, '/rest/api/2/mypermissions', {
        Authorization: basic('ci-bot@example.com', token)
      })
      expect(noKeys.status).toBe(400)
      const some = await get(
        standin,
        '/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS,ADMINISTER',
        {
          Authorization: basic('ci-bot@example.com', token)
        }
      )
      expect(Object.keys((JSON.parse(some.body) as { permissions: object }).permissions)).toEqual([
        'BROWSE_PROJECTS',
        'ADMINISTER'
      ])
      expect(
        (
          await get(standin, '/rest/pat/latest/tokens', {
            Authorization: basic('ci-bot@example.com', token)
          })
        ).status
      ).toBe(404)
    } finally {
      await standin.close()
    }
  })

  it('serves the Tomcat 404 outside the context path', async () => {
    const standin = await startStandin({ contextPath: '/jira' })
    try {
      const pat = standin.mintPat()
      expect(standin.url).toMatch(/\/jira$/)
      const outside = await get(
        standin,
        '/rest/api/2/myself',
        { Authorization: `Bearer ${pat}` },
        standin.origin
      )
      expect(outside.status).toBe(404)
      expect(outside.body).toContain('<title>HTTP Status 404 – Not Found</title>')
      expect(
        (await get(standin, '/rest/api/2/myself', { Authorization: `Bearer ${pat}` })).status
      ).toBe(200)
    } finally {
      await standin.close()
    }
  })
})

describe('stand-in CLI', () => {
  it('prints its usage for --help and refuses unknown flags with it', () => {
    const cli = fileURLToPath(new URL('../test-support/standin/cli.mjs', import.meta.url))
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^Usage: node test-support\/standin\/cli\.mjs/)
    expect(help.stdout).toContain('--github-env PATH')
    const unknown = spawnSync(process.execPath, [cli, '--bogus'], { encoding: 'utf8' })
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain("Unknown option '--bogus'")
    expect(unknown.stderr).toContain('Usage:')
  })
})

describe('runner emulation parsers', () => {
  it('parses file commands, workflow commands and finds leaks', () => {
    expect(parseFileCommand('status<<ghadelimiter_1\nfailed\nghadelimiter_1\nlegacy=1\n')).toEqual({
      status: 'failed',
      legacy: '1'
    })
    const stdout = '::add-mask::t0k\n::error title=A%3A b%2C c::x%0Ay 100%25\nsaw t0k\n'
    const parsed = parseWorkflowCommands(stdout)
    expect(parsed.annotations).toEqual([{ level: 'error', title: 'A: b, c', message: 'x\ny 100%' }])
    expect(parsed.maskedValues).toEqual(['t0k'])
    const result = {
      exitCode: 0,
      signal: null,
      durationMs: 1,
      stdout,
      stderr: '',
      outputs: {},
      summary: '',
      githubEnv: '',
      githubState: '',
      annotations: parsed.annotations,
      maskedValues: parsed.maskedValues,
      commands: parsed.all,
      lookups: []
    }
    expect(findLeaks(result, ['t0k', ''])).toEqual([{ secretIndex: 0, channel: 'stdout' }])
  })
})
