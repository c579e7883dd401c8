import { describe, it, expect } from '@jest/globals'
import { actionPlatform } from '../../src/action/platform.js'
import { cliPlatform } from '../../src/cli/platform.js'
import { describeNote } from '../../src/engine/diagnosis/notes.js'
import type { Note } from '../../src/engine/findings.js'
import { isCloudHost, normaliseDomain } from '../../src/engine/settings/domain.js'
import { parseSettings, type ParseResult } from '../../src/engine/settings/parse.js'
import { InputError } from '../../src/engine/settings/values.js'
import { rawFor } from '../../__fixtures__/settings.js'

const ACTION = actionPlatform({})
const CLI = cliPlatform()

type InputFailure = Extract<ParseResult, { ok: false }>['failure']

function parsed(domain: string, allowInsecureHttp = 'false'): { baseUrl: string; notes: Note[] } {
  const result = parseSettings(rawFor({ domain, 'allow-insecure-http': allowInsecureHttp }), ACTION)
  if (!result.ok) throw new Error(`refused ${domain}: ${result.failure.detail}`)
  return { baseUrl: result.settings.baseUrl, notes: result.notes }
}

function failureOf(domain: string): InputFailure {
  const result = parseSettings(rawFor({ domain }), ACTION)
  if (result.ok) throw new Error(`parseSettings accepted ${domain}`)
  expect(result.failure.input).toBe('domain')
  return result.failure
}

describe('isCloudHost', () => {
  it.each([
    ['acme.atlassian.net', true],
    ['ACME.Atlassian.NET', true],
    ['acme.jira.com', true],
    ['atlassian.net', false],
    ['acme.atlassian.net.evil.example', false],
    ['jira.example.com', false]
  ])('%s → %s', (host, cloud) => {
    expect(isCloudHost(host)).toBe(cloud)
  })
})

describe('normaliseDomain', () => {
  it('returns the base URL and pushes its notes', () => {
    const notes: Note[] = []
    expect(normaliseDomain('jira.example.com/jira/', false, notes, ACTION)).toBe(
      'https://jira.example.com/jira'
    )
    expect(notes).toEqual([
      { code: 'domain-without-scheme', base: 'https://jira.example.com/jira' }
    ])
  })

  it('throws an InputError carrying the invalid-input failure', () => {
    expect(() => normaliseDomain('ftp://x', false, [], ACTION)).toThrow(InputError)
    const thrown = ((): unknown => {
      try {
        return normaliseDomain('https://jira.example.com/rest/api/2/myself', false, [], CLI)
      } catch (error) {
        return error
      }
    })()
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).failure).toEqual({
      code: 'invalid-input',
      input: 'domain',
      detail: expect.stringContaining('`--domain` includes the path "/rest/api/2/myself"'),
      suggestion: 'https://jira.example.com'
    })
  })
})

