/**
 * RawRotateSettings → RotateSettings, or the missing-input/invalid-input failure that names the
 * input and shows a good value. The Jira half (domain, token, deadline, retries) is the check's
 * own parser, so both actions read those inputs identically. Pure, and before any request.
 */
import type { Platform } from '../diagnosis/platform.js'
import type { Failure, Note } from '../findings.js'
import { parseSettings, type Settings } from './parse.js'
import type { RawRotateSettings, RotateInputName } from './rotate-schema.js'
import { defaults, type RawSettings } from './schema.js'
import {
  InputError,
  UNEXPANDED_EXPRESSION,
  describeBadCharacter,
  invalid,
  missing
} from './values.js'

/** Where the secret lives on GitHub. */
export interface SecretTarget {
  readonly owner: string
  readonly repo: string
  /** An environment secret of this environment; undefined for a repository secret. */
  readonly environment?: string
  readonly name: string
}

export interface RotateSettings {
  /** The Jira half, parsed by the check's own parser (its token-name is ours). */
  readonly jira: Settings
  /** The same, as the check's raw settings: what checkToken is handed. */
  readonly checkRaw: RawSettings
  readonly tokenName: string
  readonly newTokenName: string
  readonly expirationDays: number
  /** 0: rotate on every run. */
  readonly rotateWithinDays: number
  readonly secret: SecretTarget
  readonly githubToken: string
  readonly revokeOld: boolean
  readonly dryRun: boolean
  readonly summary: boolean
}

export type RotateParseResult =
  | { ok: true; settings: RotateSettings; notes: Note[] }
  | {
      ok: false
      failure: Extract<Failure, { code: 'missing-input' | 'invalid-input' }>
      notes: Note[]
    }

/** GitHub's rules for secret names (docs: "Secrets reference, naming your secrets"). */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** owner/name as GitHub allows them: owners of letters, digits and hyphens; names also . and _. */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9._-]+$/
const MAX_SECRET_LENGTH = 4096

/** The check's inputs for the check step of a rotation: expiry gates off, the rotation decides. */
export function checkRawOf(raw: RawRotateSettings): RawSettings {
  // The schema defaults first: a setting the check gains later is off or empty here unless named.
  return {
    ...defaults(),
    domain: raw.domain,
    token: raw.token,
    'timeout-seconds': raw['timeout-seconds'],
    retries: raw.retries,
    'allow-insecure-http': raw['allow-insecure-http'],
    summary: 'false',
    'token-name': raw['token-name'],
    'expiry-warning-days': '0',
    'expiry-error-days': '0',
    // The rotation is the fix for most findings; the policy would only add requests here.
    'token-policy': 'off'
  }
}

export function parseRotateSettings(raw: RawRotateSettings, p: Platform): RotateParseResult {
  const checkRaw = checkRawOf(raw)
  const jira = parseSettings(checkRaw, p)
  if (!jira.ok) return jira
  try {
    return { ok: true, settings: parse(raw, checkRaw, jira.settings, p), notes: jira.notes }
  } catch (error) {
    if (error instanceof InputError) return { ok: false, failure: error.failure, notes: jira.notes }
    throw error
  }
}

function parse(
  raw: RawRotateSettings,
  checkRaw: RawSettings,
  jira: Settings,
  p: Platform
): RotateSettings {
  const tokenName = parseTokenName('token-name', raw['token-name'], p)
  if (!tokenName) {
    throw missing(
      'token-name',
      `${p.setting('token-name')} is empty. It is the current token's name as Jira lists it (Profile › Personal Access Tokens), ` +
        `e.g. \`${p.assignment('token-name', 'deploy-bot')}\`: the rotation finds the token's id by it, to revoke it later.`
    )
  }
  const newTokenName = parseTokenName('new-token-name', raw['new-token-name'], p) || tokenName
  const revokeOld = parseBoolean('revoke-old', raw['revoke-old'], p)
  if (newTokenName === tokenName && !revokeOld) {
    throw invalid(
      'new-token-name',
      `${p.setting('new-token-name')} is "${newTokenName}", the name of the current token, and ${p.setting('revoke-old')} is false: ` +
        `after the run two tokens would be named "${newTokenName}", and no later run could tell them apart. ` +
        `Give the new token its own name, e.g. \`${p.assignment('new-token-name', `${tokenName}-next`)}\`, or keep ${p.setting('revoke-old')} true.`
    )
  }
  const expirationDays = parseDays('expiration-days', raw['expiration-days'], p)
  if (expirationDays < 1) {
    throw invalid(
      'expiration-days',
      `${p.setting('expiration-days')} is ${expirationDays}; a new token needs a lifetime of at least 1 day, e.g. \`${p.assignment('expiration-days', '90')}\`.`
    )
  }
  return Object.freeze({
    jira,
    checkRaw,
    tokenName,
    newTokenName,
    expirationDays,
    rotateWithinDays: parseDays('rotate-within-days', raw['rotate-within-days'], p),
    secret: Object.freeze(parseSecretTarget(raw, p)),
    githubToken: parseGithubToken(raw['github-token'], jira.token, p),
    revokeOld,
    dryRun: parseBoolean('dry-run', raw['dry-run'], p),
    summary: parseBoolean('summary', raw.summary, p)
  } satisfies RotateSettings)
}

