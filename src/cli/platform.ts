/** The CLI's wording of every sentence the engine writes: flags, environment variables, CI-neutral hints. */
import type { Platform } from '../engine/diagnosis/platform.js'
import type { SettingName } from '../engine/settings/rotate-schema.js'
import { INPUTS, type InputSpec } from '../engine/settings/schema.js'
import { VERSION } from '../engine/version.js'

/** Where a secret may come from: its environment variable, a file or standard input, never a flag. */
function sources(name: SettingName): string {
  return `\`${inputSpec(name)?.env ?? name}\`, \`--${name}-file PATH\` or \`--${name}-stdin\``
}

/** The check's declaration of a setting; the CLI has no rotate-only settings. */
function inputSpec(name: SettingName): InputSpec | undefined {
  return (INPUTS as readonly InputSpec[]).find((input) => input.name === name)
}

function isSecret(name: SettingName): boolean {
  return inputSpec(name)?.secret === true
}

export function cliPlatform(): Platform {
  return {
    kind: 'cli',
    // A secret has no flag: it is named by its environment variable (the other sources are in emptyValueCauses).
    setting: (name) => `\`${isSecret(name) ? (inputSpec(name)?.env ?? name) : `--${name}`}\``,
    settingTitle: (name) => (isSecret(name) ? `setting: ${name}` : `setting: --${name}`),
    assignment: (name, value) =>
      isSecret(name) ? `${inputSpec(name)?.env ?? name}=${value}` : `--${name} ${value}`,
    secretSource: (name) =>
      `the secret behind ${inputSpec(name)?.env ?? name} (or the file given to --${name}-file)`,
    emptyValueCauses: (name) => {
      if (isSecret(name)) {
        return (
          `Give it through ${sources(name)}, never as a flag: process lists and CI logs show arguments. ` +
          "In CI, export it from the system's secret store: GitLab CI, Jenkins and Bitbucket Pipelines give " +
          'protected or secured variables only to jobs on protected branches, so an empty value usually means this job is not one.'
        )
      }
      const env = inputSpec(name)?.env
      return (
        `Give it as \`--${name}\`${env ? ` or export ${env}` : ''}, e.g. \`--${name} https://jira.example.com\`.` +
        (env ? ` In CI, check that ${env} is defined for this job and branch.` : '')
      )
    },
    unexpandedExpression: (name) =>
      `\`\${{ … }}\` is GitHub Actions syntax, which nothing expands outside a workflow: give ${isSecret(name) ? `the ${name} itself` : `\`--${name}\` the value itself`}.`,
    unexpandedVariable: (name, variable) =>
      isSecret(name)
        ? `the variable was passed on as text. Export ${inputSpec(name)?.env ?? variable} with the ${name} itself as its value.`
        : `the shell passed it on as it is (single quotes keep "$" literal). Use double quotes, e.g. \`--${name} "$${variable}"\`${inputSpec(name)?.env ? `, or export ${inputSpec(name)?.env}` : ''}.`,
    networkHint:
      'A Jira on a private network is reachable only from machines inside it: run the check on a machine (a build agent) inside that network.',
    debugHint: 'Re-run with --verbose to see every request and the stack trace.',
    caHint:
      'If the certificate comes from a private CA, give Node that CA before running jira-auth-check: export NODE_EXTRA_CA_CERTS=/path/to/ca.pem (or, on Node 24 with the CA in the system store, NODE_USE_SYSTEM_CA=1).',
    proxyHint: 'in the environment',
    stillPasses: 'the check still passes (exit 0, or 4 with --fail-on-warning)',
    docsUrl: `https://github.com/jira-auth-check/jira-auth-check/blob/v${VERSION}/docs/troubleshooting.md`
  }
}
