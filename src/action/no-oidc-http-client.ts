/**
 * Stands in for `@actions/http-client` in the action bundle (an esbuild alias in
 * scripts/build.mjs). `@actions/core` imports it only for OIDC (`core.getIDToken`), which this
 * action never calls, and evaluating the real module pulls in undici and tunnel: about 55 ms of
 * start-up on every run. Anything that does reach it fails loudly rather than quietly.
 */
export class HttpClient {
  constructor() {
    throw new Error(
      '@actions/http-client is not bundled in jira-auth-check (core.getIDToken is unsupported)'
    )
  }
}
