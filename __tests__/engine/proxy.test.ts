import { describe, expect, it } from '@jest/globals'
import { bypassesProxy, proxyFor, proxySecrets } from '../../src/engine/jira/proxy.js'

const JIRA = new URL('https://jira.example.com/rest/api/2/myself')

describe('proxyFor', () => {
  it('goes direct without a proxy variable', () => {
    expect(proxyFor(JIRA, {})).toEqual({ kind: 'direct' })
  })

  it('uses https_proxy before HTTPS_PROXY for an https target, and decodes its credentials', () => {
    const route = proxyFor(JIRA, {
      https_proxy: 'http://user:p%40ss@proxy.corp:3128',
      HTTPS_PROXY: 'http://other:1'
    })
    expect(route).toMatchObject({
      kind: 'proxy',
      origin: 'http://proxy.corp:3128',
      username: 'user',
      password: 'p@ss'
    })
  })

  it('uses http_proxy for an http target', () => {
    const route = proxyFor(new URL('http://jira.example.com/'), {
      https_proxy: 'http://a:1',
      http_proxy: 'http://b:2'
    })
    expect(route).toMatchObject({ kind: 'proxy', origin: 'http://b:2' })
  })

  it('reads a value without a scheme as http://host:port, as curl does', () => {
    expect(proxyFor(JIRA, { https_proxy: 'proxy.corp:3128' })).toMatchObject({
      kind: 'proxy',
      origin: 'http://proxy.corp:3128'
    })
  })

  it.each([
    [
      'a raw % in the password',
      'http://user:p%zz@proxy:3128',
      /"%" that is not followed by two hex digits/
    ],
    ['an unsupported scheme', 'socks5://proxy:1080', /only http:\/\/ and https:\/\//],
    ['no host', 'http://:3128', /not a valid URL|names no proxy host/]
  ])('reports %s as invalid, without the value', (_name, value, reason) => {
    const route = proxyFor(JIRA, { https_proxy: value })
    expect(route).toMatchObject({ kind: 'invalid', variable: 'https_proxy' })
    expect(route.kind === 'invalid' && route.reason).toMatch(reason)
    expect(JSON.stringify(route)).not.toContain('p%zz')
  })
})

describe('bypassesProxy', () => {
  it.each([
    ['https://127.0.0.1:8443/', ''],
    ['https://localhost/', ''],
    ['https://[::1]/', ''],
    ['https://jira.example.com/', '*'],
    ['https://jira.example.com/', 'jira.example.com'],
    ['https://jira.example.com/', 'example.com'],
    ['https://jira.example.com/', '.example.com'],
    ['https://jira.example.com:8443/', 'jira.example.com:8443'],
    ['https://JIRA.example.com/', ' other.net , JIRA.EXAMPLE.COM ']
  ])('%s bypasses with no_proxy=%j', (url, noProxy) => {
    expect(bypassesProxy(new URL(url), { no_proxy: noProxy })).toBe(true)
  })

  it.each([
    ['https://jira.example.com/', 'ample.com'],
    ['https://jira.example.com:8443/', 'jira.example.com:443'],
    ['https://jira.example.com/', '']
  ])('%s is proxied with no_proxy=%j', (url, noProxy) => {
    expect(bypassesProxy(new URL(url), { no_proxy: noProxy })).toBe(false)
  })

  it('falls back to NO_PROXY', () => {
    expect(bypassesProxy(JIRA, { NO_PROXY: 'example.com' })).toBe(true)
  })
})

describe('proxySecrets', () => {
  it('returns every proxy password as written and decoded', () => {
    expect(
      proxySecrets({
        https_proxy: 'http://u:p%40ss@proxy:1',
        HTTP_PROXY: 'proxy2:2',
        http_proxy: 'http://v:raw%zz@proxy:3'
      })
    ).toEqual(['p%40ss', 'p@ss', 'raw%zz'])
  })

  it('finds nothing in a proxy without credentials', () => {
    expect(proxySecrets({ https_proxy: 'http://proxy:3128' })).toEqual([])
  })
})
