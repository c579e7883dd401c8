import type { Settings } from '../src/engine/settings/parse.js'
import { defaults, type RawSettings } from '../src/engine/settings/schema.js'

/** A valid 44-character Data Center PAT shape (base64 of 12 digits, ':' and 20 bytes). */
export const PAT = 'NjE0MjU2ODk3MDEyOkRkR2hzdVZ0T3FyY0lZRGNpa3pZ'

/** The raw settings of a minimal Bearer run: the schema defaults, a domain and the PAT. */
export function rawFor(overrides: Partial<RawSettings> = {}): RawSettings {
  return { ...defaults(), domain: 'https://jira.example.com', token: PAT, ...overrides }
}

/** Settings as parseSettings returns them for rawFor(), with overrides. */
export function settingsFor(overrides: Partial<Settings> = {}): Settings {
  return {
    baseUrl: 'https://jira.example.com',
    token: PAT,
    username: '',
    authScheme: 'bearer',
    clientId: '',
    clientSecret: '',
    cloudId: '',
    gateway: false,
    timeoutSeconds: 30,
    retries: 2,
    allowInsecureHttp: false,
    summary: true,
    expectedUsers: [],
    requiredPermissions: [],
    project: '',
    tokenName: '',
    tokenExpiresOn: undefined,
    expiryWarningDays: 14,
    expiryErrorDays: 0,
    tokenPolicy: 'warn',
    maxTokenLifetimeDays: 90,
    staleTokenDays: 90,
    tokenPolicyIgnore: [],
    ...overrides
  }
}
