/**
 * The secret, through GitHub's REST API at GITHUB_API_URL (api.github.com, or GHES's /api/v3) with
 * Octokit: read the repository's or environment's public key and the secret's record, seal the new
 * token with libsodium's crypto_box_seal as GitHub's docs show, PUT it. Every call is bounded by a
 * deadline, follows no redirect, and comes back as a plain outcome; nothing here decides.
 */
import { getOctokit } from '@actions/github'
import sodium from 'libsodium-wrappers'
import type { Logger } from '../../engine/jira/client.js'
import type {
  GithubEvidence,
  GithubOutcome,
  PublicKey,
  SecretInfo,
  SecretStore
} from '../../engine/rotate/findings.js'
import type { SecretTarget } from '../../engine/settings/rotate-parse.js'
import { untrusted } from '../../engine/untrusted.js'

export interface GithubStoreOptions {
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string
  token: string
  target: SecretTarget
  userAgent: string
  log: Logger
}

/** The version GitHub documents these endpoints under; GHES 3.9 and later know it too. */
const API_VERSION = '2022-11-28'

/** Errors raised before a request can have reached GitHub: nothing was written. */
const NOT_SENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_FAIL|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT|ERR_INVALID_URL|CERT_|ERR_TLS|ERR_SSL|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/

interface Answer {
  status: number
  headers: Record<string, string | number | undefined>
  data: unknown
}

type Called =
  { ok: true; answer: Answer } | { ok: false; evidence: GithubEvidence; definite: boolean }

/** The innermost `code` of an error and its causes (fetch wraps the socket's error). */
function errnoOf(error: unknown): string | undefined {
  let current: unknown = error
  let found: string | undefined
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') found = code
    current = (current as { cause?: unknown }).cause
  }
  return found
}

function messageOf(data: unknown): string | undefined {
  const message = (data as { message?: unknown } | undefined)?.message
  return typeof message === 'string'
    ? untrusted(message.replace(/\s+/g, ' ').trim(), 200)
    : undefined
}

/** An Octokit error (RequestError, by its shape: the class comes from a nested package), as evidence. */
function failureOf(error: unknown, method: 'GET' | 'PUT', url: string): Called {
  const e = error as { name?: string; status?: number; response?: Answer; message?: string }
  if (e?.name === 'AbortError') {
    return { ok: false, evidence: { method, url, timedOut: true }, definite: false }
  }
  if (e?.response && typeof e.response.status === 'number') {
    return { ok: false, ...refused(e.response, method, url) }
  }
  const errno = errnoOf(error) ?? 'UNKNOWN'
  const message = untrusted(String(e?.message ?? error).replace(/\s+/g, ' '), 160)
  return {
    ok: false,
    evidence: { method, url, errno, message },
    definite: NOT_SENT.test(errno)
  }
}

/** An answer that is not the one wanted: 4xx and 3xx changed nothing; a 5xx may come after a write. */
function refused(answer: Answer, method: 'GET' | 'PUT', url: string) {
  const requestId = answer.headers['x-github-request-id']
  const evidence: GithubEvidence = {
    method,
    url,
    status: answer.status,
    ...(messageOf(answer.data) !== undefined && { message: messageOf(answer.data) }),
    ...(typeof requestId === 'string' && { requestId: untrusted(requestId, 60) })
  }
  return { evidence, definite: answer.status < 500 }
}