function rejectUnexpanded(input: RotateInputName, value: string, p: Platform): void {
  if (UNEXPANDED_EXPRESSION.test(value)) {
    throw invalid(
      input,
      `${p.setting(input)} contains "\${{", so a workflow expression was never expanded. ${p.unexpandedExpression(input)}`
    )
  }
}

/** A token name is free text in Jira; only what cannot sit on one line is refused. */
function parseTokenName(
  input: 'token-name' | 'new-token-name',
  value: string,
  p: Platform
): string {
  const name = value.trim()
  if (!name) return ''
  rejectUnexpanded(input, name, p)
  const bad = describeBadCharacter(name, { spaces: true, nonAscii: true })
  if (bad) {
    throw invalid(
      input,
      `${p.setting(input)} contains ${bad.name} at position ${bad.index + 1}; a token name is one line of text, e.g. deploy-bot.`
    )
  }
  return name
}

function parseBoolean(input: RotateInputName, value: string, p: Platform): boolean {
  const text = value.trim().toLowerCase()
  if (text === 'true') return true
  if (text === 'false') return false
  throw invalid(input, `${p.setting(input)} is "${value.trim()}"; use true or false.`)
}

function parseDays(input: 'expiration-days' | 'rotate-within-days', value: string, p: Platform) {
  const text = value.trim()
  if (!/^\d{1,6}$/.test(text)) {
    const example = input === 'expiration-days' ? '90' : '14 (0 rotates on every run)'
    throw invalid(
      input,
      `${p.setting(input)} is "${text}"; use a whole number of days, e.g. ${example}.`
    )
  }
  return Number(text)
}

function parseSecretTarget(raw: RawRotateSettings, p: Platform): SecretTarget {
  const name = raw['secret-name'].trim()
  if (!name) {
    throw missing(
      'secret-name',
      `${p.setting('secret-name')} is empty. Name the GitHub Actions secret that feeds ${p.setting('token')}, e.g. \`${p.assignment('secret-name', 'JIRA_PAT')}\` for \`token: \${{ secrets.JIRA_PAT }}\`.`
    )
  }
  rejectUnexpanded('secret-name', name, p)
  if (!SECRET_NAME.test(name) || /^GITHUB_/i.test(name)) {
    throw invalid(
      'secret-name',
      `${p.setting('secret-name')} is "${name}", which GitHub does not allow as a secret name: letters, digits and _, ` +
        'not starting with a digit or with GITHUB_. Give the name alone, e.g. JIRA_PAT, not secrets.JIRA_PAT or ${{ … }}.',
      /^secrets\.[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name.slice('secrets.'.length) : undefined
    )
  }
  const repository = raw['secret-repository'].trim()
  if (!repository) {
    throw missing(
      'secret-repository',
      `${p.setting('secret-repository')} is empty, and so is GITHUB_REPOSITORY, which the runner always sets: give the repository that holds the secret, e.g. \`${p.assignment('secret-repository', 'acme/pipeline')}\`.`
    )
  }
  rejectUnexpanded('secret-repository', repository, p)
  const bare = repository.replace(/^https?:\/\/[^/]+\//, '').replace(/\.git$|\/+$/g, '')
  if (!REPOSITORY.test(repository)) {
    throw invalid(
      'secret-repository',
      `${p.setting('secret-repository')} is "${repository}"; use owner/name, e.g. acme/pipeline.`,
      bare !== repository && REPOSITORY.test(bare) ? bare : undefined
    )
  }
  const [owner, repo] = repository.split('/')
  const environment = raw['secret-environment'].trim()
  if (environment) {
    rejectUnexpanded('secret-environment', environment, p)
    const bad = describeBadCharacter(environment, { spaces: true, nonAscii: true })
    if (bad || environment.length > 255) {
      throw invalid(
        'secret-environment',
        `${p.setting('secret-environment')} ${bad ? `contains ${bad.name} at position ${bad.index + 1}` : 'is longer than 255 characters'}; ` +
          'give the environment name as the repository settings show it, e.g. production.'
      )
    }
  }
  return { owner, repo, ...(environment && { environment }), name }
}

function parseGithubToken(value: string, jiraToken: string, p: Platform): string {
  const token = value.trim()
  const ref = p.setting('github-token')
  if (!token) {
    throw missing(
      'github-token',
      `${ref} is empty. Give it a token that may write the secret, e.g. the output of actions/create-github-app-token ` +
        `(\`${p.assignment('github-token', '${{ steps.app-token.outputs.token }}')}\`: check that step ran and has that id), or a fine-grained PAT from a secret. ` +
        'Secrets are empty in workflows triggered from forks and in Dependabot runs.'
    )
  }
  rejectUnexpanded('github-token', token, p)
  const bad = describeBadCharacter(token, { quotes: false })
  if (bad) {
    throw invalid(
      'github-token',
      `${ref} contains ${bad.name} at position ${bad.index + 1} of ${token.length}; a GitHub token is one line without spaces (ghs_…, github_pat_…).`
    )
  }
  if (token.length > MAX_SECRET_LENGTH) {
    throw invalid('github-token', `${ref} is ${token.length} characters long; that is not a token.`)
  }
  if (token === jiraToken) {
    throw invalid(
      'github-token',
      `${ref} holds the same value as ${p.setting('token')}, the Jira token. Give it a GitHub token that may write the secret.`
    )
  }
  return token
}
