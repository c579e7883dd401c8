/**
 * `domain` → the Jira base URL, or an invalid-input that suggests the value the user meant. People
 * paste page URLs from the browser, with queries, fragments, ports and API paths; every
 * suggestion keeps the scheme, host and port, and leads to the base URL in one step.
 */
import type { Platform } from '../diagnosis/platform.js'
import type { Note } from '../findings.js'
import {
  EMBEDDED_SHELL_VARIABLE,
  UNEXPANDED_EXPRESSION,
  describeBadCharacter,
  invalid,
  trimPath
} from './values.js'

/** Jira Cloud sites: <site>.atlassian.net, and older <site>.jira.com. */
export function isCloudHost(hostname: string): boolean {
  return /\.(atlassian\.net|jira\.com)$/i.test(hostname)
}

/**
 * Paths of Jira pages and APIs, which people copy from the browser: everything from them on is
 * not part of the base URL. Jira Cloud has no context path at all, so there any path is a page.
 */
const PAGE_PATH =
  /\/(?:rest(?:\/|$)|secure\/|browse(?:\/|$)|projects\/[^/]|plugins\/servlet\/|servicedesk\/|issues(?:\/|$)|login\.jsp|logout(?:\/|$)|[^/]+\.jspa(?:$|[/?#]))/i

function pagePath(url: URL): { path: string; base: string; cloud: boolean } | undefined {
  const pathname = url.pathname
  if (isCloudHost(url.hostname)) {
    return trimPath(pathname) ? { path: pathname, base: '', cloud: true } : undefined
  }
  const at = pathname.search(PAGE_PATH)
  if (at < 0) return undefined
  return { path: pathname.slice(at), base: trimPath(pathname.slice(0, at)), cloud: false }
}

/** Port 0 is not a port, and the URL parser accepts it; above 65535 it fails with a vague message. */
function rejectBadPort(value: string, text: string, p: Platform): void {
  const port =
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?=[/?#]|$)/.exec(
      text
    )?.[1]
  if (port === undefined) return
  const number = Number(port)
  if (number >= 1 && number <= 65535) return
  throw invalid(
    'domain',
    `${p.setting('domain')} "${value}" has port ${port}; a port is a number from 1 to 65535 (HTTPS is 443, often left out; Jira's own default is 8080).`,
    text.replace(`:${port}`, '')
  )
}

export function normaliseDomain(
  value: string,
  allowInsecureHttp: boolean,
  notes: Note[],
  p: Platform
): string {
  const ref = p.setting('domain')
  if (UNEXPANDED_EXPRESSION.test(value)) {
    throw invalid(
      'domain',
      `${ref} contains "\${{", so a workflow expression was never expanded. ${p.unexpandedExpression('domain')}`
    )
  }
  const variable = EMBEDDED_SHELL_VARIABLE.exec(value)
  if (variable) {
    throw invalid(
      'domain',
      `${ref} contains "${variable[0]}", a shell variable that was never expanded: ${p.unexpandedVariable('domain', variable[0].replace(/[${}]/g, ''))}`
    )
  }
  const bad = describeBadCharacter(value)
  if (bad) {
    throw invalid(
      'domain',
      `${ref} contains ${bad.name} at position ${bad.index + 1}. A Jira base URL is plain ASCII ` +
        'such as https://jira.example.com; retype it rather than copying it from a document ' +
        '(look-alike letters from other alphabets are a common cause).'
    )
  }
  let text = value
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)
  if (!scheme) {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)/.test(text)) {
      throw invalid(
        'domain',
        `${ref} "${value}" is not an http(s) URL.`,
        'https://jira.example.com'
      )
    }
    text = `https://${text}`
  }
  rejectBadPort(value, text, p)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid(
      'domain',
      `${ref} "${value}" is not a valid URL` +
        (/^https?:\/\/[0-9a-f]*:[0-9a-f:]*:/i.test(text)
          ? '. An IPv6 address must be in brackets, e.g. https://[2001:db8::1]:8443.'
          : '.'),
      'https://jira.example.com'
    )
  }
  const protocol = url.protocol
  const origin = `${protocol}//${url.host}`
  const page = pagePath(url)
  // The base URL the user most likely meant: no credentials, no query or fragment, no page path.
  const path = page ? page.base : trimPath(url.pathname)
  const base = `${origin}${path}`
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw invalid(
      'domain',
      `${ref} uses ${protocol.replace(':', '')}://; Jira's REST API is served over https://.`,
      `https://${url.host}${path}`
    )
  }
  if (url.username || url.password) {
    throw invalid(
      'domain',
      `${ref} contains credentials (user:password@). Pass the token in ${p.setting('token')} (and the ` +
        `account in ${p.setting('username')} for Jira Cloud), never in the URL.`,
      base
    )
  }
  if (url.search || url.hash) {
    throw invalid(
      'domain',
      `${ref} has a ${url.search ? 'query string' : 'fragment'}${page ? ` and the page path "${page.path}"` : ''}; give only the Jira base URL.`,
      base
    )
  }
  if (page) {
    throw invalid(
      'domain',
      `${ref} includes the path "${page.path}"; give the Jira base URL ` +
        (page.cloud
          ? '(Jira Cloud has no context path: just the site) and the check adds the REST path itself.'
          : '(with its context path, if any) and the check adds the REST path itself.'),
      base
    )
  }
  if (protocol === 'http:' && !allowInsecureHttp) {
    throw invalid(
      'domain',
      `${ref} uses http://, which would send the token in clear text. Use https://, or set ` +
        `\`${p.assignment('allow-insecure-http', 'true')}\` if this really is a trusted network.`,
      `https://${url.host}${path}`
    )
  }
  if (!scheme) notes.push({ code: 'domain-without-scheme', base })
  if (protocol === 'http:') notes.push({ code: 'insecure-http', host: url.host })
  return base
}
