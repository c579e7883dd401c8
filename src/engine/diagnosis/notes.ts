/** The words for every Note: what the check noticed without failing. */
import type { Note } from '../findings.js'
import type { Platform } from './platform.js'

export interface NoteText {
  level: 'notice' | 'warning'
  message: string
}

type Entries = {
  [C in Note['code']]: (note: Extract<Note, { code: C }>, p: Platform) => NoteText
}

const warning = (message: string): NoteText => ({ level: 'warning', message })
const notice = (message: string): NoteText => ({ level: 'notice', message })

const notes: Entries = {
  'domain-without-scheme': (n, p) =>
    notice(`${p.setting('domain')} has no scheme; using ${n.base}.`),
  'insecure-http': (n, p) =>
    warning(
      `${p.setting('allow-insecure-http')} is on: the token travels in clear text to ${n.host}.`
    ),
  'quotes-removed': (n, p) =>
    warning(
      `${p.setting(n.input)} was wrapped in quotes; they were removed. Store the value without quotes${p.kind === 'action' ? ` (in YAML, \`${n.input}: \${{ … }}\` needs none)` : ''}.`
    ),
  'bearer-prefix-removed': (_n, p) =>
    warning(
      `${p.setting('token')} starts with "Bearer "; the check adds that itself, so it was removed. Store only the token in ${p.secretSource('token')}.`
    ),
  'timeout-capped': (n, p) =>
    warning(`${p.setting('timeout-seconds')} ${n.given} is more than ${n.cap}; using ${n.cap}.`),
  'retries-capped': (n, p) =>
    warning(
      `${p.setting('retries')} ${n.given} is more than ${n.cap}; using ${n.cap}. Retrying harder does not help a token that does not work.`
    ),
  'tls-override-ignored': () =>
    warning(
      'NODE_TLS_REJECT_UNAUTHORIZED=0 is set, and was ignored: jira-auth-check always verifies the certificate, so the token never goes to a server it cannot authenticate. For a private CA, set NODE_EXTRA_CA_CERTS to its PEM file instead.'
    ),
  'account-inactive': () =>
    warning(
      'Jira says this account is not active ("active": false), yet it answered as it. Check the account in Jira user management before relying on it.'
    ),
  'token-guessed': (n, p) =>
    notice(
      `The account has ${n.count} tokens; assuming "${n.name}" (the most recently used) is this one. ` +
        `Jira records use only once a minute, so this is a guess: set ${p.setting('token-name')} to be sure.`
    ),
  'token-namesakes': (n) =>
    warning(
      `${n.count} tokens of this account are named "${n.name}"; the expiry shown is that of the one that expires first. ` +
        'Give each token its own name, and revoke the ones no longer used.'
    ),
  'token-name-on-cloud': (_n, p) =>
    warning(
      `${p.setting('token-name')} is set, but Jira Cloud has no list of API tokens to find it in, so it was not checked. Set ${p.setting('token-expires-on')} to the expiry Atlassian showed when the token was made.`
    ),
  'token-name-with-basic': (_n, p) =>
    warning(
      `${p.setting('token-name')} is set, but with ${p.setting('username')} the token is sent as a Basic password, not as a personal access token, so there is no PAT to look up. Set ${p.setting('token-expires-on')} to track its expiry.`
    ),
  'pat-list-unavailable': (n, p) =>
    warning(
      n.tokenName
        ? `${p.setting('token-name')} is set, but ${n.reason}: the name could not be checked and the expiry is unknown.`
        : `The token's expiry is unknown: ${n.reason}. The token itself works.`
    ),
  'pat-list-unreadable': () => warning('Could not read the token list, so the expiry is unknown.'),
  'gateway-only': (n, p) =>
    notice(
      `The site refused the token and the API gateway accepted it: it is a scoped API token (or this site has classic tokens turned off). Later steps must call ${n.gatewayUrl} (the api-base-url ${p.kind === 'action' ? 'output' : 'value'}), not the site.`
    ),
  'cloud-id-unknown': (n, p) =>
    warning(
      `A scoped API token works only through the API gateway, and the check could not try it there: ${n.reason}. Set ${p.setting('cloud-id')} to the site's cloudId.`
    ),
  'identity-unread': (n) =>
    warning(
      `The client credentials are valid (Jira issued an access token), but Jira refused /rest/api/2/myself with it${n.status ? ` (HTTP ${n.status})` : ''}, so whose they are was not verified. Data Center service accounts may not be principals that /myself answers for.`
    ),
  'admin-rights-unknown': (n, p) =>
    notice(
      `${p.setting('token-policy')}: whether the account is a Jira administrator was not checked, because ${n.reason}.`
    ),
  'expiry-date-in-past': (n, p) =>
    warning(
      `${p.setting('token-expires-on')} (${n.date}) is in the past, yet Jira accepted the token. Update it to the token's real expiry.`
    )
}

export function describeNote(note: Note, p: Platform): NoteText {
  const entry = notes[note.code] as (note: Note, p: Platform) => NoteText
  return entry(note, p)
}
