/** Kept equal to package.json's version by __tests__/engine/version.test.ts. */
export const VERSION = '1.0.0'

const HOME = 'https://github.com/jira-auth-check/jira-auth-check'

/** The User-Agent, naming the front-end so that Jira's access logs tell the action from the CLI. */
export function userAgent(frontEnd: 'action' | 'cli' | 'rotate'): string {
  return `jira-auth-check/${VERSION} (${frontEnd}; +${HOME})`
}
