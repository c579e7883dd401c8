/**
 * Scenarios for every Atlassian credential of 2026, end to end, from the action bundle as the runner runs it:
 * classic and scoped Cloud API tokens, Cloud and Data Center service accounts with OAuth 2.0 client
 * credentials, and Jira 11 without Basic. Cloud is the stand-in behind a loopback CONNECT proxy that
 * maps <site>.atlassian.net, api.atlassian.com and auth.atlassian.com to it (the action honours
 * https_proxy): no name is ever resolved, and nothing leaves loopback.
 */
import { expect } from '@jest/globals'
import { runAction, type ActionResult } from '../../test-support/run-action.mjs'
import {
  startAtlassianCloud,
  startStandin,
  type AtlassianCloud,
  type CloudStandin,
  type Standin
} from '../../test-support/standin/index.mjs'
import { basicCredential, type Expectation, type Run } from './harness.js'

const EMAIL = 'ci-bot@example.com'
const OTHER_SITE = 'globex.atlassian.net'
const CUSTOM_DOMAIN = 'jira.acme-corp.example'

export interface Worlds {
  cloud: AtlassianCloud
  dc: Standin
}

export interface CredentialScenario {
  name: string
  on: 'cloud' | 'dc'
  settings?: Parameters<Standin['set']>[0]
  prepare: (worlds: Worlds) => Run
  expect: Expectation
  verify?: (result: ActionResult, worlds: Worlds, run: Run) => void
}

/** The stand-ins of the running test file (startWorlds sets them). */
let worlds: Worlds

/** A Cloud with two sites (one behind a custom domain, one with classic tokens off) and a Jira 11. */
export async function startWorlds(): Promise<Worlds> {
  const [cloud, dc] = await Promise.all([
    startAtlassianCloud({
      sites: [
        { host: 'acme.atlassian.net', customDomain: CUSTOM_DOMAIN },
        { host: OTHER_SITE, classicTokens: false }
      ]
    }),
    startStandin({ platform: 'dc', version: '11.0.1' })
  ])
  worlds = { cloud, dc }
  return worlds
}

export async function stopWorlds(): Promise<void> {
  await Promise.all([worlds?.cloud.close(), worlds?.dc.close()])
}

const standinOf = (scenario: CredentialScenario): Standin =>
  scenario.on === 'cloud' ? worlds.cloud.standin : worlds.dc

export async function execute(scenario: CredentialScenario, extraEnv: Record<string, string> = {}) {
  for (const standin of [worlds.cloud.standin, worlds.dc]) standin.reset()
  worlds.cloud.proxy.connects.length = 0
  const standin = standinOf(scenario)
  if (scenario.settings) standin.set(scenario.settings)
  const run = scenario.prepare(worlds)
  const env = scenario.on === 'cloud' ? worlds.cloud.env : { NODE_EXTRA_CA_CERTS: worlds.dc.caPath }
  const result = await runAction({
    inputs: run.inputs,
    env: { ...env, ...run.env, ...extraEnv },
    timeoutMs: 60_000
  })
  return { result, standin, run }
}

export const cloud = (): CloudStandin => worlds.cloud.standin
export const site = (host?: string): string => cloud().siteUrl(host)
export const gateway = (cloudId?: string): string => cloud().gatewayUrl(cloudId)
const cloudIdOf = (host: string): string => cloud().sites.find((s) => s.host === host)!.cloudId

function basic(
  domain: string,
  username: string,
  token: string,
  extra: Record<string, string> = {}
): Run {
  return {
    inputs: { domain, username, token, ...extra },
    secrets: [token, basicCredential(username, token)]
  }
}

function clientCredentials(
  domain: string,
  credentials: { clientId: string; clientSecret: string },
  extra: Record<string, string> = {}
): Run {
  return {
    inputs: {
      domain,
      'client-id': credentials.clientId,
      'client-secret': credentials.clientSecret,
      ...extra
    },
    secrets: [credentials.clientSecret, encodeURIComponent(credentials.clientSecret)]
  }
}

/** Hosts the credentials went to, by the names the requests were addressed to. */
function hostsReached(standin: Standin): string[] {
  return [...new Set(standin.requests.map((request) => request.host ?? ''))].sort()
}

