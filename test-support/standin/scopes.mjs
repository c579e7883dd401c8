// Which OAuth 2.0 scopes each endpoint accepts, for scoped API tokens and service-account access
// tokens on the api.atlassian.com gateway (classic API tokens are never scope-checked).
//
// Source: the `x-atlassian-oauth2-scopes` of each operation in the Jira Cloud platform OpenAPI,
// version 1001.0.0-SNAPSHOT-67b5c6e5f3598d7ec1649016d026468ab2838a77, as copied into
// api-evangelist/atlassian @ 916cd71 (openapi/_original/jira-openapi-original.yml). Each operation
// lists two alternatives, the classic scopes (`state: Current`) and the granular ones (`state: Beta`);
// a token is accepted when it holds every scope of one of them:
//   GET /rest/api/3/myself         classic read:jira-user; granular read:application-role:jira,
//                                  read:group:jira, read:user:jira, read:avatar:jira
//   GET /rest/api/3/serverInfo     no scope at all (`OAuth2: []` in both states)
//   GET /rest/api/3/mypermissions  classic read:jira-work; granular read:permission:jira
// The spec lists the v3 paths; the stand-in applies the same sets to /rest/api/2 [guess].

/** @typedef {import('./index.d.mts').ScopedEndpoint} ScopedEndpoint */

/** @type {Readonly<Record<ScopedEndpoint, ReadonlyArray<ReadonlyArray<string>>>>} */
export const SCOPE_TABLE = Object.freeze({
  myself: Object.freeze([
    Object.freeze(['read:jira-user']),
    Object.freeze([
      'read:application-role:jira',
      'read:group:jira',
      'read:user:jira',
      'read:avatar:jira'
    ])
  ]),
  serverInfo: Object.freeze([Object.freeze([])]),
  mypermissions: Object.freeze([
    Object.freeze(['read:jira-work']),
    Object.freeze(['read:permission:jira'])
  ])
})

/**
 * Scopes a scoped token gets when the test names none: the classic pair that covers every endpoint
 * of the table.
 */
export const DEFAULT_TOKEN_SCOPES = Object.freeze(['read:jira-user', 'read:jira-work'])

/**
 * Whether `held` covers the endpoint. Endpoints outside the table are not checked: the stand-in
 * answers them 404 anyway.
 * @param {string} endpoint
 * @param {readonly string[]} held
 */
export function scopesCover(endpoint, held) {
  if (!Object.hasOwn(SCOPE_TABLE, endpoint)) return true
  const alternatives = SCOPE_TABLE[/** @type {ScopedEndpoint} */ (endpoint)]
  return alternatives.some((set) => set.every((scope) => held.includes(scope)))
}
