import type { Settings } from '../src/settings.js'

/** A valid 44-character Data Center PAT shape (base64 of 12 digits, ':' and 20 bytes). */
export const PAT = 'NjE0MjU2ODk3MDEyOkRkR2hzdVZ0T3FyY0lZRGNpa3pZ'

/** Settings as parseSettings returns them for a minimal Bearer input, with overrides. */
export function settingsFor(overrides: Partial<Settings> = {}): Settings {
  return {
    baseUrl: 'https://jira.example.com',
    token: PAT,
    username: '',
    authScheme: 'bearer',
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
    ...overrides
  }
}
