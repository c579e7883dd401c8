/** Kept equal to package.json's version by __tests__/version.test.ts. */
export const VERSION = '1.0.0'
export const USER_AGENT = `jira-auth-check/${VERSION} (+https://github.com/jira-auth-check/jira-auth-check)`
