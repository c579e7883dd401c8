// The floor for any Node action: one GET of /rest/api/2/myself with node:https and the Bearer
// header, body printed. Same job as the README's curl line; used by scripts/bench.mjs.
import https from 'node:https'

const request = https.get(
  `${process.env.JIRA_DOMAIN}/rest/api/2/myself`,
  { headers: { Authorization: `Bearer ${process.env.JIRA_PAT}`, Accept: 'application/json' } },
  (response) => {
    response.setEncoding('utf8')
    let body = ''
    response.on('data', (chunk) => (body += chunk))
    response.on('end', () => process.stdout.write(`${body}\n`))
  }
)
request.on('error', (error) => {
  console.error(error.message)
  process.exitCode = 1
})
