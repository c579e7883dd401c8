import { describe, expect, it } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import {
  decisionText,
  describeEvent,
  dryRunPlan,
  outcomeLine
} from '../../src/engine/diagnosis/rotation-progress.js'
import {
  describeRotationWarning,
  diagnoseRotation,
  githubAnswer,
  secretLabel,
  tokenText
} from '../../src/engine/diagnosis/rotation.js'
import type { Failure } from '../../src/engine/findings.js'
import { renderRotateSummary } from '../../src/engine/render/rotate-html.js'
import { ROTATE_OUTPUTS, rotateOutputsOf } from '../../src/engine/render/rotate-outputs.js'
import { formatRotationDiagnosis } from '../../src/engine/render/rotate-text.js'
import {
  ROTATION_ERROR_CODES,
  type RotateResult,
  type RotationContext,
  type RotationErrorCode,
  type RotationFailure,
  type TokenRef
} from '../../src/engine/rotate/findings.js'

const p = actionPlatform({})
const OLD: TokenRef = { id: 58, name: 'deploy-bot', expiresAt: '2026-12-06T12:00:00.000Z' }
const NEW: TokenRef = { id: 59, name: 'deploy-bot', expiresAt: '2027-03-01T12:00:00.000Z' }
const CONTEXT: RotationContext = {
  baseUrl: 'https://jira.example.com',
  host: 'jira.example.com',
  authScheme: 'bearer',
  secret: { owner: 'acme', repo: 'pipeline', name: 'JIRA_PAT' },
  old: OLD,
  tokenName: 'deploy-bot',
  newTokenName: 'deploy-bot',
  expirationDays: 90,
  user: 'CI Bot (ci-bot)',
  revokeOld: true
}
const GITHUB = {
  method: 'PUT' as const,
  url: 'https://api.github.com/repos/acme/pipeline/actions/secrets/JIRA_PAT',
  status: 500,
  message: 'Server Error',
  attempts: 3
}
const SERVER_ERROR: Failure = {
  code: 'server-error',
  response: { status: 500, url: 'https://jira.example.com/rest/pat/latest/tokens/59' }
}
const UNAUTHORIZED: Failure = {
  code: 'unauthorized',
  response: {
    status: 401,
    url: 'https://jira.example.com/rest/api/2/myself',
    ausername: 'anonymous'
  }
}

/** One failure of every rotation code, as the flow makes them. */
const FAILURES: { [C in RotationErrorCode]: Extract<RotationFailure, { code: C }> } = {
  'rotation-unsupported': { code: 'rotation-unsupported', reason: 'this Jira has no PAT API' },
  'token-name-ambiguous': {
    code: 'token-name-ambiguous',
    tokenName: 'deploy-bot',
    tokens: [OLD, { ...NEW, id: 61 }]
  },
  'new-token-name-taken': {
    code: 'new-token-name-taken',
    newTokenName: 'laptop',
    tokens: [{ id: 12, name: 'laptop' }]
  },
  'github-unauthorized': {
    code: 'github-unauthorized',
    github: { ...GITHUB, method: 'GET', status: 401, message: 'Bad credentials' }
  },
  'github-forbidden': {
    code: 'github-forbidden',
    github: {
      ...GITHUB,
      method: 'GET',
      status: 403,
      message: 'Resource not accessible by integration'
    }
  },
  'github-not-found': {
    code: 'github-not-found',
    github: { ...GITHUB, method: 'GET', status: 404, message: 'Not Found' }
  },
  'secret-not-found': {
    code: 'secret-not-found',
    github: { ...GITHUB, method: 'GET', status: 404, message: 'Not Found' }
  },
  'github-error': {
    code: 'github-error',
    github: { method: 'GET', url: GITHUB.url, errno: 'ECONNREFUSED' }
  },
  'token-lifetime-too-long': {
    code: 'token-lifetime-too-long',
    requestedDays: 400,
    maxDays: 365,
    response: { status: 400, bodyExcerpt: 'Token expiration cannot be longer than 365 days.' }
  },
  'token-create-refused': {
    code: 'token-create-refused',
    response: { status: 403, bodyExcerpt: "You can't create more than 10 tokens." }
  },
  'token-create-failed': {
    code: 'token-create-failed',
    cause: {
      code: 'timeout',
      timeout: { phase: 'headers', url: 'https://jira.example.com/rest/pat/latest/tokens' }
    },
    cleanup: { listed: true, found: [] }
  },
  'new-token-rejected': {
    code: 'new-token-rejected',
    cause: UNAUTHORIZED,
    rollback: { token: NEW, revoked: true }
  },
  'new-token-user-mismatch': {
    code: 'new-token-user-mismatch',
    expected: 'CI Bot (ci-bot)',
    actual: 'Mallory (mallory)',
    rollback: { token: NEW, revoked: true }
  },
  'secret-write-failed': {
    code: 'secret-write-failed',
    github: { ...GITHUB, status: 403 },
    rollback: { token: NEW, revoked: true }
  },
  'secret-write-unknown': {
    code: 'secret-write-unknown',
    github: GITHUB,
    created: NEW,
    record: 'changed'
  }
}

