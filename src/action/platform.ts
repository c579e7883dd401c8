/** The GitHub Actions wording of every sentence the engine writes. */
import type { Platform } from '../engine/diagnosis/platform.js'
import { INPUTS, type InputSpec } from '../engine/settings/schema.js'
import type { SettingName } from '../engine/settings/rotate-schema.js'

const DEFAULT_REPOSITORY = 'jira-auth-check/jira-auth-check'

/** Where a value comes from in a workflow, for the examples. */
const EXAMPLES: Partial<Record<SettingName, string>> = {
  domain: '${{ vars.JIRA_DOMAIN }}',
  token: '${{ secrets.JIRA_PAT }}',
  username: '${{ vars.JIRA_EMAIL }}',
  'client-id': '${{ vars.JIRA_CLIENT_ID }}',
  'client-secret': '${{ secrets.JIRA_CLIENT_SECRET }}',
  'cloud-id': '${{ vars.JIRA_CLOUD_ID }}'
}

/** The troubleshooting doc of the action version that is running, as google-github-actions/auth links its own. */
export function docsUrl(env: NodeJS.ProcessEnv): string {
  const repository = env.GITHUB_ACTION_REPOSITORY || DEFAULT_REPOSITORY
  const ref = env.GITHUB_ACTION_REF || 'v1'
  return `https://github.com/${repository}/blob/${ref}/docs/troubleshooting.md`
}

export function actionPlatform(env: NodeJS.ProcessEnv): Platform {
  return {
    kind: 'action',
    setting: (name) => `\`${name}\``,
    settingTitle: (name) => `input: ${name}`,
    assignment: (name, value) => `${name}: ${value}`,
    secretSource: (name) => `the secret that feeds \`${name}\``,
    emptyValueCauses: (name) => {
      const variable = (INPUTS as readonly InputSpec[]).find((input) => input.name === name)?.env
      const example = name === 'domain' ? 'https://jira.example.com' : EXAMPLES[name]
      return (
        (variable ? `So is the ${variable} environment variable it falls back to. ` : '') +
        `Set it in the step, e.g. \`${name}: ${example}\`. If it comes from a secret, the secret was ` +
        'empty here: GitHub gives no secrets to workflows triggered from forks, Dependabot runs only see ' +
        'Dependabot secrets, and an environment secret is only in scope in a job that names that `environment:`.'
      )
    },
    unexpandedExpression: (name) =>
      `Expressions work in \`with:\` and \`env:\` values, e.g. \`${name}: ${EXAMPLES[name] ?? '${{ secrets.… }}'}\`; ` +
      'they are not expanded inside a value that was already a string (a quoted secret, a file, a script).',
    unexpandedVariable: (name, variable) =>
      'the runner does not expand `$VAR` in `with:` values. ' +
      `Use an expression instead, e.g. \`${name}: \${{ env.${variable} }}\` or \`\${{ secrets.… }}\`.`,
    networkHint:
      'GitHub-hosted runners reach only the public internet: a Jira on a private network needs a self-hosted runner inside that network.',
    debugHint:
      'Re-run with debug logging (re-run jobs › Enable debug logging) to see the stack trace.',
    caHint:
      "If the certificate comes from a private CA, give Node that CA: set `NODE_EXTRA_CA_CERTS` to the path of its PEM file in the step's `env:`, or on a self-hosted runner that trusts the CA system-wide set `NODE_USE_SYSTEM_CA: 1`.",
    proxyHint: 'in the runner environment',
    stillPasses: 'the step still passes',
    docsUrl: docsUrl(env)
  }
}
