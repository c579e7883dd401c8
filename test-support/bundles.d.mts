export const repoRoot: string
/** The action's or the CLI's bundle: the fresh test build (JAC_BUNDLE_DIR) or the committed dist/. */
export function bundlePath(name: 'action' | 'cli'): string
