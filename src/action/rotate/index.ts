import { runEntry } from '../entry.js'
import { run } from './main.js'

runEntry(run, 'jira-auth-check rotate')