const STEP_OF: Record<RotationErrorCode, string> = {
  'rotation-unsupported': 'check',
  'token-name-ambiguous': 'check',
  'new-token-name-taken': 'check',
  'github-unauthorized': 'check',
  'github-forbidden': 'check',
  'github-not-found': 'check',
  'secret-not-found': 'check',
  'github-error': 'check',
  'token-lifetime-too-long': 'create',
  'token-create-refused': 'create',
  'token-create-failed': 'create',
  'new-token-rejected': 'verify',
  'new-token-user-mismatch': 'verify',
  'secret-write-failed': 'write',
  'secret-write-unknown': 'write'
}

describe('the rotation catalogue', () => {
  it.each([...ROTATION_ERROR_CODES])(
    '%s: a title, a headline, its step, the state, what to do',
    (code) => {
      const step = STEP_OF[code] as 'check'
      const diagnosis = diagnoseRotation(FAILURES[code], step, CONTEXT, p)
      expect(diagnosis.code).toBe(code)
      expect(diagnosis.title.length).toBeGreaterThan(10)
      expect(diagnosis.headline.length).toBeGreaterThan(10)
      expect(diagnosis.step).toMatch(/^Step [1-5] of 5, /)
      expect(diagnosis.state).toMatch(/JIRA_PAT/)
      expect(diagnosis.steps.length).toBeGreaterThan(0)
      const text = formatRotationDiagnosis(diagnosis, 'https://docs/troubleshooting.md')
      expect(text.split('\n').at(-1)).toBe(`More: https://docs/troubleshooting.md#${code}`)
    }
  )

  it('before anything was created, the state says nothing changed', () => {
    for (const code of ROTATION_ERROR_CODES.filter((c) => STEP_OF[c] === 'check')) {
      expect(diagnoseRotation(FAILURES[code], 'check', CONTEXT, p).state).toMatch(
        /^Nothing was changed: no token was created, the repository secret `JIRA_PAT` of acme\/pipeline was not written, and the current token "deploy-bot" \(id 58\) was left as it was\.$/
      )
    }
  })

  it('a rollback that worked, and one that did not: what is left and what to revoke', () => {
    const done = diagnoseRotation(FAILURES['secret-write-failed'], 'write', CONTEXT, p)
    expect(done.state).toBe(
      'The repository secret `JIRA_PAT` of acme/pipeline still holds the current token "deploy-bot" (id 58), which still works. ' +
        'The new token "deploy-bot" (id 59) was revoked again: nothing is left over.'
    )
    const stuck = diagnoseRotation(
      {
        ...FAILURES['secret-write-failed'],
        rollback: { token: NEW, revoked: false, cause: SERVER_ERROR }
      },
      'write',
      CONTEXT,
      p
    )
    expect(stuck.state).toMatch(
      /could not be revoked \(HTTP 500, server-error\) and still exists, unused/
    )
    expect(stuck.steps[0]).toMatch(
      /^Revoke the unused new token "deploy-bot" \(id 59\) in Jira › your avatar/
    )
  })

  it('a GitHub 403 says what GITHUB_TOKEN cannot do and what to use instead', () => {
    const words = diagnoseRotation(FAILURES['github-forbidden'], 'check', CONTEXT, p)
    expect(words.steps.join('\n')).toMatch(/permission-secrets: write[\s\S]*GITHUB_TOKEN/)
    const environment = diagnoseRotation(
      FAILURES['github-forbidden'],
      'check',
      {
        ...CONTEXT,
        secret: { ...CONTEXT.secret!, environment: 'production' }
      },
      p
    )
    expect(environment.steps[0]).toMatch(/Environments: write/)
  })

  it('an unknown write keeps both tokens and says how to tell which one the secret holds', () => {
    const words = diagnoseRotation(FAILURES['secret-write-unknown'], 'write', CONTEXT, p)
    expect(words.state).toMatch(
      /^Both tokens work and neither was revoked: the current token "deploy-bot" \(id 58, expires 2026-12-06\) and the new token "deploy-bot" \(id 59, expires 2027-03-01\)/
    )
    expect(words.explanation).toMatch(/most likely holds the new token/)
    expect(words.steps.join('\n')).toMatch(/last-used time[\s\S]*token-name-ambiguous/)
    const unchanged = diagnoseRotation(
      { ...FAILURES['secret-write-unknown'], record: 'unchanged' },
      'write',
      CONTEXT,
      p
    )
    expect(unchanged.explanation).toMatch(/most likely still holds the current token/)
  })

  it('a lost create: the state says what the list showed', () => {
    const failed = FAILURES['token-create-failed']
    const state = (cleanup: typeof failed.cleanup) =>
      diagnoseRotation({ ...failed, cleanup }, 'create', CONTEXT, p).state
    expect(state({ listed: true, found: [] })).toMatch(
      /shows no new token named "deploy-bot": Jira created none/
    )
    expect(state({ listed: true, found: [{ ...NEW, revoked: true }] })).toMatch(
      /had created "deploy-bot" \(id 59, expires 2027-03-01\); nobody holds its value, and it was revoked again/
    )
    expect(state({ listed: true, found: [{ ...NEW, revoked: false }] })).toMatch(
      /could not be revoked/
    )
    expect(state({ listed: false, found: [] })).toMatch(/could not be read afterwards/)
  })

  it('uses the check\u2019s own words at the check step, with the rotation\u2019s step and state', () => {
    const words = diagnoseRotation(UNAUTHORIZED, 'check', CONTEXT, p)
    expect(words.title).toBe('Jira rejected the token (HTTP 401)')
    expect(words.step).toMatch(/^Step 1 of 5, check/)
    expect(words.state).toMatch(/^Nothing was changed/)
    const input = diagnoseRotation(
      { code: 'missing-input', input: 'secret-name', detail: 'x' },
      'inputs',
      {},
      p
    )
    expect(input).toMatchObject({
      title: 'Missing input: secret-name',
      state: 'Nothing was sent anywhere.'
    })
  })

  it('neutralised values stay neutral: a token name from Jira cannot start a command', () => {
    const hostile: TokenRef = { id: 1, name: 'x\ufffd::error::owned' }
    const words = diagnoseRotation(
      { ...FAILURES['token-name-ambiguous'], tokens: [hostile, hostile] },
      'check',
      CONTEXT,
      p
    )
    const text = formatRotationDiagnosis(words, 'https://docs')
    expect(text.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false)
  })
})

