/**
 * The rotate action's end-to-end tables: what a rotation does when all goes well, a fault at every
 * step (Jira and GitHub), and bad inputs. The harness checks the invariants of every run; each
 * scenario adds what is particular to it.
 */
import { expect } from '@jest/globals'
import {
  GITHUB_TOKENS,
  REPOSITORY,
  SECRET,
  TOKEN_NAME,
  type RotateRun,
  type RotateScenario
} from './rotate-harness.js'

const endpoints = (run: RotateRun): string[] => run.githubRequests.map((r) => r.endpoint)
const jiraRequests = (run: RotateRun): string[] =>
  run.jiraRequests.map((r) => `${r.method} ${r.endpoint}`)

export const rotationScenarios: RotateScenario[] = [
  {
    name: 'a token near expiry is replaced: the secret holds a new token for the same account, the old one is revoked',
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: true,
      reason: 'due',
      secret: 'new',
      live: ['new'],
      message:
        /Rotated: the repository secret `JIRA_PAT` of acme\/pipeline holds "deploy-bot" \(id \d+, expires \d{4}-/
    },
    verify: (run) => {
      const [created] = run.created
      expect(created).toMatchObject({ name: TOKEN_NAME, revoked: false })
      // 90 days, from the default expiration-days.
      const days = (created.expiringAt!.getTime() - Date.now()) / 86_400_000
      expect(Math.round(days)).toBe(90)
      expect(run.result.outputs['new-token-expires-at']).toBe(created.expiringAt!.toISOString())
      // The check is one concurrent wave; everything after it goes one request at a time.
      const requests = jiraRequests(run)
      expect(requests.slice(0, 3).sort()).toEqual(['GET myself', 'GET serverInfo', 'GET tokens'])
      expect(requests.slice(3)).toEqual([
        'POST tokens-create',
        'GET myself',
        'DELETE tokens-revoke',
        'GET tokens'
      ])
      // The order that loses nothing: GitHub is read before the create, written after the verify,
      // and the old token goes only after the write.
      const log = run.result.stdout.split('\n')
      const after = (from: number, pattern: RegExp) =>
        log.findIndex((line, index) => index > from && pattern.test(line))
      const key = after(-1, /^GET \S+\/actions\/secrets\/public-key → 200/)
      const record = after(key, /^GET \S+\/actions\/secrets\/JIRA_PAT → 200/)
      const posted = after(record, /^POST \S+\/rest\/pat\/latest\/tokens → 201/)
      const verify = after(posted, /^GET \S+\/rest\/api\/2\/myself → 200/)
      const write = after(verify, /^PUT \S+\/actions\/secrets\/JIRA_PAT → 204/)
      const revoked = after(write, /^DELETE \S+\/rest\/pat\/latest\/tokens\/\d+ → 204/)
      expect([key, record, posted, verify, write, revoked].every((index) => index >= 0)).toBe(true)
      expect(endpoints(run)).toEqual(['repo-public-key', 'get-repo-secret', 'put-repo-secret'])
      // The create asked for what the inputs say.
      const create = run.jiraRequests.find((r) => r.endpoint === 'tokens-create')!
      expect(create.body).toEqual({ name: TOKEN_NAME, expirationDuration: 90 })
      expect(create.authorization).toBe(`Bearer ${run.prepared.old}`)
      // The old token was revoked with the new one, which /myself proved first.
      const revoke = run.jiraRequests.find((r) => r.endpoint === 'tokens-revoke')!
      expect(revoke.path).toMatch(new RegExp(`/tokens/${run.prepared.oldId}$`))
      expect(revoke.authorization).toBe(`Bearer ${run.created[0].raw}`)
      expect(run.result.summary).toMatch(/✅ Rotated/)
    }
  },
  {
    name: 'a token far from expiry is left alone: no GitHub call, nothing created',
    expiresInDays: 60,
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: false,
      reason: 'not-due',
      secret: 'old',
      live: ['old'],
      message:
        /Not rotated: the current token "deploy-bot" \(id \d+\) expires in 5\d days, on \d{4}-\d\d-\d\d, beyond `rotate-within-days` \(14\)/
    },
    verify: (run) => {
      expect(run.githubRequests).toEqual([])
      expect(jiraRequests(run)).not.toContain('POST tokens-create')
    }
  },
  {
    name: 'rotate-within-days 0 rotates a token far from expiry',
    expiresInDays: 300,
    inputs: { 'rotate-within-days': '0' },
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: true,
      reason: 'always',
      secret: 'new',
      live: ['new']
    }
  },
  {
    name: 'dry-run: reads Jira and GitHub, reports the plan, changes nothing',
    inputs: { 'dry-run': 'true' },
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: false,
      reason: 'due',
      secret: 'old',
      live: ['old'],
      message:
        /A real run would rotate[\s\S]*2\. create a token "deploy-bot" for 90 days[\s\S]*5\. revoke the current token "deploy-bot"[\s\S]*Dry run: nothing was changed\./
    },
    verify: (run) => {
      expect(endpoints(run)).toEqual(['repo-public-key', 'get-repo-secret'])
      expect(run.jiraRequests.every((r) => r.method === 'GET')).toBe(true)
      expect(run.github.secretHistory(REPOSITORY, SECRET)).toEqual([run.prepared.old])
      expect(run.result.summary).toMatch(/Dry run: nothing was changed/)
    }
  },
  {
    name: 'dry-run on a token that is not due: says a real run would change nothing',
    expiresInDays: 60,
    inputs: { 'dry-run': 'true' },
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: false,
      reason: 'not-due',
      secret: 'old',
      live: ['old'],
      message: /A real run would change nothing: it expires in 5\d days/
    }
  },
  {
    name: 'GitHub Enterprise Server: the API under /api/v3, from GITHUB_API_URL',
    ghes: true,
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: true,
      secret: 'new',
      live: ['new']
    },
    verify: (run) => {
      expect(run.githubRequests.map((r) => r.path)).toEqual([
        '/api/v3/repos/acme/pipeline/actions/secrets/public-key',
        '/api/v3/repos/acme/pipeline/actions/secrets/JIRA_PAT',
        '/api/v3/repos/acme/pipeline/actions/secrets/JIRA_PAT'
      ])
      expect(run.world.github.requests).toEqual([])
    }
  },
  {
    name: 'an environment secret: sealed with the environment\u2019s key, the repository secret untouched',
    environment: true,
    prepare: (world, prepared) =>
      world.github.setSecret(REPOSITORY, SECRET, `repo-level-${prepared.user}`),
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: true,
      secret: 'new',
      live: ['new']
    },
    verify: (run) => {
      expect(endpoints(run)).toEqual(['env-public-key', 'get-env-secret', 'put-env-secret'])
      expect(run.github.secretValue(REPOSITORY, SECRET)).toBe(`repo-level-${run.prepared.user}`)
      expect(run.githubRequests.at(-1)).toMatchObject({
        environment: 'production',
        outcome: 'updated'
      })
    }
  },
  {
    name: 'revoke-old false, another name: both tokens stay, the old one is named in the log',
    inputs: { 'revoke-old': 'false', 'new-token-name': 'deploy-bot-2027' },
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: false,
      secret: 'new',
      live: ['old', 'new'],
      message: /Kept the old token "deploy-bot" \(id \d+, expires/
    },
    verify: (run) => expect(run.created[0].name).toBe('deploy-bot-2027')
  },
  {
    name: 'Jira under a context path, and a lifetime of 30 days',
    jiraContext: true,
    inputs: { 'expiration-days': '30' },
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: true,
      secret: 'new',
      live: ['new']
    },
    verify: (run) => {
      const create = run.jiraRequests.find((r) => r.endpoint === 'tokens-create')!
      expect(create.path).toBe('/jira/rest/pat/latest/tokens')
      expect(create.body).toEqual({ name: TOKEN_NAME, expirationDuration: 30 })
    }
  }
]

