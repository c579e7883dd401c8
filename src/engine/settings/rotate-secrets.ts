/** What the rotate action masks before anything else runs: the check's secrets and the GitHub token. */
import type { RawRotateSettings } from './rotate-schema.js'
import { secretsToMask } from './secrets.js'
import { isUnexpanded, unquote } from './values.js'

/**
 * The Jira token and what derives from it (as the check masks them), a password written into
 * `domain`, and the GitHub token with each whitespace-separated piece of it (the runner masks line
 * by line). The new token is masked by the rotation itself, the moment Jira returns it.
 */
export function rotateSecretsToMask(
  raw: Pick<RawRotateSettings, 'token' | 'domain' | 'github-token'>
): string[] {
  const values = new Set(secretsToMask({ token: raw.token, username: '', domain: raw.domain }))
  const github = raw['github-token']
  const trimmed = github.trim()
  if (trimmed && !isUnexpanded(trimmed, false)) {
    values.add(github)
    values.add(trimmed)
    const bare = unquote(trimmed)
    values.add(bare)
    for (const piece of [...trimmed.split(/\s+/), ...bare.split(/\s+/)])
      if (piece.length >= 8) values.add(piece)
  }
  return [...values].filter((value) => value.length > 0)
}
