// Atlassian Cloud sites, and which of the Cloud hosts a request is addressed to. One Cloud stand-in
// plays every Cloud name a client may use: its sites (`acme.atlassian.net`, and a custom domain in
// front of one), the `api.atlassian.com` gateway and `auth.atlassian.com`'s token endpoint. It tells
// them apart by the Host header (the TLS SNI when a request has none), as Atlassian's edge does.
import { randomUUID } from 'node:crypto'
import net from 'node:net'

/** @typedef {import('./index.d.mts').CloudSiteOptions} CloudSiteOptions */
/** @typedef {import('./index.d.mts').CloudSite} CloudSite */
/** @typedef {import('./index.d.mts').RequestVia} RequestVia */

export const GATEWAY_HOST = 'api.atlassian.com'
export const AUTH_HOST = 'auth.atlassian.com'
export const DEFAULT_SITE_HOST = 'acme.atlassian.net'
/** `https://api.atlassian.com/ex/jira/{cloudId}/…` (Atlassian, "Manage API tokens for your Atlassian account"). */
const GATEWAY_PATH = /^\/ex\/jira\/([^/?#]+)(\/.*)?$/

/** @param {string} name */
function hostName(name) {
  const value = name.trim().toLowerCase().replace(/\.$/, '')
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(value))
    throw new Error(`not a host name: ${JSON.stringify(name)}`)
  return value
}

/**
 * The sites of a Cloud stand-in: the given ones, or one `acme.atlassian.net` with a random cloudId.
 * @param {CloudSiteOptions[] | undefined} options
 * @returns {CloudSite[]}
 */
export function buildSites(options) {
  const specs = options && options.length > 0 ? options : [{ host: DEFAULT_SITE_HOST }]
  /** @type {CloudSite[]} */
  const sites = []
  const taken = new Set([GATEWAY_HOST, AUTH_HOST])
  for (const spec of specs) {
    const host = hostName(spec.host)
    const customDomain = spec.customDomain === undefined ? undefined : hostName(spec.customDomain)
    const cloudId = (spec.cloudId ?? randomUUID()).toLowerCase()
    for (const name of [host, customDomain]) {
      if (name === undefined) continue
      if (taken.has(name)) throw new Error(`host ${name} is taken`)
      taken.add(name)
    }
    if (sites.some((site) => site.cloudId === cloudId))
      throw new Error(`cloudId ${cloudId} is taken`)
    sites.push(
      Object.freeze({
        host,
        cloudId,
        url: `https://${host}`,
        customDomain,
        classicTokens: spec.classicTokens ?? true
      })
    )
  }
  return sites
}

/**
 * The name a request was addressed to: the Host header without its port, else the TLS SNI.
 * @param {string | undefined} hostHeader
 * @param {string | undefined} sni
 */
export function addressedName(hostHeader, sni) {
  if (hostHeader) {
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader)
    if (bracketed) return bracketed[1].toLowerCase()
    return hostHeader.replace(/:\d+$/, '').toLowerCase()
  }
  return sni ? sni.toLowerCase() : undefined
}

/**
 * @typedef {{ via: 'site', site: CloudSite | undefined, gatewayPrefix: undefined }
 *   | { via: 'gateway', site: CloudSite | undefined, gatewayPrefix: string | undefined }
 *   | { via: 'auth', site: undefined, gatewayPrefix: undefined }} CloudTarget
 *   `site` undefined: no such site (an unknown *.atlassian.net name, an unknown cloudId). `gatewayPrefix`
 *   is `/ex/jira/{cloudId}` when the gateway path has that shape.
 */

/**
 * Which Cloud host a request is for. Loopback names and addresses, and names that are no Atlassian
 * name, reach the first site, so a test that talks to https://127.0.0.1:PORT keeps working.
 * @param {CloudSite[]} sites
 * @param {string | undefined} name
 * @param {string} path
 * @returns {CloudTarget}
 */
export function cloudTarget(sites, name, path) {
  if (name === GATEWAY_HOST) {
    const match = GATEWAY_PATH.exec(path)
    if (!match) return { via: 'gateway', site: undefined, gatewayPrefix: undefined }
    const cloudId = decodeURIComponent(match[1]).toLowerCase()
    return {
      via: 'gateway',
      site: sites.find((site) => site.cloudId === cloudId),
      gatewayPrefix: `/ex/jira/${match[1]}`
    }
  }
  if (name === AUTH_HOST) return { via: 'auth', site: undefined, gatewayPrefix: undefined }
  const named =
    name === undefined
      ? undefined
      : sites.find((site) => site.host === name || site.customDomain === name)
  if (named) return { via: 'site', site: named, gatewayPrefix: undefined }
  // An Atlassian name the stand-in has no site for: nobody is there [guess: the real edge's answer
  // for an unknown site was not looked up].
  if (name !== undefined && !net.isIP(name) && /(^|\.)atlassian\.(net|com)$/.test(name))
    return { via: 'site', site: undefined, gatewayPrefix: undefined }
  return { via: 'site', site: sites[0], gatewayPrefix: undefined }
}
