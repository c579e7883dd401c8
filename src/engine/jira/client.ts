import type { ProxyEnv } from './proxy.js'
import { createSend, type AttemptResult, type OutgoingRequest, type Send } from './transport.js'

/** What one probe ended with, after any retries. */
export interface ProbeResult {
  url: string
  /** Absent for GET. */
  method?: 'POST' | 'DELETE'
  attempts: number
  elapsedMs: number
  outcome: AttemptResult
}

/** Where the engine's log lines go: the action maps them to core.info/debug, the CLI to stderr. */
export interface Logger {
  info(line: string): void
  debug(line: string): void
}

export interface ClientOptions {
  /** The base URL that paths starting with "/" are joined to. */
  baseUrl: string
  /** The Authorization header value; undefined sends nothing. */
  authorization?: string
  userAgent: string
  deadlineAt: number
  retries: number
  log: Logger
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  random?: () => number
  /** The transport; by default node:http(s), routed by `proxyEnv`. */
  send?: Send
  /** https_proxy, no_proxy and friends, for the default transport. */
  proxyEnv?: ProxyEnv
}

export interface RequestOptions {
  method?: OutgoingRequest['method']
  /**
   * The credentials: the client's own (default), none (serverInfo and tenant_info need no login),
   * or another Authorization value (an access token just obtained).
   */
  auth?: 'client' | 'none' | { authorization: string }
  body?: { contentType: string; text: string }
  /** false for a request that must not happen twice, such as creating a token. */
  retry?: boolean
}

/**
 * One request under the deadline and retry policy. A target starting with "/" is a path below
 * the client's base URL; anything else is an absolute URL (the Cloud gateway, a token endpoint).
 */
export type JiraRequest = ((target: string, options?: RequestOptions) => Promise<ProbeResult>) & {
  /** Closes the connections kept open for reuse. */
  close?: () => void
}

/** Transient network failures that a second attempt may get past. ENOTFOUND is not one. */
const RETRYABLE_ERRNO = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED'
])
/** 401, 403 and 404 are never retried: a bad credential stays bad, and Basic failures count toward CAPTCHA. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504])

const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 8000

/**
 * How long to wait before the next attempt, or undefined to stop. Exponential backoff with full
 * jitter, Retry-After honoured, and never a wait that would run past the deadline.
 */
export function retryDelay(
  outcome: AttemptResult,
  attempt: number,
  remainingMs: number,
  random: () => number = Math.random,
  now: number = Date.now()
): number | undefined {
  const retryable =
    (outcome.kind === 'response' && RETRYABLE_STATUS.has(outcome.status)) ||
    (outcome.kind === 'error' && outcome.phase !== 'proxy' && RETRYABLE_ERRNO.has(outcome.errno))
  if (!retryable) return undefined
  const backoff = Math.max(
    50,
    random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
  )
  const asked =
    outcome.kind === 'response' ? retryAfterSeconds(outcome.headers['retry-after'], now) : undefined
  const delay = asked && asked > 0 ? asked * 1000 : backoff
  // Leave the next attempt some time of its own; a wait that eats the deadline only delays the failure.
  return delay + 250 <= remainingMs ? delay : undefined
}

/** Retry-After is either delta-seconds or an HTTP-date. */
export function retryAfterSeconds(
  value: string | string[] | undefined,
  now: number = Date.now()
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text)
  // An HTTP-date starts with the day name ("Wed, 21 Oct 2026 07:28:00 GMT"); anything else, such
  // as "-3", is not a Retry-After that Date.parse should be allowed to guess at.
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

export const TIMEOUT_PHASE_NAMES = {
  lookup: 'the DNS lookup',
  connect: 'the TCP connect',
  proxy: 'the proxy tunnel',
  tls: 'the TLS handshake',
  headers: 'the wait for headers',
  body: 'the body'
} as const

export function describeOutcome(outcome: AttemptResult): string {
  switch (outcome.kind) {
    case 'response':
      return `${outcome.status}`
    case 'error':
      return outcome.errno
    case 'timeout':
      return outcome.phase === 'body'
        ? `${outcome.status ?? ''} body stalled, deadline reached`.trim()
        : `deadline reached during ${TIMEOUT_PHASE_NAMES[outcome.phase]}`
    case 'proxy-invalid':
      return `${outcome.variable} unusable`
  }
}

/** Requests bound to one Jira, with the deadline, retry policy and one log line per attempt. */
export function createClient(options: ClientOptions): JiraRequest {
  const now = options.now ?? Date.now
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = options.random ?? Math.random
  const send = options.send ?? createSend({ proxyEnv: options.proxyEnv ?? {} })
  const request: JiraRequest = async (target, requestOptions = {}) => {
    const url = new URL(target.startsWith('/') ? `${options.baseUrl}${target}` : target)
    const method = requestOptions.method ?? 'GET'
    const headers: Record<string, string> = {
      // Without it Jira may answer in XML (REST Status entity) or HTML (429, basic-auth-disabled).
      Accept: 'application/json',
      'User-Agent': options.userAgent
    }
    const auth = requestOptions.auth ?? 'client'
    if (auth === 'client' && options.authorization) headers.Authorization = options.authorization
    else if (typeof auth === 'object') headers.Authorization = auth.authorization
    if (requestOptions.body) headers['Content-Type'] = requestOptions.body.contentType
    const outgoing: OutgoingRequest = { url, method, headers, body: requestOptions.body?.text }
    const startedAt = now()
    const maxAttempts = requestOptions.retry === false ? 1 : options.retries + 1
    for (let attempt = 1; ; attempt++) {
      const attemptStart = now()
      const outcome = await send(outgoing, options.deadlineAt)
      options.log.info(
        `${method} ${url.href} → ${describeOutcome(outcome)} (${now() - attemptStart} ms)`
      )
      const delay =
        attempt < maxAttempts
          ? retryDelay(outcome, attempt, options.deadlineAt - now(), random, now())
          : undefined
      if (delay === undefined) {
        return {
          url: url.href,
          ...(method !== 'GET' && { method }),
          attempts: attempt,
          elapsedMs: now() - startedAt,
          outcome
        }
      }
      options.log.info(
        `  retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${maxAttempts})`
      )
      await sleep(delay)
    }
  }
  request.close = () => send.close?.()
  return request
}
