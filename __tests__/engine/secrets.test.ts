import { describe, it, expect } from '@jest/globals'
import { proxySecrets } from '../../src/engine/jira/proxy.js'
import {
  basicCredential,
  redactor,
  secretsToMask,
  urlPasswords
} from '../../src/engine/settings/secrets.js'
import { PAT } from '../../__fixtures__/settings.js'

const TOKEN = PAT

describe('secretsToMask', () => {
  it('returns nothing for an empty token', () => {
    expect(secretsToMask({ token: '  ', username: 'bob' })).toEqual([])
  })

  it('masks the token as given and trimmed', () => {
    expect(secretsToMask({ token: ` ${TOKEN}\n`, username: '' })).toEqual([` ${TOKEN}\n`, TOKEN])
  })

  it('includes base64(username:token) when a username is set', () => {
    const secrets = secretsToMask({
      token: 'apitoken-1234567890',
      username: ' ci-bot@example.com '
    })
    const credential = Buffer.from('ci-bot@example.com:apitoken-1234567890').toString('base64')
    expect(secrets).toContain(credential)
    expect(secrets).toContain('apitoken-1234567890')
  })

  it('derives the Basic credential from the token without a "Bearer " prefix', () => {
    const secrets = secretsToMask({ token: 'Bearer apitoken-1234567890', username: 'bob' })
    expect(secrets).toContain(Buffer.from('bob:apitoken-1234567890').toString('base64'))
  })

  it('masks the bare token but never the lone word "Bearer"', () => {
    const secrets = secretsToMask({ token: `Bearer ${TOKEN}`, username: '' })
    expect(secrets).toContain(TOKEN)
    expect(secrets).toContain(`Bearer ${TOKEN}`)
    expect(secrets).not.toContain('Bearer')
    expect(secrets.every((secret) => secret.includes(TOKEN))).toBe(true)
  })

  it('masks each long piece of a token holding whitespace, but not short common words', () => {
    const secrets = secretsToMask({ token: 'abcdEFGH12345678\nzyxwVUTS98765432 and', username: '' })
    expect(secrets).toContain('abcdEFGH12345678')
    expect(secrets).toContain('zyxwVUTS98765432')
    expect(secrets).not.toContain('and')
  })

  it('never returns an empty string', () => {
    expect(secretsToMask({ token: 'Bearer x', username: '' })).not.toContain('')
  })

  it.each(['Bearer', 'Bearer  ', 'bearer'])(
    'masks nothing for the word "Bearer" alone (%j)',
    (token) => {
      expect(secretsToMask({ token, username: 'bob' })).toEqual([])
    }
  )

  it('masks a URL password in domain, as written and decoded, even with no token', () => {
    expect(
      secretsToMask({
        domain: 'https://bob:s3cr3tPw@jira.example.com/jira/',
        token: '',
        username: ''
      })
    ).toEqual(['s3cr3tPw'])
    const secrets = secretsToMask({
      domain: 'https://bob:p%40ss%3Aword@jira.example.com',
      token: TOKEN,
      username: ''
    })
    expect(secrets).toContain('p@ss:word')
    expect(secrets).toContain('p%40ss%3Aword')
  })
})

describe('secretsToMask: the client secret', () => {
  it('masks it as given, trimmed, unquoted and as the token request encodes it', () => {
    const secret = 'ATOA+a/b=c&d"e f'
    const secrets = secretsToMask({ token: '', username: '', 'client-secret': ` "${secret}" ` })
    expect(secrets).toEqual(
      expect.arrayContaining([
        secret,
        encodeURIComponent(secret),
        new URLSearchParams({ s: secret }).toString().slice(2),
        JSON.stringify(secret).slice(1, -1)
      ])
    )
  })

  it('leaves an unexpanded expression readable, so the error can show it', () => {
    expect(secretsToMask({ token: '', username: '', 'client-secret': '${{ secrets.S }}' })).toEqual(
      []
    )
    expect(secretsToMask({ token: '', username: '', 'client-secret': '$CLIENT_SECRET' })).toEqual(
      []
    )
  })
})

