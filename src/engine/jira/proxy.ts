/**
 * Which proxy a request goes through, by the runner's rules: `https_proxy`/`HTTPS_PROXY` for https
 * targets (`http_proxy`/`HTTP_PROXY` for http), `no_proxy`/`NO_PROXY` entries that match the host,
 * the host with its port, or a parent domain, `*` for everything, and loopback never proxied. These
 * are @actions/http-client's rules (lib/proxy.js), written out here so that a proxy variable that
 * cannot be parsed is reported instead of silently ignored: http-client swallows the URIError from
 * a raw "%" in the password and connects directly.
 */

import { urlPasswords } from '../settings/secrets.js'

/** The proxy variables, as the environment has them. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>

export type ProxyRoute =
  | { kind: 'direct' }
  | {
      kind: 'proxy'
      /** The proxy's origin, for messages: never carries credentials. */
      origin: string
      url: URL
      /** Decoded credentials from the URL, for Proxy-Authorization. */
      username: string
      password: string
    }
  | {
      kind: 'invalid'
      /** The variable that holds the bad value, e.g. https_proxy. */
      variable: string
      /** Why it cannot be used, without the value itself (it may hold a password). */
      reason: string
    }

function firstSet(
  env: ProxyEnv,
  names: readonly string[]
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]
    if (value) return { name, value }
  }
  return undefined
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return (
    host === 'localhost' ||
    host.startsWith('127.') ||
    host.startsWith('[::1]') ||
    host.startsWith('[0:0:0:0:0:0:0:1]')
  )
}

export function bypassesProxy(target: URL, env: ProxyEnv): boolean {
  if (!target.hostname) return false
  if (isLoopback(target.hostname)) return true
  const noProxy = env.no_proxy || env.NO_PROXY || ''
  if (!noProxy) return false
  const port = target.port ? Number(target.port) : target.protocol === 'http:' ? 80 : 443
  const host = target.hostname.toUpperCase()
  const candidates = [host, `${host}:${port}`]
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toUpperCase())
    .filter((entry) => entry !== '')
    .some(
      (entry) =>
        entry === '*' ||
        candidates.some(
          (candidate) =>
            candidate === entry ||
            candidate.endsWith(`.${entry}`) ||
            (entry.startsWith('.') && candidate.endsWith(entry))
        )
    )
}

/** The route to `target`, or why the proxy variable that applies to it cannot be used. */
export function proxyFor(target: URL, env: ProxyEnv): ProxyRoute {
  if (bypassesProxy(target, env)) return { kind: 'direct' }
  const names =
    target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const found = firstSet(env, names)
  if (!found) return { kind: 'direct' }
  const text = found.value.trim()
  // curl and http-client read a value without a scheme as http://host:port.
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return { kind: 'invalid', variable: found.name, reason: 'it is not a valid URL' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      kind: 'invalid',
      variable: found.name,
      reason: `it uses ${url.protocol.replace(':', '')}://; only http:// and https:// proxies are supported`
    }
  }
  if (!url.hostname) {
    return { kind: 'invalid', variable: found.name, reason: 'it names no proxy host' }
  }
  let username: string
  let password: string
  try {
    username = decodeURIComponent(url.username)
    password = decodeURIComponent(url.password)
  } catch {
    return {
      kind: 'invalid',
      variable: found.name,
      reason:
        'its user name or password holds a "%" that is not followed by two hex digits; write a literal % as %25'
    }
  }
  return { kind: 'proxy', origin: `${url.protocol}//${url.host}`, url, username, password }
}

/** Every proxy password in the environment, as written and decoded, for masking. */
export function proxySecrets(env: ProxyEnv): string[] {
  const names = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']
  return [...new Set(names.flatMap((name) => urlPasswords(env[name] ?? '')))]
}
