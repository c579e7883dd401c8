/** Builders for ProbeResults and AttemptResults, shared by the unit tests. */
import type { IncomingHttpHeaders } from 'node:http'
import type { ProbeResult } from '../src/engine/jira/client.js'
import type {
  AttemptResult,
  HttpResponse,
  ProxyMisconfigured,
  TransportError,
  TransportTimeout
} from '../src/engine/jira/transport.js'

export function response(
  status: number,
  body: unknown = '',
  headers: IncomingHttpHeaders = {},
  extra: Partial<HttpResponse> = {}
): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const contentType = typeof body === 'string' ? undefined : 'application/json;charset=UTF-8'
  return {
    kind: 'response',
    status,
    headers: { ...(contentType && { 'content-type': contentType }), ...headers },
    body: text,
    truncated: false,
    elapsedMs: 5,
    ...extra
  }
}

export function transportError(
  errno: string,
  phase: TransportError['phase'] = 'connect',
  message = `${errno} happened`,
  proxyStatus?: number
): TransportError {
  return {
    kind: 'error',
    errno,
    message,
    phase,
    ...(proxyStatus !== undefined && { proxyStatus }),
    elapsedMs: 5
  }
}

export function timeout(
  phase: TransportTimeout['phase'] = 'headers',
  status?: number
): TransportTimeout {
  return { kind: 'timeout', phase, status, elapsedMs: 30000 }
}

export function proxyInvalid(
  variable = 'https_proxy',
  reason = 'it is not a valid URL'
): ProxyMisconfigured {
  return { kind: 'proxy-invalid', variable, reason, elapsedMs: 0 }
}

export function probe(
  outcome: AttemptResult,
  url = 'https://jira.example.com/rest/api/2/myself',
  attempts = 1
): ProbeResult {
  return { url, attempts, elapsedMs: 12, outcome }
}