describe('the old token kept by a failed revoke', () => {
  it('names the id to revoke by hand, and that both tokens work', () => {
    const words = describeRotationWarning(
      { code: 'old-token-not-revoked', old: OLD, cause: SERVER_ERROR },
      NEW,
      CONTEXT,
      p
    )
    expect(words.step).toBe('Step 5 of 5, revoke the old token')
    expect(words.state).toMatch(
      /holds the new token "deploy-bot" \(id 59, expires 2027-03-01\), which works\. The old token still works too, until it expires on 2026-12-06: nothing is lost\./
    )
    expect(words.steps[0]).toMatch(
      /^Revoke the old token "deploy-bot" \(id 58\) by hand in .* \(the one with id 58: both are named "deploy-bot"\)/
    )
    const listed = describeRotationWarning(
      { code: 'old-token-not-revoked', old: OLD },
      NEW,
      CONTEXT,
      p
    )
    expect(listed.headline).toMatch(/Jira answered 204 but still lists it/)
  })
})

describe('small words', () => {
  it('secretLabel, tokenText, githubAnswer', () => {
    expect(secretLabel({ owner: 'a', repo: 'b', name: 'S', environment: 'prod' })).toBe(
      'the secret `S` of environment "prod" in a/b'
    )
    expect(tokenText(OLD, true)).toBe('"deploy-bot" (id 58, expires 2026-12-06)')
    expect(tokenText({ name: 'n' })).toBe('"n"')
    expect(githubAnswer(GITHUB)).toBe(
      `GitHub answered HTTP 500 to PUT ${GITHUB.url} (3 attempts): "Server Error"`
    )
    expect(githubAnswer({ method: 'GET', url: 'u', timedOut: true })).toBe(
      'GitHub did not answer GET u before the deadline'
    )
  })

  it('decisionText for every reason', () => {
    const at = { expiresAt: '2026-12-06T12:00:00.000Z', withinDays: 14 }
    expect(decisionText({ ...at, reason: 'due', daysLeft: 5 }, p)).toBe(
      'it expires in 5 days, on 2026-12-06, within `rotate-within-days` (14)'
    )
    expect(decisionText({ ...at, reason: 'not-due', daysLeft: 40 }, p)).toMatch(
      /beyond `rotate-within-days` \(14\), so it is not due/
    )
    expect(decisionText({ withinDays: 14, reason: 'not-due', nonExpiring: true }, p)).toBe(
      'it never expires, so it is not due'
    )
    expect(decisionText({ ...at, withinDays: 0, reason: 'always', daysLeft: 5 }, p)).toMatch(
      /rotated on every run/
    )
    expect(decisionText({ withinDays: 14, reason: 'expiry-unknown' }, p)).toMatch(
      /rotated to be safe/
    )
  })
})

