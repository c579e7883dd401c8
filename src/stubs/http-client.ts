/**
 * Stands in for `@actions/http-client` in the bundle (tsconfig `paths`). `@actions/core` imports it
 * only for OIDC (`getIDToken`), which this action never calls, and evaluating it pulls in undici and
 * tunnel: about 55 ms of start-up on every run (docs/benchmarks.md). The light
 * `@actions/http-client/lib/proxy` module that the transport uses is not affected.
 */
export class HttpClient {
  constructor() {
    throw new Error(
      '@actions/http-client is not bundled in jira-auth-check (core.getIDToken is unsupported)'
    )
  }
}