/** A fault at every step. After each, the secret holds a working token and nothing is unaccounted for. */
export const rotationFaultScenarios: RotateScenario[] = [
  // Step 1: the check.
  {
    name: 'check: Jira answers /myself with 503 throughout: server-error, nothing changed',
    jira: { fault: { type: 'status', paths: ['myself'], status: 503 } },
    inputs: { retries: '0' },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'server-error',
      rotated: false,
      secret: 'old',
      live: ['old'],
      step: /Step: Step 1 of 5, check/,
      message: /State: Nothing was changed: no token was created/
    },
    verify: (run) => expect(run.githubRequests).toEqual([])
  },
  {
    name: 'check: the token list fails: server-error, nothing created',
    jira: { fault: { type: 'status', paths: ['tokens'], status: 500 } },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'server-error',
      rotated: false,
      secret: 'old',
      live: ['old']
    }
  },
  {
    name: 'check: no token of that name: token-not-found, listing the names',
    inputs: { 'token-name': 'deploy' },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-not-found',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message: /no personal access token named "deploy"; its tokens are: "deploy-bot"/
    }
  },
  {
    name: 'check: two tokens of that name: token-name-ambiguous, both named by id',
    prepare: (world, prepared) => {
      world.jira.mintPat({ user: prepared.user, name: TOKEN_NAME, expiresInDays: 40 })
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-name-ambiguous',
      rotated: false,
      secret: 'old',
      live: ['old', 'other'],
      message:
        /2 tokens of this account are named "deploy-bot": "deploy-bot" \(id \d+, expires [\d-]+\), "deploy-bot" \(id \d+/
    }
  },
  {
    name: 'check: another token already has the new name: new-token-name-taken',
    prepare: (world, prepared) => {
      world.jira.mintPat({ user: prepared.user, name: 'laptop', expiresInDays: 40 })
    },
    inputs: { 'new-token-name': 'laptop' },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'new-token-name-taken',
      rotated: false,
      secret: 'old',
      live: ['old', 'other']
    }
  },
  {
    name: 'check: GitHub does not know the token: github-unauthorized, before anything is created',
    githubToken: 'unknown',
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'github-unauthorized',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message: /HTTP 401[\s\S]*"Bad credentials"/
    },
    verify: (run) => expect(jiraRequests(run)).not.toContain('POST tokens-create')
  },
  {
    name: 'check: a GITHUB_TOKEN-like token: github-forbidden, saying what to use instead',
    githubToken: 'workflow',
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'github-forbidden',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message:
        /Resource not accessible by integration[\s\S]*permission-secrets: write[\s\S]*GITHUB_TOKEN/
    }
  },
  {
    name: 'check: a token for another repository: github-not-found',
    githubToken: 'elsewhere',
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'github-not-found',
      rotated: false,
      secret: 'old',
      live: ['old']
    }
  },
  {
    name: 'check: an environment that does not exist: github-not-found',
    inputs: { 'secret-environment': 'staging' },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'github-not-found',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message: /environments\/staging\/secrets\/public-key/
    }
  },
  {
    name: 'check: the secret does not exist: secret-not-found, no secret is created',
    noSecret: true,
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'secret-not-found',
      rotated: false,
      secret: 'none',
      live: ['old'],
      message: /only replaces a secret that exists/
    },
    verify: (run) => expect(run.github.secretNames(REPOSITORY)).toEqual([])
  },
  {
    name: 'check: GitHub answers the key with 500: github-error',
    githubFault: { endpoint: 'repo-public-key', status: 500 },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'github-error',
      rotated: false,
      secret: 'old',
      live: ['old']
    }
  },
  {
    name: 'check: GitHub resets the connection: github-error',
    githubFault: { endpoint: 'get-repo-secret', type: 'reset' },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'github-error',
      rotated: false,
      secret: 'old',
      live: ['old']
    }
  },

  // Step 2: the create.
  {
    name: 'create: refused by the per-user limit: token-create-refused, how to make room',
    jira: { patMaxTokensPerUser: 1 },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-create-refused',
      rotated: false,
      secret: 'old',
      live: ['old'],
      step: /Step: Step 2 of 5, create the new token/,
      message: /more than 1 tokens[\s\S]*Jira created nothing[\s\S]*max\.tokens\.per\.user/
    }
  },
  {
    name: 'create: a lifetime above the maximum: token-lifetime-too-long, with the maximum',
    inputs: { 'expiration-days': '400' },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-lifetime-too-long',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message: /for 400 days: its maximum is 365 days[\s\S]*`expiration-days: 90`/
    }
  },
  {
    name: 'create: a lower maximum set by an administrator',
    jira: { patMaxExpiryDays: 30 },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-lifetime-too-long',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message: /its maximum is 30 days/
    }
  },
  {
    name: 'create: refused outright (a 403 fault): token-create-refused',
    jira: { fault: { type: 'status', paths: ['tokens-create'], status: 403 } },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-create-refused',
      rotated: false,
      secret: 'old',
      live: ['old']
    }
  },
  {
    name: 'create: a 500 is never retried; the list shows Jira made nothing',
    jira: { fault: { type: 'status', paths: ['tokens-create'], status: 500 } },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-create-failed',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message: /never retried[\s\S]*shows no new token named "deploy-bot": Jira created none/
    },
    verify: (run) => {
      expect(jiraRequests(run).filter((r) => r === 'POST tokens-create')).toHaveLength(1)
      expect(jiraRequests(run).filter((r) => r === 'GET tokens')).toHaveLength(2)
    }
  },
  {
    name: 'create: the connection resets mid-answer: token-create-failed, sent once',
    jira: { fault: { type: 'reset-mid-body', paths: ['tokens-create'] } },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'token-create-failed',
      rotated: false,
      secret: 'old',
      live: ['old']
    },
    verify: (run) =>
      expect(jiraRequests(run).filter((r) => r === 'POST tokens-create')).toHaveLength(1)
  },

  // Step 3: the verify.
  {
    name: 'verify: the new token is refused: it is revoked again, the secret never sees it',
    jira: { fault: { type: 'status', paths: ['myself'], status: 401, skip: 1 } },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'new-token-rejected',
      rotated: false,
      secret: 'old',
      live: ['old'],
      step: /Step: Step 3 of 5, verify the new token/,
      message: /was revoked again: nothing is left over/
    },
    verify: (run) => {
      expect(run.created).toHaveLength(1)
      expect(run.created[0].revoked).toBe(true)
      expect(endpoints(run)).toEqual(['repo-public-key', 'get-repo-secret'])
    }
  },
  {
    name: 'verify fails, and so does taking the new token back: it is named, to revoke by hand',
    jira: { fault: { type: 'status', paths: ['myself', 'tokens-revoke'], status: 500, skip: 1 } },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'new-token-rejected',
      rotated: false,
      secret: 'old',
      live: ['old', 'new'],
      message:
        /could not be revoked \(HTTP 500, server-error\) and still exists, unused[\s\S]*Revoke the unused new token "deploy-bot" \(id \d+\)/
    }
  },

  // Step 4: the write.
  {
    name: 'write: GitHub refuses the PUT (403): the new token is revoked again',
    githubFault: { endpoint: 'put-repo-secret', status: 403 },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'secret-write-failed',
      rotated: false,
      secret: 'old',
      live: ['old'],
      step: /Step: Step 4 of 5, write the secret/,
      message:
        /still holds the current token "deploy-bot" \(id \d+\), which still works\. The new token "deploy-bot" \(id \d+\) was revoked again/
    },
    verify: (run) => expect(endpoints(run).filter((e) => e === 'put-repo-secret')).toHaveLength(1)
  },
  {
    name: 'write: GitHub answers 500 every time, and its record shows nothing landed: rolled back',
    recordInThePast: true,
    inputs: { retries: '1' },
    githubFault: { endpoint: 'put-repo-secret', status: 500 },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'secret-write-failed',
      rotated: false,
      secret: 'old',
      live: ['old'],
      message:
        /2 attempts[\s\S]*record of the secret \(its updated_at\) shows that the write did not land/
    }
  },
  {
    name: 'write: the answer is lost once (when: after): sent again, and the rotation completes',
    githubFault: { endpoint: 'put-repo-secret', status: 502, when: 'after', times: 1 },
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: true,
      secret: 'new',
      live: ['new']
    },
    verify: (run) => {
      expect(endpoints(run).filter((e) => e === 'put-repo-secret')).toHaveLength(2)
      expect(run.result.stdout).toMatch(
        /may or may not have landed, so it is sent again \(attempt 2 of 3\)/
      )
    }
  },
  {
    name: 'write: every answer is lost after the write landed: the record shows it, the rotation completes',
    inputs: { retries: '1' },
    githubFault: { endpoint: 'put-repo-secret', status: 500, when: 'after' },
    expect: {
      exitCode: 0,
      status: 'ok',
      rotated: true,
      oldRevoked: true,
      secret: 'new',
      live: ['new'],
      message: /record of it changed, although no answer said so/
    }
  },
  {
    name: 'write: resets, and the record cannot be read: unknown, both tokens kept and named',
    inputs: { retries: '1' },
    githubFault: {
      endpoint: ['put-repo-secret', 'get-repo-secret'],
      type: 'reset',
      when: 'after',
      skip: 1
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'secret-write-unknown',
      rotated: false,
      secret: 'new',
      live: ['old', 'new'],
      message:
        /record of the secret could not be read either[\s\S]*Both tokens work and neither was revoked[\s\S]*last-used time/
    },
    verify: (run) => expect(jiraRequests(run)).not.toContain('DELETE tokens-revoke')
  },
  {
    name: 'write: GitHub never answers the PUT: stopped by the deadline with time to spare, both tokens kept',
    inputs: { 'timeout-seconds': '6' },
    githubFault: { endpoint: 'put-repo-secret', type: 'stall' },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'secret-write-unknown',
      rotated: false,
      secret: 'old',
      live: ['old', 'new'],
      message: /before the deadline[\s\S]*a write GitHub was still processing could land later/
    }
  },
  {
    name: 'write to an environment secret refused: rolled back',
    environment: true,
    githubFault: { endpoint: 'put-env-secret', status: 404 },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'secret-write-failed',
      rotated: false,
      secret: 'old',
      live: ['old']
    }
  },

  // Step 5: the revoke.
  {
    name: 'revoke: Jira fails to revoke the old token: a warning, both work, the old id to revoke by hand',
    jira: { fault: { type: 'status', paths: ['tokens-revoke'], status: 500 } },
    expect: {
      exitCode: 0,
      status: 'warning',
      rotated: true,
      oldRevoked: false,
      secret: 'new',
      live: ['old', 'new'],
      message: /Revoke the old token "deploy-bot" \(id \d+\) by hand/
    },
    verify: (run) => {
      const warning = run.result.annotations.find((a) => a.level === 'warning')!
      expect(warning.title).toBe('The old token could not be revoked')
      expect(warning.message).toContain(`(id ${run.prepared.oldId})`)
      expect(warning.message).toMatch(/nothing is lost/)
    }
  }
]

