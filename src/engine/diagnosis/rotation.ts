/**
 * The rotation's catalogue: one entry per rotation code, and the check's own catalogue for the
 * check step. Every diagnosis says which step the run ended in, the state it left the secret and
 * both tokens in, and what to do; every value from Jira or GitHub arrives neutralised.
 */
import type { Failure } from '../findings.js'
import { statusOf, urlOf } from '../findings.js'
import { ERROR_CODES } from '../findings.js'
import type {
  AnyFailure,
  GithubEvidence,
  Rollback,
  RotationContext,
  RotationErrorCode,
  RotationFailure,
  RotationFailureOf,
  RotateResult,
  RotationWarning,
  TokenRef
} from '../rotate/findings.js'
import type { SecretTarget } from '../settings/rotate-parse.js'
import { diagnose } from './catalogue.js'
import { from, patPage } from './hints.js'
import type { Platform } from './platform.js'

export interface RotationDiagnosis {
  code: string
  title: string
  headline: string
  explanation?: string
  /** "Step 4 of 5, write the secret". */
  step: string
  /** The secret and both tokens, as the run left them. */
  state: string
  steps: string[]
}

type Words = Omit<RotationDiagnosis, 'code' | 'step'>
type Entries = {
  [C in RotationErrorCode]: (
    failure: RotationFailureOf<C>,
    context: RotationContext,
    p: Platform
  ) => Words
}

type StepName = RotateResult['step']

const STEP_TEXT: Record<StepName, string> = {
  inputs: 'Before any request: the inputs',
  unknown: 'Unknown: the log above shows the last step the rotation reached',
  check: 'Step 1 of 5, check (Jira, the current token, GitHub and the secret)',
  create: 'Step 2 of 5, create the new token',
  verify: 'Step 3 of 5, verify the new token',
  write: 'Step 4 of 5, write the secret',
  revoke: 'Step 5 of 5, revoke the old token'
}

export function stepText(step: StepName): string {
  return STEP_TEXT[step]
}

/** "the repository secret `JIRA_PAT` of acme/pipeline". */
export function secretLabel(target: SecretTarget | undefined): string {
  if (!target) return 'the secret'
  const repository = `${target.owner}/${target.repo}`
  return target.environment
    ? `the secret \`${target.name}\` of environment "${target.environment}" in ${repository}`
    : `the repository secret \`${target.name}\` of ${repository}`
}

/** `"deploy-bot" (id 58, expires 2026-12-10)`. Names are neutralised by tokenRef. */
export function tokenText(token: TokenRef | undefined, withExpiry = false): string {
  if (!token) return 'the current token'
  const parts = [
    token.id !== undefined ? `id ${token.id}` : '',
    withExpiry && token.expiresAt ? `expires ${token.expiresAt.slice(0, 10)}` : ''
  ].filter(Boolean)
  return `"${token.name}"${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`
}

/** A failure of a Jira request in a few words: "HTTP 500 (server-error)", "ECONNRESET". */
export function causeText(cause: Failure): string {
  const status = statusOf(cause)
  if ('network' in cause) return `${cause.network.errno}, ${cause.code}`
  if (cause.code === 'timeout') return 'no answer before the deadline, timeout'
  return status !== undefined ? `HTTP ${status}, ${cause.code}` : cause.code
}

/** What GitHub said: "GitHub answered HTTP 403 to PUT https://…: "Resource not accessible…"". */
export function githubAnswer(e: GithubEvidence): string {
  const request = `${e.method} ${e.url}`
  const tries = e.attempts && e.attempts > 1 ? ` (${e.attempts} attempts)` : ''
  const id = e.requestId ? ` (request id ${e.requestId})` : ''
  if (e.status !== undefined) {
    return `GitHub answered HTTP ${e.status} to ${request}${tries}${e.message ? `: "${e.message}"` : ''}${id}`
  }
  if (e.timedOut) return `GitHub did not answer ${request} before the deadline${tries}`
  return `GitHub did not answer ${request}${tries}: the connection failed (${e.errno ?? 'unknown error'}${e.message ? `: ${e.message}` : ''})`
}

