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
    name: 'missing-permissions',
    description: 'Comma-separated permission keys the token lacks (or Jira does not know).'
  }
] as const

export type OutputName = (typeof OUTPUTS)[number]['name']
export type Outputs = Record<OutputName, string>

export const OUTPUT_NAMES: readonly OutputName[] = OUTPUTS.map((output) => output.name)

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
    active: typeof user?.active === 'boolean' ? String(user.active) : '',
    'time-zone': user?.timeZone ?? '',
    locale: user?.locale ?? '',
    identity: result.identityJson ?? '',
    'deployment-type': result.server?.deploymentType ?? '',
    'server-version': result.server?.version ?? '',
    'token-name': result.expiry?.name ?? '',
    'token-expires-at': result.expiry?.expiresAt ?? '',
    'token-days-left': result.expiry?.daysLeft !== undefined ? String(result.expiry.daysLeft) : '',
    'missing-permissions': missing.join(',')
  }
}
