/**
 * Every setting, declared once. The action reads its inputs from this table (action.yml must say
 * the same: __tests__/contract.test.ts), the CLI builds its flags and `--help` from it, and the
 * README's inputs table is checked against it.
 */

export type InputKind =
  'url' | 'secret' | 'text' | 'list' | 'seconds' | 'count' | 'days' | 'boolean' | 'date' | 'choice'

export interface InputSpec {
  /** The action input and the CLI flag (`--name`). */
  readonly name: string
  /** The environment variable both front-ends fall back to. */
  readonly env?: string
  /** The default, as action.yml declares it ('' for none). */
  readonly default: string
  readonly kind: InputKind
  /** Masked first thing; in the CLI it never comes from argv. */
  readonly secret: boolean
  /** One line: action.yml's description and the CLI's --help. */
  readonly description: string
  /** Action only (the CLI has no job summary). */
  readonly actionOnly?: boolean
  /** The values a `choice` takes. */
  readonly choices?: readonly string[]
}

/** The values of `token-policy`. */
export const TOKEN_POLICIES = ['warn', 'fail', 'off'] as const

export const INPUTS = [
  {
    name: 'domain',
    env: 'JIRA_DOMAIN',
    default: '',
    kind: 'url',
    secret: false,
    description:
      'Jira base URL, including any context path (https://jira.example.com or https://example.com/jira).'
  },
  {
    name: 'token',
    env: 'JIRA_PAT',
    default: '',
    kind: 'secret',
    secret: true,
    description:
      'A Data Center/Server personal access token, sent as "Authorization: Bearer <token>"; with `username` set it is sent as the password instead (a Jira Cloud API token).'
  },
  {
    name: 'username',
    env: 'JIRA_USERNAME',
    default: '',
    kind: 'text',
    secret: false,
    description:
      'If set, use Basic auth with username:token. For Jira Cloud this is the Atlassian account email and `token` is an API token.'
  },
  {
    name: 'client-id',
    env: 'JIRA_CLIENT_ID',
    default: '',
    kind: 'text',
    secret: false,
    description:
      'The OAuth 2.0 client id of a service account (Jira Cloud or Data Center). Use it with `client-secret` instead of `token`.'
  },
  {
    name: 'client-secret',
    env: 'JIRA_CLIENT_SECRET',
    default: '',
    kind: 'secret',
    secret: true,
    description:
      'The OAuth 2.0 client secret that goes with `client-id`. Masked first, like `token`.'
  },
  {
    name: 'cloud-id',
    default: '',
    kind: 'text',
    secret: false,
    description:
      "The Jira Cloud site's cloudId, to skip its discovery (https://<site>.atlassian.net/_edge/tenant_info)."
  },
  {
    name: 'timeout-seconds',
    default: '30',
    kind: 'seconds',
    secret: false,
    description:
      'Deadline for the whole check, counted from start-up: every attempt, retry wait and stalled body included. At most 600.'
  },
  {
    name: 'retries',
    default: '2',
    kind: 'count',
    secret: false,
    description:
      'Extra attempts, for transient failures only (network resets, 429, 502, 503, 504). At most 10.'
  },
  {
    name: 'allow-insecure-http',
    default: 'false',
    kind: 'boolean',
    secret: false,
    description: 'Allow an http:// domain. The token then travels in clear text.'
  },
  {
    name: 'summary',
    default: 'true',
    kind: 'boolean',
    secret: false,
    actionOnly: true,
    description: 'Write a job summary.'
  },
  {
    name: 'expected-user',
    default: '',
    kind: 'list',
    secret: false,
    description:
      'Comma- or newline-separated list. Fail with identity-mismatch unless the token belongs to one of them, matched case-insensitively by username, user key, email or accountId.'
  },
  {
    name: 'required-permissions',
    default: '',
    kind: 'list',
    secret: false,
    description:
      'Comma- or newline-separated Jira permission keys (BROWSE_PROJECTS, TRANSITION_ISSUES, ...) the token must hold. Checked with /rest/api/2/mypermissions.'
  },
  {
    name: 'project',
    default: '',
    kind: 'text',
    secret: false,
    description:
      'Project key that scopes `required-permissions`. A project that is unknown or not visible to the token fails with project-not-found.'
  },
  {
    name: 'token-name',
    default: '',
    kind: 'text',
    secret: false,
    description: "The PAT's name as shown in Jira, used to find its expiry (Data Center/Server)."
  },
  {
    name: 'token-expires-on',
    default: '',
    kind: 'date',
    secret: false,
    description:
      "The token's expiry as an ISO date (2027-03-31), for tokens whose expiry Jira does not expose, such as Jira Cloud API tokens."
  },
  {
    name: 'expiry-warning-days',
    default: '14',
    kind: 'days',
    secret: false,
    description:
      'Within this many days of expiry, set status=warning and warn; the check still passes. 0 turns it off.'
  },
  {
    name: 'expiry-error-days',
    default: '0',
    kind: 'days',
    secret: false,
    description: 'Within this many days of expiry, fail with token-expiring. 0 turns it off.'
  },
  {
    name: 'token-policy',
    default: 'warn',
    kind: 'choice',
    choices: TOKEN_POLICIES,
    secret: false,
    description:
      'Token hygiene: warn lists findings in one warning and the summary (the step still passes, status unchanged); fail fails with token-policy; off sends no policy request and reports nothing.'
  },
  {
    name: 'max-token-lifetime-days',
    default: '90',
    kind: 'days',
    secret: false,
    description:
      'The longest token lifetime accepted (expiry minus creation), for the long-lifetime finding. 0 means no limit.'
  },
  {
    name: 'stale-token-days',
    default: '90',
    kind: 'days',
    secret: false,
    description:
      'Other tokens of the account unused for this many days, or never used, are listed for review (stale-tokens). 0 turns it off.'
  },
  {
    name: 'token-policy-ignore',
    default: '',
    kind: 'list',
    secret: false,
    description:
      'Comma-separated finding codes to leave out: no-expiry, long-lifetime, admin-rights, stale-tokens, personal-account, classic-api-token, insecure-http.'
  }
] as const satisfies readonly InputSpec[]

export type InputName = (typeof INPUTS)[number]['name']

/** Every setting as a string, before any validation: what the front-ends hand the engine. */
export type RawSettings = Readonly<Record<InputName, string>>

export function inputSpec(name: InputName): InputSpec {
  return INPUTS.find((input) => input.name === name)!
}

/**
 * action.yml's (or rotate/action.yml's) description of an input: the schema's, and the environment
 * variable it falls back to.
 */
export function actionDescription(input: Pick<InputSpec, 'description' | 'env'>): string {
  return input.env
    ? `${input.description} Defaults to the ${input.env} environment variable.`
    : input.description
}

/** The schema defaults for every setting, for a front-end to fill in what it was not given. */
export function defaults(): Record<InputName, string> {
  return Object.fromEntries(INPUTS.map((input) => [input.name, input.default])) as Record<
    InputName,
    string
  >
}