function unchanged(c: RotationContext): string {
  return (
    `Nothing was changed: no token was created, ${secretLabel(c.secret)} was not written, ` +
    `and the current token${c.old ? ` ${tokenText(c.old)}` : ''} was left as it was.`
  )
}

function keptSecret(c: RotationContext): string {
  return `${capital(secretLabel(c.secret))} still holds the current token ${tokenText(c.old)}, which still works.`
}

function rollbackState(rollback: Rollback, c: RotationContext): string {
  return rollback.revoked
    ? `${keptSecret(c)} The new token ${tokenText(rollback.token)} was revoked again: nothing is left over.`
    : `${keptSecret(c)} The new token ${tokenText(rollback.token)} could not be revoked (${rollback.cause ? causeText(rollback.cause) : 'no id'}) ` +
        'and still exists, unused: nobody holds its value, but revoke it by hand.'
}

function rollbackSteps(rollback: Rollback, c: RotationContext): string[] {
  return rollback.revoked
    ? []
    : [`Revoke the unused new token ${tokenText(rollback.token)} in ${patPage(c)}.`]
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function list(tokens: readonly TokenRef[]): string {
  return tokens.map((token) => tokenText(token, true)).join(', ')
}

/** What to do about a GitHub answer, by status: shared by the check step and the write. */
function githubSteps(e: GithubEvidence, c: RotationContext, p: Platform): string[] {
  const environment = c.secret?.environment
  const permission = environment ? 'Secrets: write and Environments: write' : 'Secrets: write'
  switch (e.status) {
    case 401:
      return [
        `Create ${p.setting('github-token')} in the same job, just before this step: an installation token from actions/create-github-app-token lives one hour.`,
        'A fine-grained personal access token may have expired or been revoked; on GitHub Enterprise Server it must come from that server.'
      ]
    case 403:
      return [
        `Give ${p.setting('github-token')} ${permission} on ${c.secret ? `${c.secret.owner}/${c.secret.repo}` : 'the repository'} and nothing else: a GitHub App installation token (actions/create-github-app-token with \`permission-secrets: write\`${environment ? ' and `permission-environments: write`' : ''}) or a fine-grained personal access token.`,
        "GITHUB_TOKEN (`${{ github.token }}`) cannot do this: it has no permission for secrets, whatever the workflow's `permissions:` say."
      ]
    case 404:
      return [
        `Check ${p.setting('secret-repository')}${environment ? ` and ${p.setting('secret-environment')}` : ''}: GitHub answers 404 for a repository the token cannot see as for one that does not exist.`,
        'Check that the GitHub App is installed on that repository (or that the fine-grained token includes it).'
      ]
    case 422:
      return [
        'GitHub refused the value as sealed: the public key may have changed twice during the run. Re-run the step.'
      ]
    case undefined:
    default:
      return [
        'Re-run later: GitHub may be having trouble (https://www.githubstatus.com), or a proxy between here and GitHub failed.',
        'The API address comes from GITHUB_API_URL, which the runner sets; on GitHub Enterprise Server it is https://HOST/api/v3.',
        ...(e.errno && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(e.errno) ? [p.caHint] : [])
      ]
  }
}

const catalogue: Entries = {
  'rotation-unsupported': (e, c, p) => ({
    title: 'This Jira cannot rotate personal access tokens',
    headline: `The rotation needs Jira's personal access token list, but ${e.reason}`,
    explanation:
      'Only Jira Data Center/Server 8.14 and later create and revoke personal access tokens over REST. Jira Cloud API tokens can only be made in the Atlassian account pages.',
    state: unchanged(c),
    steps: [
      `Check that ${p.setting('domain')} is a Jira Data Center/Server of version 8.14 or later.`,
      'If Jira refuses the list (HTTP 401 or 403), an administrator may have turned personal access tokens off.'
    ]
  }),
  'token-name-ambiguous': (e, c) => ({
    title: 'Several tokens have that name',
    headline: `${e.tokens.length} tokens of this account are named "${e.tokenName}": ${list(e.tokens)}`,
    explanation:
      "A token's value does not say which entry of the list it is, so the rotation cannot tell which one is in use; revoking the wrong one would break whoever uses it.",
    state: unchanged(c),
    steps: [
      `In ${patPage(c)}, revoke the tokens named "${e.tokenName}" that are no longer used (the time each was last used shows which), until one is left.`,
      'Give every token its own name from now on.'
    ]
  }),
  'new-token-name-taken': (e, c, p) => ({
    title: 'Another token already has the new name',
    headline: `${p.setting('new-token-name')} is "${e.newTokenName}", but ${list(e.tokens)} already has that name: after the run two tokens would share it`,
    explanation: 'Two tokens of one name cannot be told apart by the next rotation.',
    state: unchanged(c),
    steps: [
      `Choose another ${p.setting('new-token-name')}, or leave it empty to reuse ${p.setting('token-name')}.`,
      `Or revoke ${list(e.tokens)} in ${patPage(c)} if nothing uses it.`
    ]
  }),
  'github-unauthorized': (e, c, p) => ({
    title: `GitHub did not accept ${p.setting('github-token')} (HTTP 401)`,
    headline: githubAnswer(e.github),
    explanation:
      'The token is expired, revoked or mistyped, or belongs to another GitHub host than GITHUB_API_URL.',
    state: unchanged(c),
    steps: githubSteps(e.github, c, p)
  }),
  'github-forbidden': (e, c, p) => ({
    title: `${capital(p.setting('github-token'))} may not use the secret (HTTP 403)`,
    headline: githubAnswer(e.github),
    explanation:
      '"Resource not accessible by integration" is the answer for an installation token without the Secrets permission, which includes GITHUB_TOKEN.',
    state: unchanged(c),
    steps: githubSteps(e.github, c, p)
  }),
  'github-not-found': (e, c, p) => ({
    title: `GitHub does not show that ${c.secret?.environment ? 'environment' : 'repository'} (HTTP 404)`,
    headline: githubAnswer(e.github),
    state: unchanged(c),
    steps: githubSteps(e.github, c, p)
  }),
  'secret-not-found': (e, c, p) => ({
    title: 'The secret does not exist',
    headline: `${capital(secretLabel(c.secret))} does not exist (${githubAnswer(e.github)})`,
    explanation:
      'The rotation only replaces a secret that exists. Writing a new one that no workflow reads, and then revoking the token the real secret holds, would break every job that uses it.',
    state: unchanged(c),
    steps: [
      `Set ${p.setting('secret-name')} to the name behind \`token: \${{ secrets.NAME }}\` in the jobs that use the token.`,
      c.secret?.environment
        ? `The secret is looked for in environment "${c.secret.environment}": if it is a repository secret, leave ${p.setting('secret-environment')} empty.`
        : `The secret is looked for among the repository secrets: if it is an environment secret, set ${p.setting('secret-environment')}. Organization secrets are not supported.`
    ]
  }),
  'github-error': (e, c, p) => ({
    title: 'GitHub could not be reached or answered unexpectedly',
    headline: githubAnswer(e.github),
    state: unchanged(c),
    steps: githubSteps(e.github, c, p)
  }),
  'token-lifetime-too-long': (e, c, p) => ({
    title: `Jira refused the lifetime in ${p.setting('expiration-days')}`,
    headline: `Jira refused to create a token for ${e.requestedDays} days${e.maxDays !== undefined ? `: its maximum is ${e.maxDays} days` : ''} (HTTP ${e.response.status}${from(e.response)})`,
    explanation: e.response.bodyExcerpt ? `Jira said: "${e.response.bodyExcerpt}"` : undefined,
    state: `Jira created nothing. ${unchanged(c)}`,
    steps: [
      `Set ${p.setting('expiration-days')} to ${e.maxDays ?? 'the maximum'} or less, e.g. \`${p.assignment('expiration-days', String(Math.min(90, e.maxDays ?? 90)))}\`.`,
      'The maximum is the Jira system property atlassian.pats.max.tokens.expiry.days (365 unless an administrator changed it).'
    ]
  }),
  'token-create-refused': (e, c, p) => ({
    title: `Jira refused to create the token (HTTP ${e.response.status})`,
    headline: `Jira answered HTTP ${e.response.status}${from(e.response)}${e.response.bodyExcerpt ? `: "${e.response.bodyExcerpt}"` : ''}`,
    state: `Jira created nothing. ${unchanged(c)}`,
    steps: createRefusedSteps(e, c, p)
  }),
  'token-create-failed': (e, c, p) => ({
    title: 'Creating the token got no usable answer',
    headline: `POST ${urlOf(e.cause) ?? 'the token list'} ended without a usable answer (${causeText(e.cause)})`,
    explanation:
      'A create is never retried, since a second one could make a second token. Jira may have made one anyway, so the rotation read the token list afterwards.',
    state: cleanupState(e, c),
    steps: [...cleanupSteps(e, c), ...diagnose(e.cause, c, p).steps.slice(0, 2)]
  }),
  'new-token-rejected': (e, c, p) => ({
    title: 'The new token did not work',
    headline: `Jira created ${tokenText(e.rollback.token)}, but /myself with it failed: ${diagnose(e.cause, c, p).headline}`,
    explanation: 'A token that does not work must never reach the secret, so it was taken back.',
    state: rollbackState(e.rollback, c),
    steps: [
      ...rollbackSteps(e.rollback, c),
      ...(e.cause.code === 'unauthorized'
        ? [
            'Jira made the token but does not accept it, although Jira checks every token against its database on each request. Something in front of Jira that treats requests differently (a proxy that strips the Authorization header on some of them, or sends them to another Jira) looks like this.',
            'Re-run the rotation once that is fixed.'
          ]
        : diagnose(e.cause, c, p).steps.slice(0, 2))
    ]
  }),
  'new-token-user-mismatch': (e, c) => ({
    title: 'The new token belongs to another account',
    headline: `The new token authenticates as ${e.actual}, not as ${e.expected}, whose token created it`,
    explanation:
      'Jira makes a token for the account that asks, so something in front of Jira (a proxy or an authentication app that maps requests to users) answered for another account.',
    state: rollbackState(e.rollback, c),
    steps: [
      ...rollbackSteps(e.rollback, c),
      'Ask the Jira administrators to check the proxy or authentication app in front of Jira before rotating again.'
    ]
  }),
  'secret-write-failed': (e, c, p) => ({
    title: 'GitHub did not store the new token',
    headline: githubAnswer(e.github),
    explanation: e.settledByRecord
      ? "The answer was unclear, and GitHub's record of the secret (its updated_at) shows that the write did not land."
      : undefined,
    state: rollbackState(e.rollback, c),
    steps: [...rollbackSteps(e.rollback, c), ...githubSteps(e.github, c, p)]
  }),
  'secret-write-unknown': (e, c) => ({
    title: 'It is not known whether the secret holds the new token',
    headline: githubAnswer(e.github),
    explanation:
      "GitHub never shows a secret's value, and the write got no clear answer. " +
      {
        changed:
          "GitHub's record of the secret changed, so it most likely holds the new token; without an acknowledgement the rotation does not rely on it.",
        unchanged:
          "GitHub's record of the secret did not change, so it most likely still holds the current token; a write GitHub was still processing could land later.",
        unreadable: "GitHub's record of the secret could not be read either."
      }[e.record],
    state:
      `Both tokens work and neither was revoked: the current token ${tokenText(c.old, true)} and the new token ${tokenText(e.created, true)}. ` +
      `${capital(secretLabel(c.secret))} holds one of them, so every job that uses it keeps working.`,
    steps: [
      `Run a job that uses the secret (the check action is enough), wait a minute, and open ${patPage(c)}: the token whose last-used time just changed is the one in the secret. Revoke the other one there.`,
      ...(e.created.name === c.old?.name
        ? [
            `Until then the next rotation refuses to run, since two tokens are named "${e.created.name}" (token-name-ambiguous).`
          ]
        : [])
    ]
  })
}

function createRefusedSteps(
  e: RotationFailureOf<'token-create-refused'>,
  c: RotationContext,
  p: Platform
): string[] {
  const said = e.response.bodyExcerpt ?? ''
  if (e.response.status === 403 && /more than \d+ tokens|limit|UserTokenLimit/i.test(said)) {
    return [
      `The account has as many tokens as Jira allows (atlassian.pats.max.tokens.per.user, 10 by default). Revoke the ones it no longer uses in ${patPage(c)}; expired tokens count until Jira prunes them, 30 days after they expire.`
    ]
  }
  if (e.response.status === 400 && /name/i.test(said)) {
    return [
      `Jira refused the name: ${p.setting('new-token-name')} must be one line of at most 40 characters (atlassian.pats.token.name.length).`
    ]
  }
  if (e.response.status === 429) {
    return [
      'Jira is rate-limiting this account; re-run later, or ask an administrator to exempt it.'
    ]
  }
  return [
    'Jira accepted the current token for reading but refused to create one with it: an administrator may restrict token creation, or a proxy may refuse POST requests.',
    "Jira's answer above says more; the Jira logs say the rest."
  ]
}

function cleanupState(e: RotationFailureOf<'token-create-failed'>, c: RotationContext): string {
  const name = c.newTokenName ?? ''
  const untouched = `${capital(secretLabel(c.secret))} was not written, and the current token ${tokenText(c.old)} still works.`
  if (!e.cleanup.listed) {
    return `The token list could not be read afterwards, so Jira may have created a token named "${name}" that nobody holds. ${untouched}`
  }
  const stray = e.cleanup.found
  if (stray.length === 0)
    return `The token list shows no new token named "${name}": Jira created none. ${untouched}`
  const left = stray.filter((token) => !token.revoked)
  if (left.length === 0) {
    return `Jira had created ${list(stray)}; nobody holds its value, and it was revoked again. ${untouched}`
  }
  return `Jira created ${list(left)}, which could not be revoked; nobody holds its value. ${untouched}`
}

function cleanupSteps(e: RotationFailureOf<'token-create-failed'>, c: RotationContext): string[] {
  if (!e.cleanup.listed) {
    return [
      `In ${patPage(c)}, revoke any token named "${c.newTokenName ?? ''}" created just now that is not ${tokenText(c.old)}.`
    ]
  }
  const left = e.cleanup.found.filter((token) => !token.revoked)
  return left.length > 0 ? [`Revoke ${list(left)} in ${patPage(c)}.`] : []
}

const CHECK_CODES = new Set<string>(ERROR_CODES)

/** Any failure of a rotation, worded for the front-end. */
export function diagnoseRotation(
  failure: AnyFailure,
  step: StepName,
  context: RotationContext,
  p: Platform
): RotationDiagnosis {
  if (CHECK_CODES.has(failure.code)) {
    const words = diagnose(failure as Failure, context, p)
    const state = {
      inputs: 'Nothing was sent anywhere.',
      unknown:
        'Unknown: the log above names every token this run created or revoked, and whether the secret was written.'
    }
    return {
      ...words,
      step: stepText(step),
      state: step === 'inputs' || step === 'unknown' ? state[step] : unchanged(context)
    }
  }
  const rotation = failure as RotationFailure
  const entry = catalogue[rotation.code] as (
    failure: RotationFailure,
    context: RotationContext,
    p: Platform
  ) => Words
  return { code: rotation.code, step: stepText(step), ...entry(rotation, context, p) }
}

/** The warning when the old token stays: the rotation worked, and a person finishes it. */
export function describeRotationWarning(
  warning: RotationWarning,
  created: TokenRef | undefined,
  context: RotationContext,
  p: Platform
): RotationDiagnosis {
  const why = warning.cause
    ? `${diagnose(warning.cause, context, p).headline}`
    : 'Jira answered 204 but still lists it'
  const sameName = created && created.name === warning.old.name
  return {
    code: warning.code,
    title: 'The old token could not be revoked',
    headline: `Revoking the old token ${tokenText(warning.old)} failed: ${why}`,
    step: stepText('revoke'),
    state:
      `${capital(secretLabel(context.secret))} holds the new token ${tokenText(created, true)}, which works. ` +
      `The old token still works too${warning.old.expiresAt ? `, until it expires on ${warning.old.expiresAt.slice(0, 10)}` : ''}: nothing is lost.`,
    steps: [
      `Revoke the old token ${tokenText(warning.old)} by hand in ${patPage(context)}${sameName ? ` (the one with id ${warning.old.id}: both are named "${warning.old.name}")` : ''}.`,
      ...(sameName
        ? ['Until then the next rotation refuses to run, since two tokens share the name.']
        : [])
    ]
  }
}