function result(overrides: Partial<RotateResult>): RotateResult {
  return {
    status: 'ok',
    step: 'revoke',
    warnings: [],
    notes: [],
    dryRun: false,
    rotated: true,
    created: NEW,
    oldRevoked: true,
    decision: { reason: 'due', daysLeft: 5, expiresAt: OLD.expiresAt, withinDays: 14 },
    context: CONTEXT,
    ...overrides
  }
}

describe('outputs', () => {
  it('declares exactly the contract, in order', () => {
    expect(ROTATE_OUTPUTS.map((o) => o.name)).toEqual([
      'rotated',
      'reason',
      'new-token-name',
      'new-token-expires-at',
      'old-token-revoked',
      'status',
      'error-code'
    ])
  })

  it('a rotation, a skipped run, a failure', () => {
    expect(rotateOutputsOf(result({}))).toEqual({
      rotated: 'true',
      reason: 'due',
      'new-token-name': 'deploy-bot',
      'new-token-expires-at': '2027-03-01T12:00:00.000Z',
      'old-token-revoked': 'true',
      status: 'ok',
      'error-code': ''
    })
    expect(
      rotateOutputsOf(
        result({
          rotated: false,
          created: undefined,
          oldRevoked: false,
          decision: { reason: 'not-due', withinDays: 14 }
        })
      )
    ).toMatchObject({
      rotated: 'false',
      reason: 'not-due',
      'new-token-name': '',
      'new-token-expires-at': ''
    })
    // A token that exists but is not known to be in the secret is not reported as the new one.
    expect(
      rotateOutputsOf(
        result({ status: 'failed', rotated: false, failure: FAILURES['secret-write-unknown'] })
      )
    ).toMatchObject({
      rotated: 'false',
      'new-token-name': '',
      'error-code': 'secret-write-unknown'
    })
  })
})

describe('log lines, the dry-run plan and the summary', () => {
  it('says what each step did', () => {
    expect(describeEvent({ kind: 'created', token: NEW }, p)).toBe(
      'Created the new token "deploy-bot" (id 59, expires 2027-03-01).'
    )
    expect(
      describeEvent({ kind: 'written', secret: CONTEXT.secret!, confirmedBy: 'record' }, p)
    ).toMatch(/record of it changed/)
    expect(describeEvent({ kind: 'revoked', token: NEW, role: 'new' }, p)).toMatch(
      /never reached the secret/
    )
    expect(describeEvent({ kind: 'write-retry', attempt: 2, of: 3, github: GITHUB }, p)).toMatch(
      /sent again \(attempt 2 of 3\)/
    )
  })

  it('a dry run lists the steps a real run would take', () => {
    const plan = dryRunPlan(result({ dryRun: true, rotated: false, created: undefined }), p)
    expect(plan).toEqual([
      'A real run would rotate (it expires in 5 days, on 2026-12-06, within `rotate-within-days` (14)):',
      '  2. create a token "deploy-bot" for 90 days',
      '  3. verify it with /myself as CI Bot (ci-bot)',
      '  4. write it to the repository secret `JIRA_PAT` of acme/pipeline',
      '  5. revoke the current token "deploy-bot" (id 58, expires 2026-12-06)'
    ])
    expect(outcomeLine(result({ dryRun: true }), p)).toBe('Dry run: nothing was changed.')
  })

  it('the last line of a rotation', () => {
    expect(outcomeLine(result({}), p)).toBe(
      'Rotated: the repository secret `JIRA_PAT` of acme/pipeline holds "deploy-bot" (id 59, expires 2027-03-01); the old token "deploy-bot" (id 58) was revoked.'
    )
  })

  it('the summary escapes every value', () => {
    const html = renderRotateSummary(
      result({ context: { ...CONTEXT, old: { id: 1, name: '<img src=x onerror=alert(1)>' } } }),
      [],
      p
    )
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.toContain('<img')
    expect(html).toMatch(/✅ Rotated/)
    expect(html).toContain('<th align="left">Old token</th><td>&quot;&lt;img')
    expect(html).toMatch(/: revoked<\/td>/)
    const kept = renderRotateSummary(result({ status: 'warning', oldRevoked: false }), [], p)
    expect(kept).toMatch(/⚠️ Rotated; the old token still works[\s\S]*<b>still valid<\/b>/)
  })
})
