import { rmSync } from 'node:fs'

export default function globalTeardown() {
  if (process.env.JAC_BUNDLE_DIR_OWNED && process.env.JAC_BUNDLE_DIR) {
    rmSync(process.env.JAC_BUNDLE_DIR, { recursive: true, force: true })
  }
}