describe('parseSettings: domain', () => {
  it.each([
    ['https://jira.example.com', 'https://jira.example.com'],
    ['https://jira.example.com/', 'https://jira.example.com'],
    ['https://jira.example.com///', 'https://jira.example.com'],
    ['https://example.com/jira', 'https://example.com/jira'],
    ['https://example.com/jira/', 'https://example.com/jira'],
    ['https://example.com/tools/jira//', 'https://example.com/tools/jira'],
    ['HTTPS://JIRA.Example.COM', 'https://jira.example.com'],
    ['https://jira.example.com:8443/', 'https://jira.example.com:8443'],
    ['https://jira.example.com:443', 'https://jira.example.com'],
    ['https://[::1]:8443', 'https://[::1]:8443'],
    ['https://[2001:db8::1]/jira/', 'https://[2001:db8::1]/jira'],
    ['  https://jira.example.com  ', 'https://jira.example.com']
  ])('%j → %j without notes', (domain, baseUrl) => {
    expect(parsed(domain)).toEqual({ baseUrl, notes: [] })
  })

  it.each([
    ['jira.example.com', 'https://jira.example.com'],
    ['jira.example.com/jira/', 'https://jira.example.com/jira'],
    ['jira.example.com:8443', 'https://jira.example.com:8443'],
    ['localhost:8080', 'https://localhost:8080']
  ])('adds https:// to %j with a note', (domain, baseUrl) => {
    const { baseUrl: base, notes } = parsed(domain)
    expect(base).toBe(baseUrl)
    expect(notes).toEqual([{ code: 'domain-without-scheme', base: baseUrl }])
    expect(describeNote(notes[0], ACTION)).toEqual({
      level: 'notice',
      message: `\`domain\` has no scheme; using ${baseUrl}.`
    })
  })

  it('rejects credentials in the URL, suggests the URL without them, and never echoes them', () => {
    const failure = failureOf('https://bob:s3cr3tPw@jira.example.com/jira/')
    expect(failure.code).toBe('invalid-input')
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe(
      'https://jira.example.com/jira'
    )
    expect(JSON.stringify(failure)).not.toContain('s3cr3tPw')
    expect(JSON.stringify(failure)).not.toContain('bob')
  })

  it('rejects a user without password in the URL', () => {
    const failure = failureOf('https://bob@jira.example.com')
    expect(failure.code).toBe('invalid-input')
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe('https://jira.example.com')
  })

  it.each([
    ['https://jira.example.com/?x=1', 'https://jira.example.com'],
    ['https://jira.example.com/jira?os_authType=basic', 'https://jira.example.com/jira'],
    ['https://jira.example.com/#frag', 'https://jira.example.com']
  ])('rejects the query or fragment in %j', (domain, suggestion) => {
    const failure = failureOf(domain)
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toMatch(/has a (query string|fragment)/)
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe(suggestion)
  })

  it.each([
    ['https://jira.example.com/rest/api/2/myself', 'https://jira.example.com'],
    ['https://jira.example.com/jira/rest/api/2/myself', 'https://jira.example.com/jira'],
    ['https://jira.example.com/browse/ABC-1', 'https://jira.example.com'],
    ['https://jira.example.com/secure/Dashboard.jspa', 'https://jira.example.com'],
    ['https://jira.example.com/jira/login.jsp', 'https://jira.example.com/jira'],
    ['jira.example.com/REST/api/latest/serverInfo', 'https://jira.example.com']
  ])('rejects the API path in %j with the base as suggestion', (domain, suggestion) => {
    const failure = failureOf(domain)
    expect(failure.code).toBe('invalid-input')
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe(suggestion)
  })

  it('rejects ftp://', () => {
    const failure = failureOf('ftp://jira.example.com/x')
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain('ftp://')
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe(
      'https://jira.example.com/x'
    )
  })

  it('rejects a scheme without slashes', () => {
    const failure = failureOf('mailto:jira@example.com')
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain('not an http(s) URL')
  })

  it('rejects http:// unless allowed', () => {
    const failure = failureOf('http://jira.internal:8080/jira')
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain('allow-insecure-http')
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe(
      'https://jira.internal:8080/jira'
    )
  })

  it('accepts http:// with allow-insecure-http and notes it', () => {
    const { baseUrl, notes } = parsed('http://jira.internal:8080/jira/', 'TRUE')
    expect(baseUrl).toBe('http://jira.internal:8080/jira')
    expect(notes).toEqual([{ code: 'insecure-http', host: 'jira.internal:8080' }])
    const { level, message } = describeNote(notes[0], ACTION)
    expect(level).toBe('warning')
    expect(message).toContain('clear text')
    expect(message).toContain('jira.internal:8080')
  })

  it('does not warn about https when allow-insecure-http is on', () => {
    expect(parsed('https://jira.example.com', 'true').notes).toEqual([])
  })

  it.each(['https://2001:db8::1:8443', '2001:db8::1', 'https://2001:db8::1/jira'])(
    'rejects the unbracketed IPv6 address %j with a hint',
    (domain) => {
      const failure = failureOf(domain)
      expect(failure.code).toBe('invalid-input')
      expect(failure.detail).toContain('must be in brackets')
    }
  )

  it('rejects a Cyrillic look-alike letter and names it', () => {
    const failure = failureOf('https://jir\u0430.example.com')
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain('U+0430')
    expect(failure.detail).toContain('position 12')
  })

  it.each([
    ['a space', 'https://jira example.com'],
    ['a tab', 'https://jira.example.com\t/x'],
    ['a line break', 'https://jira.example.com\nhttps://other.example.com']
  ])('rejects %s in the domain', (name, domain) => {
    const failure = failureOf(domain)
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain(name)
  })

  it('rejects something that is not a URL', () => {
    const failure = failureOf('https://')
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toContain('not a valid URL')
  })

  it.each([
    ['${{ vars.JIRA_DOMAIN }}', 'never expanded'],
    ['https://$HOST/jira', '"$HOST"']
  ])('rejects the unexpanded %j', (domain, words) => {
    expect(failureOf(domain).detail).toContain(words)
  })
})

describe('parseSettings: domain hints lead to the base URL in one step', () => {
  it.each([
    [
      'https://jira.example.com:8443/jira/browse/ABC-1?focusedCommentId=1#comment-1',
      'https://jira.example.com:8443/jira'
    ],
    ['https://jira.example.com/jira/rest', 'https://jira.example.com/jira'],
    ['https://jira.example.com/rest/', 'https://jira.example.com'],
    ['https://jira.example.com/jira/projects/ABC/issues/ABC-1', 'https://jira.example.com/jira'],
    ['https://jira.example.com/secure/RapidBoard.jspa?rapidView=1', 'https://jira.example.com'],
    ['https://jira.example.com/jira/plugins/servlet/desk', 'https://jira.example.com/jira'],
    [
      'https://acme.atlassian.net/jira/software/projects/ABC/boards/1',
      'https://acme.atlassian.net'
    ],
    ['https://acme.atlassian.net/browse/ABC-1', 'https://acme.atlassian.net'],
    ['https://acme.atlassian.net/wiki', 'https://acme.atlassian.net']
  ])('%s suggests %s', (domain, suggestion) => {
    const failure = failureOf(domain)
    expect(failure.code).toBe('invalid-input')
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe(suggestion)
    // One step: the suggestion itself is accepted as it is.
    expect(parsed(suggestion).baseUrl).toBe(suggestion)
  })

  it('keeps a context path that merely looks like a word', () => {
    expect(parsed('https://example.com/tools/jira').baseUrl).toBe('https://example.com/tools/jira')
    expect(parsed('https://example.com/projects').baseUrl).toBe('https://example.com/projects')
  })

  it.each([
    ['https://jira.example.com:0', 'https://jira.example.com'],
    ['https://jira.example.com:70000/jira', 'https://jira.example.com/jira'],
    ['jira.example.com:99999', 'https://jira.example.com']
  ])('rejects the port in %s and suggests %s', (domain, suggestion) => {
    const failure = failureOf(domain)
    expect(failure.code).toBe('invalid-input')
    expect(failure.detail).toMatch(/a port is a number from 1 to 65535/)
    expect(failure.code === 'invalid-input' && failure.suggestion).toBe(suggestion)
  })

  it('accepts ports 1 and 65535', () => {
    expect(parsed('https://h:1').baseUrl).toBe('https://h:1')
    expect(parsed('https://h:65535').baseUrl).toBe('https://h:65535')
  })
})
