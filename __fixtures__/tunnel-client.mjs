// A child-process client that reaches names the way an https_proxy client does: CONNECT name:443 to
// the proxy in HTTPS_PROXY_URL, then TLS over the tunnel with the name as SNI, checked against the CA
// in NODE_EXTRA_CA_CERTS (Node reads it at start). Nothing resolves the name. argv[2] is a JSON list
// of { host, method?, path, headers?, body? }; stdout is one JSON list of { status, headers, body }
// (or { error }). Run with `--require test-support/lookup-hook.cjs` to prove no lookup happens.
import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'

const proxy = new URL(process.env.HTTPS_PROXY_URL ?? '')
const requests = JSON.parse(process.argv[2] ?? '[]')

function tunnel(host) {
  return new Promise((resolve, reject) => {
    const connect = http.request({
      host: proxy.hostname,
      port: Number(proxy.port),
      method: 'CONNECT',
      path: `${host}:443`,
      headers: { Host: `${host}:443` }
    })
    connect.once('connect', (response, socket) => {
      if (response.statusCode === 200) resolve(socket)
      else {
        socket.destroy()
        reject(new Error(`CONNECT ${host}:443 answered ${response.statusCode}`))
      }
    })
    connect.once('error', reject)
    connect.end()
  })
}

async function send(spec) {
  const socket = await tunnel(spec.host)
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: spec.host,
        servername: spec.host,
        method: spec.method ?? 'GET',
        path: spec.path,
        headers: { Accept: 'application/json', ...spec.headers },
        // No agent: Node then calls createConnection, and the TLS session runs over the tunnel.
        // (With `agent: false` Node makes an agent of its own, which dials, and so resolves, the name.)
        createConnection: () => tls.connect({ socket, servername: spec.host }),
        agent: undefined
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode, headers: response.headers, body })
        )
      }
    )
    request.once('error', reject)
    request.end(spec.body)
  })
}

const results = []
for (const spec of requests) {
  try {
    results.push(await send(spec))
  } catch (error) {
    results.push({ error: error instanceof Error ? error.message : String(error) })
  }
}
process.stdout.write(JSON.stringify(results))