export async function openGithubStore(options: GithubStoreOptions): Promise<SecretStore> {
  await sodium.ready
  const { target, log } = options
  const apiUrl = options.apiUrl.replace(/\/+$/, '')
  const octokit = getOctokit(options.token, {
    baseUrl: apiUrl,
    userAgent: options.userAgent,
    // Octokit's own warnings (deprecations) go to the debug log, never to stderr.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => log.debug(message),
      error: (message: string) => log.debug(message)
    }
  })
  const owner = target.owner
  const repo = target.repo
  const environment = target.environment
  const where = environment
    ? `${apiUrl}/repos/${owner}/${repo}/environments/${encodeURIComponent(environment)}/secrets`
    : `${apiUrl}/repos/${owner}/${repo}/actions/secrets`

  /** One request under the deadline, logged as the Jira requests are: method, URL, result, time. */
  async function call(
    method: 'GET' | 'PUT',
    url: string,
    deadlineAt: number,
    send: (request: { signal: AbortSignal; redirect: 'manual' }) => Promise<Answer>
  ): Promise<Called> {
    const startedAt = Date.now()
    const remaining = deadlineAt - startedAt
    if (remaining <= 0) {
      log.info(`${method} ${url} → not sent: the deadline has passed`)
      return { ok: false, evidence: { method, url, timedOut: true }, definite: true }
    }
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), remaining)
    let called: Called
    try {
      const answer = await send({ signal: controller.signal, redirect: 'manual' })
      // With redirects not followed, a 3xx arrives as an answer: GitHub did not act on it.
      called =
        answer.status >= 300 ? { ok: false, ...refused(answer, method, url) } : { ok: true, answer }
    } catch (error) {
      called = failureOf(error, method, url)
    } finally {
      clearTimeout(timer)
    }
    const result = called.ok
      ? String(called.answer.status)
      : called.evidence.status !== undefined
        ? String(called.evidence.status)
        : called.evidence.timedOut
          ? 'deadline reached'
          : (called.evidence.errno ?? 'failed')
    log.info(`${method} ${url} → ${result} (${Date.now() - startedAt} ms)`)
    return called
  }

  const headers = { 'x-github-api-version': API_VERSION }
  const repoParams = { owner, repo, headers }

  return {
    async publicKey(deadlineAt): Promise<GithubOutcome<PublicKey>> {
      const called = await call('GET', `${where}/public-key`, deadlineAt, (request) =>
        environment
          ? octokit.rest.actions.getEnvironmentPublicKey({
              ...repoParams,
              environment_name: environment,
              request
            })
          : octokit.rest.actions.getRepoPublicKey({ ...repoParams, request })
      )
      if (!called.ok) return called
      const data = called.answer.data as { key_id?: unknown; key?: unknown }
      if (typeof data?.key_id !== 'string' || typeof data.key !== 'string') {
        const evidence: GithubEvidence = {
          method: 'GET',
          url: `${where}/public-key`,
          status: called.answer.status,
          message: 'the answer has no key_id and key'
        }
        return { ok: false, evidence, definite: true }
      }
      return { ok: true, value: { keyId: data.key_id, key: data.key } }
    },

    async secretInfo(deadlineAt): Promise<GithubOutcome<SecretInfo>> {
      const called = await call('GET', `${where}/${target.name}`, deadlineAt, (request) =>
        environment
          ? octokit.rest.actions.getEnvironmentSecret({
              ...repoParams,
              environment_name: environment,
              secret_name: target.name,
              request
            })
          : octokit.rest.actions.getRepoSecret({ ...repoParams, secret_name: target.name, request })
      )
      if (!called.ok) return called
      const data = called.answer.data as { updated_at?: unknown }
      const date = called.answer.headers.date
      return {
        ok: true,
        value: {
          ...(typeof data?.updated_at === 'string' && { updatedAt: data.updated_at }),
          ...(typeof date === 'string' && { serverDate: date })
        }
      }
    },

    async write(value, key, deadlineAt): Promise<GithubOutcome<void>> {
      let sealed: string
      try {
        sealed = sodium.to_base64(
          sodium.crypto_box_seal(
            sodium.from_string(value),
            sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)
          ),
          sodium.base64_variants.ORIGINAL
        )
      } catch {
        // A key that is not a 32-byte base64 value: nothing was sent.
        const evidence: GithubEvidence = {
          method: 'PUT',
          url: `${where}/${target.name}`,
          message: 'the public key GitHub served could not be used to seal the value'
        }
        return { ok: false, evidence, definite: true }
      }
      const params = { secret_name: target.name, encrypted_value: sealed, key_id: key.keyId }
      const called = await call('PUT', `${where}/${target.name}`, deadlineAt, (request) =>
        environment
          ? octokit.rest.actions.createOrUpdateEnvironmentSecret({
              ...repoParams,
              environment_name: environment,
              ...params,
              request
            })
          : octokit.rest.actions.createOrUpdateRepoSecret({ ...repoParams, ...params, request })
      )
      return called.ok ? { ok: true, value: undefined } : called
    }
  }
}
