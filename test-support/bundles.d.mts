export const repoRoot: string
/** The check action's, the CLI's or the rotate action's bundle: the fresh test build (JAC_BUNDLE_DIR) or the committed dist/. */
export function bundlePath(name: 'action' | 'cli' | 'rotate'): string
