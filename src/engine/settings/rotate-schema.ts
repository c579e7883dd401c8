/**
 * Every input of the rotate action, declared once, as schema.ts does for the check: the action
 * reads its inputs from this table, and rotate/action.yml and the README's rotate tables must say
 * the same (__tests__/rotate-contract.test.ts).
 */
import type { InputName, InputSpec } from './schema.js'

export interface RotateInputSpec extends InputSpec {
  /** action.yml's `required:`. The action still validates the value itself. */
  readonly required?: boolean
  /** The README's default column, where the default is another input or the environment. */
  readonly defaultText?: string
}

export const ROTATE_INPUTS = [
  {
    name: 'domain',
    env: 'JIRA_DOMAIN',
    default: '',
    kind: 'url',
    secret: false,
    description:
      'Jira Data Center/Server base URL, including any context path (https://jira.example.com or https://example.com/jira).'
  },
  {
    name: 'token',
    env: 'JIRA_PAT',
    default: '',
    kind: 'secret',
    secret: true,
    description:
      'The personal access token in use now: the value of the secret that `secret-name` names. It creates its successor and, unless `revoke-old` is false, is revoked once the secret holds the new one.'
  },
  {
    name: 'token-name',
    default: '',
    kind: 'text',
    secret: false,
    required: true,
    description:
      "The current token's name in Jira (Profile › Personal Access Tokens). It must match exactly one token; otherwise nothing is created."
  },
  {
    name: 'new-token-name',
    default: '',
    kind: 'text',
    secret: false,
    defaultText: '`token-name`',
    description:
      'The name of the new token. Empty: `token-name`. A name that would leave two tokens of the same name after the run is refused.'
  },
  {
    name: 'expiration-days',
    default: '90',
    kind: 'days',
    secret: false,
    description:
      "The new token's lifetime in days, at least 1. Jira refuses more than its maximum (365 unless an administrator changed it)."
  },
  {
    name: 'rotate-within-days',
    default: '14',
    kind: 'days',
    secret: false,
    description:
      'Rotate only when the current token expires within this many days; otherwise change nothing. 0 rotates on every run.'
  },
  {
    name: 'secret-name',
    default: '',
    kind: 'text',
    secret: false,
    required: true,
    description:
      'The GitHub Actions secret that feeds `token`, e.g. JIRA_PAT. It must already exist: the action replaces it, never creates it.'
  },
  {
    name: 'secret-repository',
    env: 'GITHUB_REPOSITORY',
    default: '',
    kind: 'text',
    secret: false,
    defaultText: 'the current repository (env `GITHUB_REPOSITORY`)',
    description: 'owner/name of the repository that holds the secret.'
  },
  {
    name: 'secret-environment',
    default: '',
    kind: 'text',
    secret: false,
    description:
      'If set, the secret is an environment secret of this environment of `secret-repository`; empty: a repository secret.'
  },
  {
    name: 'github-token',
    default: '',
    kind: 'secret',
    secret: true,
    required: true,
    description:
      'A token that may write that one secret: a GitHub App installation token (actions/create-github-app-token with permission-secrets: write) or a fine-grained PAT. GITHUB_TOKEN cannot write secrets.'
  },
  {
    name: 'revoke-old',
    default: 'true',
    kind: 'boolean',
    secret: false,
    description: 'Revoke the old token once the secret holds the new one.'
  },
  {
    name: 'dry-run',
    default: 'false',
    kind: 'boolean',
    secret: false,
    description:
      'Check, decide and report what a real run would do, reading Jira and GitHub only; change nothing.'
  },
  {
    name: 'timeout-seconds',
    default: '60',
    kind: 'seconds',
    secret: false,
    description:
      'Deadline for the whole rotation, counted from start-up. The last part of it is kept for undoing a half-done rotation. At most 600.'
  },
  {
    name: 'retries',
    default: '2',
    kind: 'count',
    secret: false,
    description:
      'Extra attempts, for transient failures only (network resets, 429, 502, 503, 504). Creating a token is never retried. At most 10.'
  },
  {
    name: 'allow-insecure-http',
    default: 'false',
    kind: 'boolean',
    secret: false,
    description: 'Allow an http:// domain. Both tokens then travel in clear text.'
  },
  {
    name: 'summary',
    default: 'true',
    kind: 'boolean',
    secret: false,
    description: 'Write a job summary.'
  }
] as const satisfies readonly RotateInputSpec[]

export type RotateInputName = (typeof ROTATE_INPUTS)[number]['name']

/** Every name a setting may have, in either action (the check's and the rotation's). */
export type SettingName = InputName | RotateInputName

/** Every rotate input as a string, before validation. */
export type RawRotateSettings = Readonly<Record<RotateInputName, string>>

export function rotateInputSpec(name: RotateInputName): RotateInputSpec {
  return ROTATE_INPUTS.find((input) => input.name === name)!
}