/** The access token output: masked at once, used for the requests, and nowhere else. */
export function assertAccessToken(result: ActionResult, standin: Standin): string {
  const token = result.outputs['access-token']
  expect(token).toMatch(/^\S{20,}$/)
  expect(result.maskedValues).toContain(token)
  // Masked before any line that could carry it.
  const lines = result.stdout.split('\n')
  const masked = lines.findIndex((line) => line === `::add-mask::${token}`)
  expect(masked).toBeGreaterThan(-1)
  for (const line of lines.slice(0, masked)) expect(line).not.toContain(token)
  for (const [channel, text] of [
    ['stdout', lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')],
    ['stderr', result.stderr],
    ['summary', result.summary]
  ]) {
    expect({ channel, leaked: text.includes(token) }).toEqual({ channel, leaked: false })
  }
  const bearer = standin.requests.filter((request) => request.authorization === `Bearer ${token}`)
  expect(bearer.length).toBeGreaterThan(0)
  const expiresAt = Date.parse(result.outputs['access-token-expires-at'])
  expect(expiresAt - Date.now()).toBeGreaterThan(50 * 60_000)
  expect(expiresAt - Date.now()).toBeLessThan(61 * 60_000)
  return token
}

export const credentialScenarios: CredentialScenario[] = [
  {
    name: 'a classic Cloud API token passes on the site host',
    on: 'cloud',
    prepare: () => basic(site(), EMAIL, cloud().mintApiToken({ email: EMAIL }), { project: 'ABC' }),
    expect: {
      exitCode: 0,
      status: 'ok',
      message: /Authenticated to Jira \S+ as Mia Krystof .* with an API token$/m,
      outputs: { 'credential-kind': 'api-token', 'account-type': 'atlassian' }
    },
    verify: (result, w) => {
      expect(result.outputs['api-base-url']).toBe(site())
      expect(result.outputs['cloud-id']).toBe(cloudIdOf('acme.atlassian.net'))
      expect(hostsReached(w.cloud.standin)).toEqual(['acme.atlassian.net'])
    }
  },
  {
    name: 'a scoped token given with the site URL passes through the gateway',
    on: 'cloud',
    prepare: () =>
      basic(site(), EMAIL, cloud().mintApiToken({ email: EMAIL, scoped: true }), {
        'required-permissions': 'BROWSE_PROJECTS',
        project: 'ABC'
      }),
    expect: {
      exitCode: 0,
      status: 'ok',
      message: /with a scoped API token, through https:\/\/api\.atlassian\.com\/ex\/jira\//,
      outputs: { 'credential-kind': 'scoped-api-token', 'missing-permissions': '' }
    },
    verify: (result, w) => {
      const id = cloudIdOf('acme.atlassian.net')
      expect(result.outputs['cloud-id']).toBe(id)
      expect(result.outputs['api-base-url']).toBe(gateway(id))
      // The credential went only to the site and the gateway, and the gateway got it once for /myself.
      expect(hostsReached(w.cloud.standin)).toEqual(['acme.atlassian.net', 'api.atlassian.com'])
      const onGateway = w.cloud.standin.requests.filter((request) => request.via === 'gateway')
      expect(onGateway.map((request) => request.endpoint)).toEqual(['myself', 'mypermissions'])
      // People get the site's URL; the gateway's only as the REST base.
      expect(result.summary).toContain(`<th align="left">URL</th><td>${site()}</td>`)
      expect(result.summary).toContain('REST API base')
      expect(result.annotations.map((a) => a.message).join('\n')).toMatch(/api-base-url output/)
    }
  },
  {
    name: 'a classic token on a site with classic tokens off passes through the gateway too',
    on: 'cloud',
    prepare: () => basic(site(OTHER_SITE), EMAIL, cloud().mintApiToken({ email: EMAIL })),
    expect: { exitCode: 0, status: 'ok', outputs: { 'credential-kind': 'scoped-api-token' } },
    verify: (result) => {
      expect(result.outputs['api-base-url']).toBe(gateway(cloudIdOf(OTHER_SITE)))
    }
  },
  {
    name: 'a scoped token without read:jira-user fails with insufficient-scope, naming the scope',
    on: 'cloud',
    prepare: () =>
      basic(site(), EMAIL, cloud().mintApiToken({ email: EMAIL, scopes: ['read:jira-work'] })),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'insufficient-scope',
      message: /scope does not match[\s\S]*read:jira-user/,
      outputs: { 'credential-kind': 'scoped-api-token' }
    }
  },
  {
    name: 'a scoped token without a permission scope fails with insufficient-scope for the permissions',
    on: 'cloud',
    prepare: () =>
      basic(site(), EMAIL, cloud().mintApiToken({ email: EMAIL, scopes: ['read:jira-user'] }), {
        'required-permissions': 'BROWSE_PROJECTS'
      }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'insufficient-scope',
      message: /refused the permissions[\s\S]*read:jira-work/
    }
  },
  {
    name: 'a token both refuse is unauthorized, saying that the site and the gateway were tried',
    on: 'cloud',
    prepare: () => basic(site(), EMAIL, `ATATT3xFfGF0${'x'.repeat(180)}`),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /Neither the site nor the API gateway accepted the token[\s\S]*Both were tried/,
      outputs: { 'credential-kind': '', 'api-base-url': '' }
    }
  },
  {
    name: 'the gateway form of domain works directly',
    on: 'cloud',
    prepare: () =>
      basic(gateway(), EMAIL, cloud().mintApiToken({ email: EMAIL, scoped: true }), {
        project: 'ABC'
      }),
    expect: { exitCode: 0, status: 'ok', outputs: { 'credential-kind': 'scoped-api-token' } },
    verify: (result, w) => {
      expect(result.outputs['api-base-url']).toBe(gateway())
      expect(hostsReached(w.cloud.standin)).toEqual(['api.atlassian.com'])
      expect(result.outputs['deployment-type']).toBe('Cloud')
    }
  },
  {
    name: 'an unknown cloudId on the gateway is not-found',
    on: 'cloud',
    prepare: () =>
      basic(
        gateway('00000000-0000-4000-8000-000000000000'),
        EMAIL,
        cloud().mintApiToken({ email: EMAIL, scoped: true })
      ),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'not-found',
      message: /does not know this cloudId|gateway answered HTTP 404[\s\S]*_edge\/tenant_info/
    }
  },
  {
    name: 'with cloud-id given, the check asks no tenant_info',
    on: 'cloud',
    prepare: () =>
      basic(site(), EMAIL, cloud().mintApiToken({ email: EMAIL, scoped: true }), {
        'cloud-id': cloudIdOf('acme.atlassian.net')
      }),
    expect: { exitCode: 0, status: 'ok', outputs: { 'credential-kind': 'scoped-api-token' } },
    verify: (_result, w) => {
      expect(w.cloud.standin.requests.map((request) => request.endpoint)).not.toContain(
        'tenant-info'
      )
    }
  },
  {
    name: 'Cloud behind a custom domain: tenant_info tells it, and the gateway takes the scoped token',
    on: 'cloud',
    prepare: () =>
      basic(
        `https://${CUSTOM_DOMAIN}`,
        EMAIL,
        cloud().mintApiToken({ email: EMAIL, scoped: true })
      ),
    expect: { exitCode: 0, status: 'ok', outputs: { 'credential-kind': 'scoped-api-token' } },
    verify: (_result, w) => {
      expect(hostsReached(w.cloud.standin)).toEqual(['api.atlassian.com', CUSTOM_DOMAIN])
    }
  },
  {
    name: "a Cloud service account's client credentials pass; the access token is masked and output",
    on: 'cloud',
    prepare: () => {
      const account = cloud().addServiceAccount({ name: `deploy-${Date.now()}` })
      return clientCredentials(site(), account, {
        'required-permissions': 'BROWSE_PROJECTS',
        project: 'ABC'
      })
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      message:
        /as service account \S+ .*with OAuth 2\.0 client credentials, through https:\/\/api\.atlassian\.com/,
      outputs: { 'credential-kind': 'oauth-client-credentials', 'account-type': 'app' }
    },
    verify: (result, w) => {
      assertAccessToken(result, w.cloud.standin)
      expect(result.outputs.email).toMatch(/@serviceaccount\.atlassian\.com$/)
      expect(result.outputs['api-base-url']).toBe(gateway())
      expect(result.summary).toContain('service account')
      // The secret went to auth.atlassian.com alone, once; the access token to the gateway alone.
      const exchanges = w.cloud.standin.requests.filter(
        (request) => request.endpoint === 'oauth-token'
      )
      expect(exchanges).toHaveLength(1)
      expect(exchanges[0]).toMatchObject({ via: 'auth', method: 'POST', authorization: undefined })
      expect(hostsReached(w.cloud.standin)).toEqual([
        'acme.atlassian.net',
        'api.atlassian.com',
        'auth.atlassian.com'
      ])
      for (const request of w.cloud.standin.requests.filter((r) => r.via === 'site'))
        expect(request.authorization).toBeUndefined()
    }
  },
  {
    name: 'a wrong client secret is invalid-client, never retried',
    on: 'cloud',
    prepare: () => {
      const account = cloud().addServiceAccount({ name: `wrong-${Date.now()}` })
      return clientCredentials(
        site(),
        { ...account, clientSecret: 'not-the-secret-at-all' },
        { retries: '5' }
      )
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'invalid-client',
      message: /refused `client-id` and `client-secret` \(HTTP 401 access_denied/,
      outputs: { 'access-token': '', 'credential-kind': '' }
    },
    verify: (_result, w) => {
      expect(w.cloud.standin.requests.filter((r) => r.endpoint === 'oauth-token')).toHaveLength(1)
      expect(w.cloud.standin.requests.filter((r) => r.via === 'gateway')).toHaveLength(0)
    }
  },
  {
    name: 'unauthorized_client (400) is invalid-client too',
    on: 'cloud',
    settings: { oauthClientError: 'unauthorized_client' },
    prepare: () =>
      clientCredentials(site(), { clientId: 'unknown-client', clientSecret: 'whatever-secret' }),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'invalid-client',
      message: /HTTP 400 unauthorized_client/
    }
  },
  {
    name: 'an API token sent as Bearer to Cloud: "Failed to parse Connect Session Auth Token" is unauthorized',
    on: 'cloud',
    settings: { cloudBearer: 'connect-session' },
    prepare: () => {
      const token = cloud().mintApiToken({ email: EMAIL })
      return { inputs: { domain: site(), token }, secrets: [token] }
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'unauthorized',
      message: /HTTP 403[\s\S]*Connect app session token[\s\S]*Set `username`/
    }
  },
  {
    name: "a Cloud service account's scoped API token with Basic passes, named a service account",
    on: 'cloud',
    prepare: () => {
      const account = cloud().addServiceAccount({ name: `basic-${Date.now()}` })
      return basic(site(), account.email, account.mintApiToken())
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      message: /as service account /,
      outputs: { 'credential-kind': 'scoped-api-token', 'account-type': 'app' }
    }
  },
  {
    name: "a Data Center service account's client credentials pass; the access token is masked and output",
    on: 'dc',
    prepare: (w) =>
      clientCredentials(
        w.dc.url,
        w.dc.addServiceAccount({ name: `svc-${Date.now()}`, displayName: 'Deploy Service' }),
        {
          project: 'ABC'
        }
      ),
    expect: {
      exitCode: 0,
      status: 'ok',
      message: /as service account Deploy Service .*with OAuth 2\.0 client credentials$/m,
      outputs: { 'credential-kind': 'oauth-client-credentials', 'deployment-type': 'Server' }
    },
    verify: (result, w) => {
      assertAccessToken(result, w.dc)
      expect(result.outputs['api-base-url']).toBe(w.dc.url)
      const exchange = w.dc.requests.find((request) => request.endpoint === 'oauth-token')
      expect(exchange?.headers['content-type']).toBe('application/x-www-form-urlencoded')
      // No PAT list for a service account.
      expect(w.dc.requests.map((request) => request.endpoint)).not.toContain('tokens')
    }
  },
  {
    name: 'a Data Center service account /myself refuses: a warning that says what was and was not proved',
    on: 'dc',
    prepare: (w) =>
      clientCredentials(
        w.dc.url,
        w.dc.addServiceAccount({ name: `hidden-${Date.now()}`, myself: 'refused' })
      ),
    expect: {
      exitCode: 0,
      status: 'warning',
      outputs: { 'credential-kind': 'oauth-client-credentials', username: '' }
    },
    verify: (result) => {
      const warning = result.annotations.find((annotation) => annotation.level === 'warning')
      expect(warning?.message).toMatch(/client credentials are valid[\s\S]*not verified/)
    }
  },
  {
    name: 'never passes expected-user on an identity /myself did not give',
    on: 'dc',
    prepare: (w) => {
      const name = `gate-${Date.now()}`
      return clientCredentials(w.dc.url, w.dc.addServiceAccount({ name, myself: 'refused' }), {
        'expected-user': name
      })
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'identity-unverified',
      message: /`expected-user` could not be checked/
    }
  },
  {
    name: 'a wrong Data Center client secret is invalid-client',
    on: 'dc',
    prepare: (w) => {
      const account = w.dc.addServiceAccount({ name: `bad-${Date.now()}` })
      return clientCredentials(w.dc.url, { ...account, clientSecret: 'wrong-secret-value' })
    },
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'invalid-client',
      message: /Jira administration › Service accounts/
    }
  },
  {
    name: 'Jira 11 without Basic: basic-auth-disabled points to a PAT or a service account',
    on: 'dc',
    settings: { basicAuthDisabled: true },
    prepare: (w) => basic(w.dc.url, 'ci-bot', 'correct-horse-battery'),
    expect: {
      exitCode: 1,
      status: 'failed',
      errorCode: 'basic-auth-disabled',
      message: /Jira 11 turns Basic auth off by default[\s\S]*`client-id` and `client-secret`/
    }
  },
  {
    name: 'a Data Center PAT is credential-kind pat',
    on: 'dc',
    prepare: (w) => {
      const token = w.dc.mintPat()
      return { inputs: { domain: w.dc.url, token }, secrets: [token] }
    },
    expect: {
      exitCode: 0,
      status: 'ok',
      message: /with a personal access token$/m,
      outputs: { 'credential-kind': 'pat', 'account-type': '', 'cloud-id': '' }
    }
  }
]
