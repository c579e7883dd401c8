// Hand-written types for the GitHub REST API stand-in (plain .mjs, no build step).

/** Which route a request matched; 'other' for anything else (answered 404). */
export type Endpoint =
  | 'repo'
  | 'repo-public-key'
  | 'env-public-key'
  | 'get-repo-secret'
  | 'get-env-secret'
  | 'put-repo-secret'
  | 'put-env-secret'
  | 'other'

/** Why the stand-in answered as it did (for tests that must tell two 422s or two 404s apart). */
export type Outcome =
  | 'ok'
  | 'created'
  | 'updated'
  | 'requires-authentication'
  | 'bad-credentials'
  | 'not-found'
  | 'forbidden'
  | 'bad-api-version'
  | 'invalid-json'
  | 'missing-field'
  | 'invalid-field'
  | 'not-base64'
  | 'bad-secret-name'
  | 'bad-key-id'
  | 'undecryptable'

interface FaultBase {
  /** Endpoint(s) the fault applies to; 'any' matches every request, 'other' included. */
  endpoint: Endpoint | 'any' | Array<Endpoint | 'any'>
  /** How many matching requests get the fault; afterwards the endpoint behaves normally. Default Infinity. */
  times?: number
  /** How many matching requests pass untouched before the fault starts. Default 0. */
  skip?: number
  /**
   * 'before' (default): the request has no effect. 'after': the request is handled (a PUT stores its
   * secret) and only the response is replaced — the "did my write land?" case.
   */
  when?: 'before' | 'after'
}

export type Fault =
  | (FaultBase & {
      type?: 'status'
      status: number
      /** A string is sent as is; anything else as JSON. Default: a GitHub-shaped error body. */
      body?: unknown
      /** Merged over the default headers (e.g. { 'Retry-After': '1' }). */
      headers?: Record<string, string>
    })
  /** Drops the connection (TCP RST where possible) without answering. */
  | (FaultBase & { type: 'reset' })
  /** Never answers; close() ends the connection. */
  | (FaultBase & { type: 'stall' })

export interface GithubStandinSettings {
  fault: Fault | null
  /** Delay before every response (faults included). */
  latencyMs: number
}

export interface GithubStandinOptions extends Partial<GithubStandinSettings> {
  /** '' (default, api.github.com-shaped) or '/api/v3' (GitHub Enterprise Server-shaped). */
  pathPrefix?: string
  /** Listen port (default: ephemeral). */
  port?: number
}

export interface RequestLogEntry {
  method: string
  /** Full path as received, prefix included, without the query. */
  path: string
  endpoint: Endpoint
  /** Status written; undefined for reset/stall faults. */
  status: number | undefined
  outcome: Outcome | undefined
  /** Fault applied to this request, if any. */
  fault: 'status' | 'reset' | 'stall' | undefined
  /** The Authorization header exactly as received. */
  authorization: string | undefined
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>
  /** Raw request body ('' for none). */
  body: string
  /** Canonical 'owner/name' when the repository exists, else as requested. */
  repository: string | undefined
  environment: string | undefined
  /** As requested (not upper-cased). */
  secretName: string | undefined
  /** performance.now() milliseconds. */
  startedAt: number
  endedAt: number | undefined
  /** endedAt - startedAt: the response time. */
  durationMs: number | undefined
}

/** What GET …/secrets/public-key serves. */
export interface PublicKey {
  key_id: string
  /** Base64 (original alphabet, padded) 32-byte Curve25519 public key. */
  key: string
}

export interface RepositorySpec {
  environments?: string[]
  /** Default true. */
  private?: boolean
}

export interface TokenSpec {
  /** Repositories the token can see ('owner/name'); default 'all'. */
  repositories?: string[] | 'all'
  /** false: like GITHUB_TOKEN, 403 on every secrets endpoint. Default true. */
  canWriteSecrets?: boolean
}

export interface EnvironmentOption {
  /** Target an environment of the repository instead of the repository itself. */
  environment?: string
}

export interface GithubStandin {
  /** For GITHUB_API_URL: https://127.0.0.1:PORT + pathPrefix. */
  readonly apiUrl: string
  /** https://127.0.0.1:PORT */
  readonly origin: string
  readonly port: number
  /** '' or e.g. '/api/v3'. */
  readonly pathPrefix: string
  /** The shared stand-in CA (same file as the Jira stand-in's), for NODE_EXTRA_CA_CERTS. */
  readonly caPath: string
  readonly caCertPem: string
  readonly requests: RequestLogEntry[]
  /** Requests that received the current fault. */
  readonly faultHits: number
  readonly settings: GithubStandinSettings
  set(partial: Partial<GithubStandinSettings>): void
  /** Restores the start settings, clears the log, fault counter and every stored secret. Repositories, key pairs and tokens stay. */
  reset(): void
  /** Adds a repository (or environments to an existing one); each gets its own key pair. */
  addRepository(
    fullName: string,
    spec?: RepositorySpec
  ): { id: number; fullName: string; environments: string[] }
  /** Registers a token; returns it. */
  addToken(value: string, spec?: TokenSpec): string
  removeToken(value: string): void
  /** The key pair currently served, as the API serves it. */
  publicKey(fullName: string, options?: EnvironmentOption): PublicKey
  /** Replaces the key pair; a later PUT with the old key_id gets GitHub's 422. Returns the new key. */
  rotateKey(fullName: string, options?: EnvironmentOption): PublicKey
  /** Seeds a secret (appended to its history). */
  setSecret(fullName: string, name: string, value: string, options?: EnvironmentOption): void
  /** The decrypted value stored, or undefined. Names are case-insensitive, as on GitHub. */
  secretValue(fullName: string, name: string, options?: EnvironmentOption): string | undefined
  /** Every value stored under the name, oldest first (seeds included). */
  secretHistory(fullName: string, name: string, options?: EnvironmentOption): string[]
  /** Stored secret names (upper-case, sorted). */
  secretNames(fullName: string, options?: EnvironmentOption): string[]
  close(): Promise<void>
}

/** Starts the stand-in on 127.0.0.1 with repository acme/pipeline (environment production) and no tokens. */
export function startGithubStandin(options?: GithubStandinOptions): Promise<GithubStandin>
