// One call for a test that wants "Atlassian Cloud": a Cloud stand-in and a CONNECT proxy that sends
// every name a client may use (each site host and custom domain, api.atlassian.com,
// auth.atlassian.com) to it. The client reaches the names only through the proxy: it sends the name
// in CONNECT and in TLS SNI, and nobody resolves it.
import { startConnectProxy } from './proxy.mjs'
import { startStandin } from './server.mjs'
import { AUTH_HOST, GATEWAY_HOST } from './sites.mjs'

/**
 * @param {import('./index.d.mts').AtlassianCloudOptions} [options]
 * @returns {Promise<import('./index.d.mts').AtlassianCloud>}
 */
export async function startAtlassianCloud(options = {}) {
  const { proxy: proxyOptions = {}, ...standinOptions } = options
  const standin = await startStandin({ ...standinOptions, platform: 'cloud' })
  try {
    const target = `127.0.0.1:${standin.port}`
    /** @type {Record<string, string>} */
    const hosts = { [GATEWAY_HOST]: target, [AUTH_HOST]: target }
    for (const site of standin.sites) {
      hosts[site.host] = target
      if (site.customDomain !== undefined) hosts[site.customDomain] = target
    }
    const proxy = await startConnectProxy({
      ...proxyOptions,
      hosts: { ...hosts, ...proxyOptions.hosts }
    })
    const auth = proxyOptions.requireAuth
    const colon = auth === undefined ? -1 : auth.indexOf(':')
    const credentials =
      auth === undefined
        ? ''
        : colon < 0
          ? `${encodeURIComponent(auth)}@`
          : `${encodeURIComponent(auth.slice(0, colon))}:${encodeURIComponent(auth.slice(colon + 1))}@`
    return {
      standin,
      proxy,
      env: {
        https_proxy: `http://${credentials}127.0.0.1:${proxy.port}`,
        NODE_EXTRA_CA_CERTS: standin.caPath
      },
      async close() {
        await Promise.all([proxy.close(), standin.close()])
      }
    }
  } catch (error) {
    await standin.close()
    throw error
  }
}
