/** The rotation's log lines as it goes, the dry run's plan, and the one-line outcome. */
import type { Decision, RotateResult, RotationEvent } from '../rotate/findings.js'
import { successLine } from '../render/text.js'
import { githubAnswer, secretLabel, tokenText } from './rotation.js'
import type { Platform } from './platform.js'

function days(count: number): string {
  return `${count} day${count === 1 ? '' : 's'}`
}

/** Why the run rotates or not, in one clause. */
export function decisionText(decision: Decision, p: Platform): string {
  const within = `${p.setting('rotate-within-days')} (${decision.withinDays})`
  const expiry =
    decision.daysLeft !== undefined && decision.expiresAt
      ? decision.daysLeft < 0
        ? `expired on ${decision.expiresAt.slice(0, 10)}`
        : `expires in ${days(decision.daysLeft)}, on ${decision.expiresAt.slice(0, 10)}`
      : decision.nonExpiring
        ? 'never expires'
        : 'has no expiry Jira could give'
  switch (decision.reason) {
    case 'always':
      return `it ${expiry}; ${p.setting('rotate-within-days')} is 0, so it is rotated on every run`
    case 'due':
      return `it ${expiry}, within ${within}`
    case 'expiry-unknown':
      return `it ${expiry}, so it is rotated to be safe`
    case 'not-due':
      return `it ${expiry}, ${decision.nonExpiring ? 'so' : `beyond ${within}, so`} it is not due`
  }
}

export function describeEvent(event: RotationEvent, p: Platform): string {
  switch (event.kind) {
    case 'checked':
      return (
        `${successLine(event.check)}. The current token ${tokenText(event.old)}: ` +
        `${decisionText(event.decision, p)}.`
      )
    case 'github-ready':
      return `GitHub: ${secretLabel(event.secret)} exists${event.updatedAt ? ` (last updated ${event.updatedAt})` : ''}, and its public key is readable.`
    case 'created':
      return `Created the new token ${tokenText(event.token, true)}.`
    case 'verified':
      return `The new token works, for the same account: ${event.user}.`
    case 'write-retry':
      return `${githubAnswer(event.github)}; the write may or may not have landed, so it is sent again (attempt ${event.attempt} of ${event.of}).`
    case 'written':
      return event.confirmedBy === 'answer'
        ? `${capital(secretLabel(event.secret))} now holds the new token.`
        : `${capital(secretLabel(event.secret))} now holds the new token: GitHub's record of it changed, although no answer said so.`
    case 'revoked':
      return {
        old: `Revoked the old token ${tokenText(event.token)}.`,
        new: `Revoked the new token ${tokenText(event.token)} again: it never reached the secret.`,
        stray: `Revoked ${tokenText(event.token)}, which Jira had created without returning it.`
      }[event.role]
    case 'kept-old':
      return `Kept the old token ${tokenText(event.token, true)}, as ${p.setting('revoke-old')} is false.`
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** What a real run would do, for `dry-run: true`. */
export function dryRunPlan(result: RotateResult, p: Platform): string[] {
  const c = result.context
  if (!result.decision) return []
  if (result.decision.reason === 'not-due') {
    return [`A real run would change nothing: ${decisionText(result.decision, p)}.`]
  }
  const steps = [
    `create a token "${c.newTokenName}" for ${days(c.expirationDays ?? 0)}`,
    `verify it with /myself as ${c.user ?? 'the same account'}`,
    `write it to ${secretLabel(c.secret)}`,
    c.revokeOld
      ? `revoke the current token ${tokenText(c.old, true)}`
      : `keep the current token ${tokenText(c.old, true)} (${p.setting('revoke-old')} is false)`
  ]
  return [
    `A real run would rotate (${decisionText(result.decision, p)}):`,
    ...steps.map((step, index) => `  ${index + 2}. ${step}`)
  ]
}

/** The last line of a run that did not fail. */
export function outcomeLine(result: RotateResult, p: Platform): string {
  const c = result.context
  if (result.dryRun) return 'Dry run: nothing was changed.'
  if (!result.rotated) {
    return result.decision
      ? `Not rotated: the current token ${tokenText(c.old)} ${decisionText(result.decision, p).replace(/^it /, '')}.`
      : 'Not rotated.'
  }
  const old = result.oldRevoked
    ? `the old token ${tokenText(c.old)} was revoked`
    : `the old token ${tokenText(c.old)} still works`
  return `Rotated: ${secretLabel(c.secret)} holds ${tokenText(result.created, true)}; ${old}.`
}