/** Bad inputs: each fails before any request, names the input, shows a good value. */
const badInputs: Array<[string, Record<string, string>, string, string, RegExp]> = [
  [
    'no github-token',
    { 'github-token': '' },
    'missing-input',
    'github-token',
    /create-github-app-token/
  ],
  ['no token-name', { 'token-name': '' }, 'missing-input', 'token-name', /token-name: deploy-bot/],
  [
    'no secret-name',
    { 'secret-name': '' },
    'missing-input',
    'secret-name',
    /secret-name: JIRA_PAT/
  ],
  [
    'a secret-name written as secrets.X',
    { 'secret-name': 'secrets.JIRA_PAT' },
    'invalid-input',
    'secret-name',
    /Did you mean `secret-name: JIRA_PAT`\?/
  ],
  [
    'expiration-days 0',
    { 'expiration-days': '0' },
    'invalid-input',
    'expiration-days',
    /at least 1 day/
  ],
  [
    'the same name with revoke-old false',
    { 'revoke-old': 'false' },
    'invalid-input',
    'new-token-name',
    /two tokens would be named "deploy-bot"/
  ],
  [
    'a repository URL',
    { 'secret-repository': 'https://github.com/acme/pipeline' },
    'invalid-input',
    'secret-repository',
    /Did you mean `secret-repository: acme\/pipeline`\?/
  ],
  [
    'an http:// domain',
    { domain: 'http://127.0.0.1:1' },
    'invalid-input',
    'domain',
    /allow-insecure-http/
  ]
]

export const rotationInputScenarios: RotateScenario[] = badInputs.map(
  ([name, inputs, code, input, message]) => ({
    name: `bad input: ${name}`,
    inputs,
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: code,
      rotated: false,
      secret: 'old',
      live: ['old'],
      step: /Step: Before any request: the inputs\.\nState: Nothing was sent anywhere\./,
      message
    },
    verify: (run) => {
      expect(run.jiraRequests).toEqual([])
      expect(run.githubRequests).toEqual([])
      const error = run.result.annotations.find((a) => a.level === 'error')!
      expect(error.title).toMatch(new RegExp(`input: ${input}$`))
      // The GitHub token was masked even though the run stopped at its inputs.
      if (inputs['github-token'] !== '') {
        expect(run.result.maskedValues).toContain(GITHUB_TOKENS.writer)
      }
    }
  })
)
