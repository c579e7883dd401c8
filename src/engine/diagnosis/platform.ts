import type { SettingName } from '../settings/rotate-schema.js'

/**
 * The words that differ between front-ends. The engine's sentences name settings, secrets and
 * hints through this, so the action says `token-name` and "the step's `env:`" where the CLI says
 * `--token-name` and "the environment".
 */
export interface Platform {
  readonly kind: 'action' | 'cli'
  /** How a sentence names a setting: `token-name` (a `with:` key) or `--token-name`. */
  setting(name: SettingName): string
  /** A setting in a title: "input: token" or "setting: --token". */
  settingTitle(name: SettingName): string
  /** The setting as the user would write it with a value: `domain: https://…` or `--domain https://…`. */
  assignment(name: SettingName, value: string): string
  /** Where a secret such as the token comes from, for "update the secret that feeds …". */
  secretSource(name: SettingName): string
  /** Why a value that should come from a secret or variable may be empty in this run. */
  emptyValueCauses(name: SettingName): string
  /** After "… contains ${{, so a workflow expression was never expanded.": where expressions work. */
  unexpandedExpression(name: SettingName): string
  /** After "… a shell variable that was never expanded:": why, and how to pass it properly. */
  unexpandedVariable(name: SettingName, variable: string): string
  /** Why a Jira on a private network cannot be reached from here. */
  readonly networkHint: string
  /** How to see more detail. */
  readonly debugHint: string
  /** How to hand Node a private CA. */
  readonly caHint: string
  /** How to set the proxy variables. */
  readonly proxyHint: string
  /** "the step still passes" / "the check still passes (exit 0)": what a warning leaves standing. */
  readonly stillPasses: string
  /** The troubleshooting page; each code has an anchor there. */
  readonly docsUrl: string
}
