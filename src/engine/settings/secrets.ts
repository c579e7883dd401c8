/** What must be masked before anything else runs, and the last-line redactor. */
import type { RawSettings } from './schema.js'
import { isUnexpanded, stripBearer, unquote } from './values.js'

/**
 * Every value that could reveal a secret: the raw token, each whitespace-separated piece of it
 * (the runner masks line by line), the value without a pasted "Bearer " prefix or wrapping quotes,
 * the Basic credential derived from it, and a password written into `domain`. An unexpanded
 * `${{ … }}` or `$VAR` is not a secret: masking it would blank out the very fix the error message
 * shows.
 */
export function secretsToMask(
  raw: Pick<RawSettings, 'token' | 'username'> & { domain?: string; 'client-secret'?: string }
): string[] {
  const values = new Set<string>()
  for (const password of urlPasswords(raw.domain ?? '')) values.add(password)
  for (const secret of clientSecretForms(raw['client-secret'] ?? '')) values.add(secret)
  const token = raw.token.trim()
  const username = unquote(raw.username.trim())
  const bare = stripBearer(unquote(token)).token
  // Only the word "Bearer" and no token: nothing secret, and masking "Bearer" would blank the logs.
  if (!token || !bare || isUnexpanded(bare, username !== '')) return [...values]
  values.add(raw.token)
  values.add(token)
  values.add(bare)
  // The runner masks a multi-line secret line by line; mask each piece of a token that (wrongly)
  // holds whitespace too. Short pieces are skipped so that common words do not vanish from logs.
  for (const piece of bare.split(/\s+/)) if (piece.length >= 8) values.add(piece)
  if (username) values.add(basicCredential(username, bare))
  return [...values].filter((value) => value.length > 0)
}

/**
 * A client secret as given, trimmed and unquoted, and as the token request encodes it (form and
 * JSON): an echo of the request body, by a proxy or a server, must not show it either.
 */
function clientSecretForms(raw: string): string[] {
  const secret = unquote(raw.trim())
  if (!secret || isUnexpanded(secret, true)) return []
  const forms = [
    raw,
    raw.trim(),
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1)
  ]
  return [...new Set(forms)].filter((form) => form.length > 0)
}

/** base64(username:secret), the Basic credential: the one place it is derived. */
export function basicCredential(username: string, secret: string): string {
  return Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')
}

/**
 * A password in a URL (https://user:pw@host, or without a scheme), as written and decoded. The
 * user information ends at the last "@" of the authority, as the URL parser reads it, so a raw "@"
 * inside the password (user:s3cr@t@proxy) is masked whole.
 */
export function urlPasswords(value: string): string[] {
  const authority = value
    .trim()
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '')
    .split(/[/?#]/)[0]
  const at = authority.lastIndexOf('@')
  if (at < 0) return []
  const userInfo = authority.slice(0, at)
  const colon = userInfo.indexOf(':')
  const password = colon < 0 ? '' : userInfo.slice(colon + 1)
  if (!password) return []
  let decoded = password
  try {
    decoded = decodeURIComponent(password)
  } catch {
    // A raw "%": the value as written is what would leak.
  }
  return [...new Set([password, decoded])]
}

/** Replaces every secret with ***, whatever a runner's masking does: defence in depth. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const ordered = [...secrets]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
  return (text) => ordered.reduce((result, secret) => result.split(secret).join('***'), text)
}
