// Loaded into each soak run with `node --import`: at exit the child writes its own peak RSS
// (getrusage maxRSS, KiB) to $SOAK_RSS_FILE. No wrapper process, so the SIGKILL guard, should it
// ever fire, hits the action itself.
import { writeFileSync } from 'node:fs'

const file = process.env.SOAK_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
