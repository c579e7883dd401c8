/**
 * The results a later step or tool reads: the action's outputs, and the keys of the CLI's --json,
 * declared once (action.yml must say the same: __tests__/contract.test.ts).
 */
import type { CheckResult } from '../verdict.js'

export const OUTPUTS = [
  { name: 'status', description: 'ok, warning or failed. Set on every run.' },
  {
    name: 'error-code',
    description: 'Empty on success, else the error code (see docs/troubleshooting.md).'
  },
  { name: 'http-status', description: 'HTTP status of /rest/api/2/myself, if Jira answered.' },
  { name: 'display-name', description: "The token owner's display name." },
  { name: 'email', description: "The token owner's email address, where Jira shows it." },
  { name: 'username', description: 'The login name (Data Center/Server); empty on Jira Cloud.' },
  { name: 'user-key', description: 'The user key (Data Center/Server); empty on Jira Cloud.' },
  {
    name: 'account-id',
    description: 'The Atlassian accountId (Jira Cloud); empty on Data Center/Server.'
  },
  {
    name: 'account-type',
    description:
      'The Cloud accountType: atlassian (a person), app (a service account or app), customer; empty on Data Center/Server.'
  },
  { name: 'active', description: 'Whether the account is active (true/false).' },
  { name: 'time-zone', description: "The account's time zone." },
  { name: 'locale', description: "The account's locale." },
  { name: 'identity', description: 'The /myself JSON, compact.' },
  {
    name: 'deployment-type',
    description: 'From serverInfo (Server for Data Center/Server, Cloud for Jira Cloud).'
  },
  { name: 'server-version', description: 'From serverInfo.' },
  { name: 'token-name', description: "The matched PAT's name." },
  {
    name: 'token-expires-at',
    description: "The token's expiry in ISO 8601; empty for non-expiring or unknown."
  },
  { name: 'token-days-left', description: 'Whole days left before the token expires, or empty.' },
  {
    name: 'token-created-at',
    description:
      'When the matched PAT was created, in ISO 8601 (Data Center PAT list); empty where unknown.'
  },
  {
    name: 'token-last-used-at',
    description:
      'When the matched PAT was last used, in ISO 8601 (Data Center PAT list); empty where unknown.'
  },
  {
    name: 'missing-permissions',
    description: 'Comma-separated permission keys the token lacks (or Jira does not know).'
  },
  {
    name: 'credential-kind',
    description:
      'pat, bearer-token, password, api-token, scoped-api-token or oauth-client-credentials; empty when the credential was refused and its kind cannot be told.'
  },
  {
    name: 'api-base-url',
    description:
      'The base URL later steps must use for REST calls: the site or Data Center URL, or the API gateway URL when only the gateway works.'
  },
  { name: 'cloud-id', description: "The Jira Cloud site's cloudId, when known." },
  {
    name: 'access-token',
    description:
      'Client credentials only: the OAuth 2.0 access token obtained, masked in logs, for later steps of the job.'
  },
  {
    name: 'access-token-expires-at',
    description: 'When that access token expires, in ISO 8601.'
  },
  {
    name: 'policy-findings',
    description:
      'Comma-separated token hygiene finding codes (no-expiry, long-lifetime, admin-rights, stale-tokens, personal-account, classic-api-token, insecure-http); empty when none.'
  }
] as const

export type OutputName = (typeof OUTPUTS)[number]['name']
export type Outputs = Record<OutputName, string>

export const OUTPUT_NAMES: readonly OutputName[] = OUTPUTS.map((output) => output.name)

/** The one output that carries a secret: written as it is (the runner masks it), redacted everywhere else. */
export const SECRET_OUTPUTS: readonly OutputName[] = ['access-token']

/** Every output as a string, empty where unknown: the same values in the action and the CLI. */
export function outputsOf(result: CheckResult): Outputs {
  const user = result.user
  const missing =
    result.permissions?.filter((permission) => !permission.granted).map((p) => p.key) ?? []
  return {
    status: result.status,
    'error-code': result.failure?.code ?? '',
    'http-status': result.httpStatus !== undefined ? String(result.httpStatus) : '',
    'display-name': user?.displayName ?? '',
    email: user?.emailAddress ?? '',
    username: user?.name ?? '',
    'user-key': user?.key ?? '',
    'account-id': user?.accountId ?? '',
    'account-type': user?.accountType ?? '',
    active: typeof user?.active === 'boolean' ? String(user.active) : '',
    'time-zone': user?.timeZone ?? '',
    locale: user?.locale ?? '',
    identity: result.identityJson ?? '',
    'deployment-type': result.server?.deploymentType ?? '',
    'server-version': result.server?.version ?? '',
    'token-name': result.expiry?.name ?? '',
    'token-expires-at': result.expiry?.expiresAt ?? '',
    'token-days-left': result.expiry?.daysLeft !== undefined ? String(result.expiry.daysLeft) : '',
    'token-created-at': result.expiry?.createdAt ?? '',
    'token-last-used-at': result.expiry?.lastUsedAt ?? '',
    'missing-permissions': missing.join(','),
    'credential-kind': result.credentialKind ?? '',
    'api-base-url': result.apiBaseUrl ?? '',
    'cloud-id': result.cloudId ?? '',
    'access-token': result.accessToken?.token ?? '',
    'access-token-expires-at': result.accessToken?.expiresAt ?? '',
    'policy-findings': (result.policy ?? []).map((finding) => finding.code).join(',')
  }
}