describe('secretsToMask: what is not a secret stays readable', () => {
  it.each(['${{ secrets.JIRA_PAT }}', '$JIRA_PAT', '${JIRA_PAT}'])(
    'masks nothing for the unexpanded %j',
    (token) => {
      expect(secretsToMask({ token, username: '' })).toEqual([])
    }
  )

  it('masks nothing for an unexpanded variable behind "Bearer "', () => {
    // The error message about it shows "$JIRA_PAT": masked, it would read "***".
    expect(secretsToMask({ token: 'Bearer $JIRA_PAT', username: '' })).toEqual([])
  })

  it('masks a $password with Basic auth', () => {
    expect(secretsToMask({ token: '$Winter2026', username: 'bob' })).toContain('$Winter2026')
  })

  it('masks the value inside quotes and derives the Basic credential from it', () => {
    const secrets = secretsToMask({ token: `'s3cr3t-v4lue'`, username: '"bob"' })
    expect(secrets).toContain('s3cr3t-v4lue')
    expect(secrets).toContain(Buffer.from('bob:s3cr3t-v4lue').toString('base64'))
  })
})

describe('basicCredential', () => {
  it('is base64 of username:secret in UTF-8', () => {
    expect(basicCredential('jörg', 'pw')).toBe(Buffer.from('jörg:pw', 'utf8').toString('base64'))
    expect(Buffer.from(basicCredential('a', 'b:c'), 'base64').toString()).toBe('a:b:c')
  })
})

describe('urlPasswords', () => {
  it.each([
    ['https://bob:pw@jira.example.com', ['pw']],
    ['https://bob:p%40ss@jira.example.com', ['p%40ss', 'p@ss']],
    ['bob:raw%zz@jira.example.com', ['raw%zz']],
    ['https://bob@jira.example.com', []],
    ['https://bob:@jira.example.com', []],
    ['jira.example.com:8443', []],
    ['https://jira.example.com/a:b@c', []],
    ['', []]
  ])('%j → %j', (value, passwords) => {
    expect(urlPasswords(value)).toEqual(passwords)
  })

  it('takes the whole password when it holds a raw "@", as the URL parser does', () => {
    // new URL() splits user info at the last "@": the password of this URL is "p@ss".
    expect(new URL('https://bob:p@ss@jira.example.com').password).toBe('p%40ss')
    const passwords = urlPasswords('https://bob:p@ss@jira.example.com')
    expect(passwords).toContain('p@ss')
    expect(passwords).not.toContain('p')
  })

  it('masks the whole proxy password when it holds a raw "@"', () => {
    // proxyFor authenticates with "s3cr@t"; masking only "s3cr" leaves "***@t" in logs.
    expect(proxySecrets({ https_proxy: 'http://user:s3cr@t@proxy:3128' })).toContain('s3cr@t')
  })
})

describe('redactor', () => {
  it('replaces longer secrets first and every occurrence', () => {
    const redact = redactor(['abc', 'abcdef', ''])
    expect(redact('abcdef abc abcdef')).toBe('*** *** ***')
    expect(redactor([])('unchanged')).toBe('unchanged')
  })

  it('does not change the list it was given', () => {
    const secrets = ['a', 'abc']
    redactor(secrets)('abc')
    expect(secrets).toEqual(['a', 'abc'])
  })

  it('redacts what secretsToMask found, Basic credential included', () => {
    const secrets = secretsToMask({ token: 'apitoken-1234567890', username: 'bob' })
    const credential = basicCredential('bob', 'apitoken-1234567890')
    expect(redactor(secrets)(`Authorization: Basic ${credential} (apitoken-1234567890)`)).toBe(
      'Authorization: Basic *** (***)'
    )
  })
})
