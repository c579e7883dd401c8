import './sourcemap-register.cjs';import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(473);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(884);


try {
    await (0,_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e)();
}
catch (error) {
    // run() reports every failure itself; this is for the one that happens while reporting.
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(`jira-auth-check failed while reporting: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
}
// End now, whatever is still open: a DNS lookup that never returns keeps Node's event loop alive,
// and the verdict is already written. Flush stdout and stderr first.
let pending = 2;
const done = () => {
    if (--pending === 0)
        process.exit();
};
process.stdout.write('', done);
process.stderr.write('', done);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 884:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 21 modules
var core = __nccwpck_require__(473);
;// CONCATENATED MODULE: ./src/findings.ts
/**
 * Every way the check can end, as data. The catalogue in diagnosis.ts turns a Failure into words;
 * nothing else writes a sentence a user reads when things go wrong.
 */
const ERROR_CODES = (/* unused pure expression or super */ null && ([
    'missing-input',
    'invalid-input',
    'unauthorized',
    'captcha-required',
    'basic-auth-disabled',
    'forbidden',
    'login-redirect',
    'not-found',
    'rate-limited',
    'server-error',
    'timeout',
    'dns-error',
    'connection-error',
    'tls-error',
    'proxy-error',
    'unexpected-response',
    'identity-mismatch',
    'missing-permissions',
    'project-not-found',
    'token-not-found',
    'token-expiring',
    'internal-error'
]));
/** A DC PAT is base64(12 ASCII digits + ':' + 20 random bytes): always 44 characters, no padding. */
const DC_PAT = /^(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){4}O[g-v][A-Za-z0-9+/]{26}$/;
/** Atlassian Cloud personal API tokens start with ATATT (gitleaks#1402; Bamboo's "prefix ATAT"). */
function tokenShape(token) {
    if (DC_PAT.test(token))
        return 'data-center-pat';
    if (token.startsWith('ATATT'))
        return 'cloud-api-token';
    return 'other';
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: external "node:tls"
const external_node_tls_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: ./src/jira/proxy.ts
/**
 * Which proxy a request goes through, by the runner's rules: `https_proxy`/`HTTPS_PROXY` for https
 * targets (`http_proxy`/`HTTP_PROXY` for http), `no_proxy`/`NO_PROXY` entries that match the host,
 * the host with its port, or a parent domain, `*` for everything, and loopback never proxied. These
 * are @actions/http-client's rules (lib/proxy.js), written out here so that a proxy variable that
 * cannot be parsed is reported instead of silently ignored: http-client swallows the URIError from
 * a raw "%" in the password and connects directly.
 */
function firstSet(env, names) {
    for (const name of names) {
        const value = env[name];
        if (value)
            return { name, value };
    }
    return undefined;
}
function isLoopback(hostname) {
    const host = hostname.toLowerCase();
    return (host === 'localhost' ||
        host.startsWith('127.') ||
        host.startsWith('[::1]') ||
        host.startsWith('[0:0:0:0:0:0:0:1]'));
}
function bypassesProxy(target, env) {
    if (!target.hostname)
        return false;
    if (isLoopback(target.hostname))
        return true;
    const noProxy = env.no_proxy || env.NO_PROXY || '';
    if (!noProxy)
        return false;
    const port = target.port ? Number(target.port) : target.protocol === 'http:' ? 80 : 443;
    const host = target.hostname.toUpperCase();
    const candidates = [host, `${host}:${port}`];
    return noProxy
        .split(',')
        .map((entry) => entry.trim().toUpperCase())
        .filter((entry) => entry !== '')
        .some((entry) => entry === '*' ||
        candidates.some((candidate) => candidate === entry ||
            candidate.endsWith(`.${entry}`) ||
            (entry.startsWith('.') && candidate.endsWith(entry))));
}
/** The route to `target`, or why the proxy variable that applies to it cannot be used. */
function proxyFor(target, env) {
    if (bypassesProxy(target, env))
        return { kind: 'direct' };
    const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const found = firstSet(env, names);
    if (!found)
        return { kind: 'direct' };
    const text = found.value.trim();
    // curl and http-client read a value without a scheme as http://host:port.
    const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        return { kind: 'invalid', variable: found.name, reason: 'it is not a valid URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return {
            kind: 'invalid',
            variable: found.name,
            reason: `it uses ${url.protocol.replace(':', '')}://; only http:// and https:// proxies are supported`
        };
    }
    if (!url.hostname) {
        return { kind: 'invalid', variable: found.name, reason: 'it names no proxy host' };
    }
    let username;
    let password;
    try {
        username = decodeURIComponent(url.username);
        password = decodeURIComponent(url.password);
    }
    catch {
        return {
            kind: 'invalid',
            variable: found.name,
            reason: 'its user name or password holds a "%" that is not followed by two hex digits; write a literal % as %25'
        };
    }
    return { kind: 'proxy', origin: `${url.protocol}//${url.host}`, url, username, password };
}
/** Every proxy password in the environment, as written and decoded, for masking. */
function proxySecrets(env) {
    const secrets = new Set();
    for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
        const value = env[name]?.trim();
        if (!value)
            continue;
        const password = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#@:]*:([^/?#@]*)@/.exec(value)?.[1];
        if (!password)
            continue;
        secrets.add(password);
        try {
            secrets.add(decodeURIComponent(password));
        }
        catch {
            // A raw "%": the value as written is all there is to mask.
        }
    }
    return [...secrets];
}

;// CONCATENATED MODULE: ./src/jira/transport.ts





/** Jira's answers we act on are small; anything bigger is a proxy page or a fault. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * One GET, by hand on node:http(s) rather than through @actions/http-client: that client re-sends
 * credentials to another host when it follows a redirect, and its socket timeout stops at the
 * headers, so a stalled body hangs it. Here nothing is followed, the deadline covers every phase
 * (lookup, connect, proxy, TLS, headers, every body byte), and the body is cut at MAX_BODY_BYTES.
 * Certificates are always verified: `rejectUnauthorized` is set on every connection, so
 * NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot send the token to an untrusted server.
 */
function createSend(options) {
    return (url, headers, deadlineAt) => sendOnce(url, headers, deadlineAt, proxyFor(url, options.proxyEnv));
}
function sendOnce(url, headers, deadlineAt, route) {
    const startedAt = Date.now();
    const elapsed = () => Date.now() - startedAt;
    if (route.kind === 'invalid') {
        return Promise.resolve({
            kind: 'proxy-invalid',
            variable: route.variable,
            reason: route.reason,
            elapsedMs: 0
        });
    }
    return new Promise((resolve) => {
        let settled = false;
        let request;
        let tunnel;
        let response;
        let phase = route.kind === 'proxy' ? 'proxy' : (0,external_node_net_namespaceObject.isIP)(bare(url.hostname)) ? 'connect' : 'lookup';
        const finish = (result) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            request?.destroy();
            tunnel?.destroy();
            response?.destroy();
            resolve(result);
        };
        const timer = setTimeout(() => finish({ kind: 'timeout', phase, status: response?.statusCode, elapsedMs: elapsed() }), Math.max(0, deadlineAt - Date.now()));
        const fail = (where, proxyStatus) => (error) => finish({
            kind: 'error',
            errno: error.code ?? 'UNKNOWN',
            message: error.message,
            phase: where === 'connect' && response ? 'body' : where,
            ...(proxyStatus !== undefined && { proxyStatus }),
            elapsedMs: elapsed()
        });
        /** Follows a direct connection through lookup, connect and TLS, for the timeout's phase. */
        const trackPhases = (socket, secure) => {
            socket.once('lookup', () => (phase = 'connect'));
            socket.once('connect', () => (phase = secure ? 'tls' : 'headers'));
            if (secure)
                socket.once('secureConnect', () => (phase = 'headers'));
        };
        const onResponse = (res) => {
            response = res;
            phase = 'body';
            readBody(res, (body, truncated) => finish({
                kind: 'response',
                status: res.statusCode ?? 0,
                headers: res.headers,
                body,
                truncated,
                elapsedMs: elapsed()
            }));
            res.on('error', fail('body'));
            res.on('close', () => {
                if (!res.complete)
                    fail('body')(Object.assign(new Error('connection closed mid-body'), { code: 'ECONNRESET' }));
            });
        };
        const secure = url.protocol === 'https:';
        if (route.kind === 'direct') {
            request = (secure ? external_node_https_namespaceObject : external_node_http_namespaceObject).request(url, { method: 'GET', agent: false, ...(secure && { rejectUnauthorized: true }) }, onResponse);
            request.on('socket', (socket) => trackPhases(socket, secure));
            request.on('error', fail('connect'));
            sendWithHeaders(request, headers);
            return;
        }
        const proxy = route.url;
        const proxyAuthorization = route.username || route.password
            ? `Basic ${Buffer.from(`${route.username}:${route.password}`).toString('base64')}`
            : undefined;
        if (!secure) {
            // A plain-http target goes through the proxy as an absolute-form request.
            request = external_node_http_namespaceObject.request({
                host: bare(proxy.hostname),
                port: proxy.port || 80,
                path: url.href,
                method: 'GET',
                agent: false
            }, onResponse);
            request.on('socket', (socket) => socket.once('connect', () => (phase = 'headers')));
            request.on('error', fail('proxy'));
            sendWithHeaders(request, {
                ...headers,
                ...(proxyAuthorization && { 'proxy-authorization': proxyAuthorization })
            });
            return;
        }
        const target = `${url.hostname}:${url.port || 443}`;
        const proxySecure = proxy.protocol === 'https:';
        const connect = (proxySecure ? external_node_https_namespaceObject : external_node_http_namespaceObject).request({
            host: bare(proxy.hostname),
            port: proxy.port || (proxySecure ? 443 : 80),
            method: 'CONNECT',
            path: target,
            agent: false,
            ...(proxySecure && { rejectUnauthorized: true })
        });
        request = connect;
        connect.on('error', fail('proxy'));
        connect.on('connect', (answer, socket) => {
            tunnel = socket;
            if (answer.statusCode !== 200) {
                fail('proxy', answer.statusCode)(Object.assign(new Error(`the proxy answered CONNECT with HTTP ${answer.statusCode}`), {
                    code: 'EPROXYREFUSED'
                }));
                return;
            }
            phase = 'tls';
            const hostname = bare(url.hostname);
            request = external_node_https_namespaceObject.request(url, {
                method: 'GET',
                // Node ignores createConnection whenever an agent is in play, and `agent: false` makes one:
                // without this the request would bypass the tunnel and connect to Jira directly.
                agent: undefined,
                createConnection: () => {
                    const secured = external_node_tls_namespaceObject.connect({
                        socket,
                        servername: (0,external_node_net_namespaceObject.isIP)(hostname) ? undefined : hostname,
                        host: hostname,
                        rejectUnauthorized: true
                    });
                    secured.once('secureConnect', () => (phase = 'headers'));
                    return secured;
                }
            }, onResponse);
            request.on('error', fail('connect'));
            sendWithHeaders(request, headers);
        });
        sendWithHeaders(connect, {
            host: target,
            ...(proxyAuthorization && { 'proxy-authorization': proxyAuthorization })
        });
    });
}
/** An IPv6 literal without the brackets that URLs put around it. */
function bare(hostname) {
    return hostname.replace(/^\[|\]$/g, '');
}
/** Collects the body, cutting it at MAX_BODY_BYTES. */
function readBody(res, done) {
    const chunks = [];
    let size = 0;
    res.on('data', (chunk) => {
        const room = MAX_BODY_BYTES - size;
        if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            done(Buffer.concat(chunks).toString('utf8'), true);
            return;
        }
        chunks.push(chunk);
        size += chunk.length;
    });
    res.on('end', () => done(Buffer.concat(chunks).toString('utf8'), false));
}
/**
 * Headers are set on the request, never passed in its options: with NODE_DEBUG=http Node prints the
 * whole options object (headers included) when it opens the connection, which would print the token.
 */
function sendWithHeaders(request, headers) {
    for (const [name, value] of Object.entries(headers))
        request.setHeader(name, value);
    request.end();
}

;// CONCATENATED MODULE: ./src/jira/client.ts

/** Transient network failures that a second attempt may get past. ENOTFOUND is not one. */
const RETRYABLE_ERRNO = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EAI_AGAIN',
    'EPIPE',
    'ETIMEDOUT',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ECONNABORTED'
]);
/** 401, 403 and 404 are never retried: a bad credential stays bad, and Basic failures count toward CAPTCHA. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8000;
/**
 * How long to wait before the next attempt, or undefined to stop. Exponential backoff with full
 * jitter, Retry-After honoured, and never a wait that would run past the deadline.
 */
function retryDelay(outcome, attempt, remainingMs, random = Math.random, now = Date.now()) {
    const retryable = (outcome.kind === 'response' && RETRYABLE_STATUS.has(outcome.status)) ||
        (outcome.kind === 'error' && outcome.phase !== 'proxy' && RETRYABLE_ERRNO.has(outcome.errno));
    if (!retryable)
        return undefined;
    const backoff = Math.max(50, random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
    const asked = outcome.kind === 'response' ? retryAfterSeconds(outcome.headers['retry-after'], now) : undefined;
    const delay = asked && asked > 0 ? asked * 1000 : backoff;
    // Leave the next attempt some time of its own; a wait that eats the deadline only delays the failure.
    return delay + 250 <= remainingMs ? delay : undefined;
}
/** Retry-After is either delta-seconds or an HTTP-date. */
function retryAfterSeconds(value, now = Date.now()) {
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (!text)
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text);
    // An HTTP-date starts with the day name ("Wed, 21 Oct 2026 07:28:00 GMT"); anything else, such
    // as "-3", is not a Retry-After that Date.parse should be allowed to guess at.
    if (!/^[A-Za-z]{3}, /.test(text))
        return undefined;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
const TIMEOUT_PHASE_NAMES = {
    lookup: 'the DNS lookup',
    connect: 'the TCP connect',
    proxy: 'the proxy tunnel',
    tls: 'the TLS handshake',
    headers: 'the wait for headers',
    body: 'the body'
};
function describeOutcome(outcome) {
    switch (outcome.kind) {
        case 'response':
            return `${outcome.status}`;
        case 'error':
            return outcome.errno;
        case 'timeout':
            return outcome.phase === 'body'
                ? `${outcome.status ?? ''} body stalled, deadline reached`.trim()
                : `deadline reached during ${TIMEOUT_PHASE_NAMES[outcome.phase]}`;
        case 'proxy-invalid':
            return `${outcome.variable} unusable`;
    }
}
/** A GET bound to one Jira base URL, with the deadline, retry policy and one log line per request. */
function createClient(options) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const random = options.random ?? Math.random;
    const send = options.send ?? createSend({ proxyEnv: options.proxyEnv ?? {} });
    return async (path, getOptions = {}) => {
        const url = new URL(`${options.baseUrl}${path}`);
        const headers = {
            // Without it Jira may answer in XML (REST Status entity) or HTML (429, basic-auth-disabled).
            Accept: 'application/json',
            'User-Agent': options.userAgent
        };
        if (options.authorization && !getOptions.anonymous)
            headers.Authorization = options.authorization;
        const startedAt = now();
        const maxAttempts = options.retries + 1;
        for (let attempt = 1;; attempt++) {
            const attemptStart = now();
            const outcome = await send(url, headers, options.deadlineAt);
            options.log(`GET ${url.href} → ${describeOutcome(outcome)} (${now() - attemptStart} ms)`);
            const delay = attempt < maxAttempts
                ? retryDelay(outcome, attempt, options.deadlineAt - now(), random, now())
                : undefined;
            if (delay === undefined) {
                return { url: url.href, attempts: attempt, elapsedMs: now() - startedAt, outcome };
            }
            options.log(`  retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${maxAttempts})`);
            await sleep(delay);
        }
    };
}

;// CONCATENATED MODULE: ./src/json.ts
/**
 * JSON from Jira, read defensively. A UTF-8 byte-order mark before the JSON (seen from Jira behind
 * some Windows proxies) is dropped; a value nested thousands of levels deep parses, but it would
 * overflow the stack of JSON.stringify or any recursive walk, so writing it back is depth-limited.
 */
/** The parsed value, or undefined when the text is not JSON. */
function readJson(body) {
    try {
        return JSON.parse(body.replace(/^\ufeff/, ''));
    }
    catch {
        return undefined;
    }
}
/** Deeper than this, a value is written as "…": no Jira answer the action reads nests this deep. */
const MAX_DEPTH = 32;
/** Compact JSON of a parsed value, with anything nested deeper than MAX_DEPTH cut to "…". */
function compactJson(value) {
    return JSON.stringify(limitDepth(value, 0));
}
function limitDepth(value, depth) {
    if (typeof value !== 'object' || value === null)
        return value;
    if (depth >= MAX_DEPTH)
        return '…';
    if (Array.isArray(value))
        return value.map((item) => limitDepth(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, limitDepth(item, depth + 1)]));
}

;// CONCATENATED MODULE: ./src/untrusted.ts
/**
 * Everything Jira, a proxy or the network sends is untrusted: a display name, a server version, a
 * token name, a header, a body excerpt. Anyone on Jira Cloud can set their own display name, so a
 * value such as "Mia\n::add-mask::Jira" would, printed raw, become a runner command (the runner
 * treats any line that starts with "::", after leading spaces, as one). These two functions are the
 * only way such values reach a log line.
 */
/**
 * C0 and C1 controls (CR and LF among them), DEL, the Unicode line and paragraph separators, the
 * bidirectional overrides and isolates (which reorder what a reader sees), and a stray BOM.
 */
const UNSAFE = 
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** The longest untrusted value worth showing; Jira's own fields (display names, token names) are far shorter. */
const MAX_UNTRUSTED_LENGTH = 300;
/**
 * One untrusted value, ready to sit inside a sentence: every unsafe character becomes U+FFFD (so
 * tampering stays visible), tabs become spaces, and the result is at most `max` characters long.
 */
function untrusted(value, max = MAX_UNTRUSTED_LENGTH) {
    const text = String(value ?? '')
        .replace(/\t/g, ' ')
        .replace(UNSAFE, '\ufffd');
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
/**
 * A block of log text, made safe line by line for the runner: no control characters, and no line
 * that the runner would read as a workflow command. The action's own multi-line messages keep
 * their line breaks; anything that slipped through untrusted() cannot start a command.
 */
function safeLines(text) {
    return text
        .split(/\r?\n/)
        .map((line) => {
        const clean = line.replace(/\t/g, ' ').replace(UNSAFE, '\ufffd');
        // The runner trims leading whitespace before it looks for "::".
        return /^\s*::/.test(clean) ? clean.replace('::', ': :') : clean;
    })
        .join('\n');
}

;// CONCATENATED MODULE: ./src/classify.ts




const TLS_ERRNO = new Set([
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_UNTRUSTED',
    'CERT_REVOKED',
    'CERT_SIGNATURE_FAILURE',
    'EPROTO'
]);
const DNS_ERRNO = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
function header(headers, name) {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
}
/** A header as evidence: untrusted, so neutralised before any sentence can carry it. */
function headerEvidence(headers, name) {
    const value = header(headers, name);
    return value === undefined ? undefined : untrusted(value);
}
const BODY_LIMIT_TEXT = `${MAX_BODY_BYTES / 1024 / 1024} MiB`;
/** A short, single-line excerpt of a body: the HTML title and Jira's reason line, or the text. */
function excerpt(body, max = 200) {
    if (!body.trim())
        return undefined;
    if (/^\s*[[{]/.test(body)) {
        // JSON: Jira's own error text if it has some, else the text itself.
        const message = jiraMessageOf(readJson(body));
        if (message)
            return untrusted(message.replace(/\s+/g, ' ').trim(), max);
    }
    let text = body;
    if (/<html|<!doctype/i.test(body)) {
        const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
        const reason = /Basic Authentication Failure - Reason : \w+/.exec(body)?.[0];
        text = [title, reason].filter(Boolean).join(' — ') || body.replace(/<[^>]*>/g, ' ');
    }
    return untrusted(text.replace(/\s+/g, ' ').trim(), max);
}
function evidenceOf(probe) {
    const { outcome } = probe;
    const evidence = {
        url: probe.url,
        attempts: probe.attempts,
        elapsedMs: probe.elapsedMs
    };
    if (outcome.kind === 'error') {
        evidence.errno = outcome.errno;
        evidence.transportMessage = transportMessage(outcome.message);
        if (outcome.proxyStatus !== undefined)
            evidence.proxyStatus = outcome.proxyStatus;
    }
    else if (outcome.kind === 'timeout') {
        evidence.status = outcome.status;
        evidence.timeoutPhase = outcome.phase;
    }
    else if (outcome.kind === 'proxy-invalid') {
        evidence.proxyVariable = outcome.variable;
        evidence.detail = outcome.reason;
    }
    else {
        const h = outcome.headers;
        evidence.status = outcome.status;
        evidence.seraphLoginReason = headerEvidence(h, 'x-seraph-loginreason');
        evidence.deniedReason = headerEvidence(h, 'x-authentication-denied-reason');
        evidence.ausername = headerEvidence(h, 'x-ausername');
        evidence.location = headerEvidence(h, 'location');
        evidence.proxyAuthenticate = headerEvidence(h, 'proxy-authenticate');
        evidence.retryAfterSeconds = retryAfterSeconds(h['retry-after']);
        evidence.contentType = headerEvidence(h, 'content-type');
        evidence.bodyExcerpt = outcome.truncated
            ? `the body was larger than ${BODY_LIMIT_TEXT} and was cut`
            : excerpt(outcome.body);
    }
    return evidence;
}
/** Node's message without OpenSSL's internals: "write EPROTO 80AC…:error:0A00010B:SSL routines:…:wrong version number:…". */
function transportMessage(message) {
    const openssl = /SSL routines:[^:]*:([^:]+):/.exec(message);
    // A certificate's names, a proxy's status line: parts of these messages come from the network.
    return untrusted((openssl ? openssl[1] : message).replace(/\s+/g, ' ').trim(), 160);
}
function isHtml(response) {
    const type = header(response.headers, 'content-type') ?? '';
    return /text\/html/i.test(type) || /^\s*<(!doctype|html)/i.test(response.body);
}
/** Any outcome that is not the answer we wanted, as a failure with its evidence. */
function classifyFailure(probe) {
    const evidence = evidenceOf(probe);
    return { code: failureCode(probe), evidence };
}
function failureCode(probe) {
    const { outcome } = probe;
    if (outcome.kind === 'timeout')
        return 'timeout';
    if (outcome.kind === 'proxy-invalid')
        return 'proxy-error';
    if (outcome.kind === 'error') {
        if (outcome.phase === 'proxy')
            return 'proxy-error';
        if (DNS_ERRNO.has(outcome.errno))
            return 'dns-error';
        if (TLS_ERRNO.has(outcome.errno) ||
            outcome.errno.startsWith('ERR_SSL') ||
            outcome.errno.startsWith('ERR_TLS')) {
            return 'tls-error';
        }
        return 'connection-error';
    }
    const { status } = outcome;
    if (status >= 300 && status < 400)
        return 'login-redirect';
    if (status === 401)
        return 'unauthorized';
    if (status === 403) {
        if (/CAPTCHA_CHALLENGE/i.test(header(outcome.headers, 'x-authentication-denied-reason') ?? '')) {
            return 'captcha-required';
        }
        if (/Basic Authentication has been disabled/i.test(outcome.body))
            return 'basic-auth-disabled';
        return 'forbidden';
    }
    if (status === 404)
        return 'not-found';
    // Jira never answers 407: a transparent proxy between the runner and Jira wants credentials.
    if (status === 407)
        return 'proxy-error';
    if (status === 429)
        return 'rate-limited';
    if (status >= 500)
        return 'server-error';
    if (status === 200 && isHtml(outcome))
        return 'login-redirect';
    return 'unexpected-response';
}
function parseJson(probe) {
    const { outcome } = probe;
    if (outcome.kind !== 'response' || outcome.status !== 200 || isHtml(outcome)) {
        return { ok: false, failure: classifyFailure(probe) };
    }
    const unexpected = (detail) => ({
        ok: false,
        failure: { code: 'unexpected-response', evidence: { ...evidenceOf(probe), detail } }
    });
    if (outcome.truncated)
        return unexpected(`the body was larger than ${BODY_LIMIT_TEXT}`);
    if (!outcome.body.replace(/^\ufeff/, '').trim())
        return unexpected('the body was empty');
    const value = readJson(outcome.body);
    return value === undefined ? unexpected('the body was not valid JSON') : { ok: true, value };
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A text field as Jira might send it: a string, or a number or boolean to stringify; anything else is dropped. */
function classify_text(value) {
    if (typeof value === 'string')
        return value;
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
        return String(value);
    return undefined;
}
function flag(value) {
    if (typeof value === 'boolean')
        return value;
    if (value === 'true' || value === 'false')
        return value === 'true';
    return undefined;
}
const USER_TEXT_FIELDS = [
    'self',
    'key',
    'name',
    'accountId',
    'accountType',
    'appType',
    'emailAddress',
    'displayName',
    'timeZone',
    'locale'
];
/** /myself answered with a user, or why not. */
function parseMyself(probe) {
    const parsed = parseJson(probe);
    if (!parsed.ok)
        return parsed;
    const raw = parsed.value;
    const odd = (detail) => ({
        ok: false,
        failure: { code: 'unexpected-response', evidence: { ...evidenceOf(probe), detail } }
    });
    if (!isObject(raw))
        return odd(`the JSON was ${describeJson(raw)}, not a Jira user`);
    const user = {};
    const dropped = [];
    for (const field of USER_TEXT_FIELDS) {
        const value = classify_text(raw[field]);
        if (value !== undefined)
            user[field] = value;
        else if (raw[field] !== undefined && raw[field] !== null)
            dropped.push(field);
    }
    if (raw.emailAddress === null)
        user.emailAddress = null;
    const active = flag(raw.active);
    if (active !== undefined)
        user.active = active;
    if (!(user.name || user.accountId || user.displayName || user.key)) {
        return odd('the JSON has no name, key, accountId or displayName' +
            (dropped.length > 0
                ? ` (${dropped.map((f) => `"${f}" is ${describeJson(raw[f])}`).join(', ')})`
                : ''));
    }
    return { ok: true, value: { user, json: compactJson(raw) } };
}
/** The kind of a JSON value, for a sentence: "an object", "a number", ... */
function describeJson(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
function parseServerInfo(probe) {
    if (!probe)
        return undefined;
    const parsed = parseJson(probe);
    if (!parsed.ok || !isObject(parsed.value))
        return undefined;
    const raw = parsed.value;
    const info = {};
    for (const field of ['baseUrl', 'version', 'deploymentType', 'serverTitle']) {
        const value = classify_text(raw[field]);
        if (value !== undefined)
            info[field] = value;
    }
    if (typeof raw.buildNumber === 'number')
        info.buildNumber = raw.buildNumber;
    if (Array.isArray(raw.versionNumbers) && raw.versionNumbers.every((n) => typeof n === 'number'))
        info.versionNumbers = raw.versionNumbers;
    return info;
}
function parsePatList(probe) {
    const { outcome } = probe;
    if (outcome.kind === 'response' && outcome.status === 404) {
        return {
            kind: 'unavailable',
            expected: true,
            reason: 'this Jira has no personal access token API (Jira Cloud, or Data Center/Server older than 8.14)'
        };
    }
    if (outcome.kind === 'response' && (outcome.status === 401 || outcome.status === 403)) {
        return {
            kind: 'unavailable',
            reason: `Jira refused to list the tokens (HTTP ${outcome.status})`
        };
    }
    // /myself worked with the same credentials, so a login page here is not a login problem: Data
    // Center answers REST paths that no plugin serves with a 302 to login.jsp.
    if (outcome.kind === 'response' && outcome.status >= 300 && outcome.status < 400) {
        return {
            kind: 'unavailable',
            reason: `Jira answered the token list with a redirect (HTTP ${outcome.status}), so no plugin serves it there`
        };
    }
    if (outcome.kind === 'response' && outcome.status === 200 && isHtml(outcome)) {
        return { kind: 'unavailable', reason: 'Jira answered the token list with an HTML page' };
    }
    const parsed = parseJson(probe);
    if (!parsed.ok)
        return { kind: 'failed', failure: parsed.failure };
    if (!Array.isArray(parsed.value)) {
        return { kind: 'unavailable', reason: 'the token list was not the JSON array Jira sends' };
    }
    const tokens = parsed.value.flatMap((entry) => {
        if (!isObject(entry))
            return [];
        const name = classify_text(entry.name);
        if (name === undefined)
            return [];
        const id = typeof entry.id === 'number' ? entry.id : Number(classify_text(entry.id) ?? NaN);
        const token = { id: Number.isFinite(id) ? id : undefined, name };
        for (const field of ['createdAt', 'lastAccessedAt', 'expiringAt']) {
            if (typeof entry[field] === 'string')
                token[field] = entry[field];
        }
        return [token];
    });
    return { kind: 'tokens', tokens };
}
/**
 * Reads mypermissions. Data Center returns every key whatever was asked; Cloud returns the asked
 * ones. A requested key absent from the answer is reported as unknown, never as a silent pass.
 */
function parsePermissions(probe, requested, project) {
    const { outcome } = probe;
    if (outcome.kind === 'response' && outcome.status === 404 && project) {
        return {
            ok: false,
            failure: { code: 'project-not-found', evidence: { ...evidenceOf(probe), project } }
        };
    }
    if (outcome.kind === 'response' && outcome.status === 400) {
        return {
            ok: false,
            failure: {
                code: 'invalid-input',
                evidence: {
                    ...evidenceOf(probe),
                    input: 'required-permissions',
                    detail: `Jira rejected the permission check: ${jiraMessage(outcome.body) ?? 'HTTP 400'}`
                }
            }
        };
    }
    const parsed = parseJson(probe);
    if (!parsed.ok)
        return parsed;
    const answer = parsed.value;
    if (!isObject(answer) || !isObject(answer.permissions)) {
        return {
            ok: false,
            failure: {
                code: 'unexpected-response',
                evidence: { ...evidenceOf(probe), detail: 'no "permissions" object' }
            }
        };
    }
    const permissions = answer.permissions;
    return {
        ok: true,
        value: requested.map((key) => {
            const entry = permissions[key];
            const held = isObject(entry) ? flag(entry.havePermission) : undefined;
            return { key, granted: held === true, unknown: !isObject(entry) };
        })
    };
}
/** Jira's own error text: ErrorCollection `errorMessages`, the REST Status `message`, or an OAuth `error_description`. */
function jiraMessageOf(parsed) {
    if (!isObject(parsed))
        return undefined;
    if (Array.isArray(parsed.errorMessages) && parsed.errorMessages.length > 0) {
        return parsed.errorMessages.map((message) => classify_text(message) ?? '').join(' ');
    }
    return classify_text(parsed.message) ?? classify_text(parsed.error_description) ?? classify_text(parsed.error);
}
function jiraMessage(body) {
    const parsed = readJson(body);
    if (parsed === undefined)
        return excerpt(body);
    const message = jiraMessageOf(parsed);
    return message === undefined ? undefined : untrusted(message.replace(/\s+/g, ' ').trim(), 200);
}

;// CONCATENATED MODULE: ./src/expiry.ts
const DAY_MS = 24 * 60 * 60 * 1000;
/** Jira stores a non-expiring PAT as 9999-12-31T00:00:00.000+00:00 (TokenDTO.NON_EXPIRING_DATE). */
function isNonExpiring(date) {
    return date.getUTCFullYear() >= 9999;
}
/** Whole days left, rounded down; negative once expired. */
function daysLeft(expiresAt, now) {
    return Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS);
}
/**
 * Finds the token in use in the PAT list. The PAT string does not encode the list's `id`, so the
 * name is the only exact key. Without one, a lone token is unambiguous; otherwise the most recently
 * used is a guess, because Jira writes `lastAccessedAt` in one-minute batches.
 */
function pickToken(tokens, tokenName) {
    if (tokenName) {
        // Jira does not make names unique. Of several namesakes, report the one that expires first:
        // the expiry that matters is the earliest one the pipeline might be using.
        const named = tokens.filter((candidate) => candidate.name === tokenName);
        return named.length > 0
            ? {
                kind: 'picked',
                token: expiringFirst(named),
                matchedBy: 'name',
                namesakes: named.length
            }
            : { kind: 'not-found', names: tokens.map((t) => t.name) };
    }
    if (tokens.length === 0)
        return { kind: 'none' };
    if (tokens.length === 1)
        return { kind: 'picked', token: tokens[0], matchedBy: 'only-token', namesakes: 1 };
    const guess = mostRecentlyUsed(tokens);
    return {
        kind: 'picked',
        token: guess,
        matchedBy: 'guess',
        namesakes: tokens.filter((t) => t.name === guess.name).length
    };
}
function mostRecentlyUsed(tokens) {
    const lastUse = (token) => Date.parse(token.lastAccessedAt ?? '') || 0;
    return [...tokens].sort((a, b) => lastUse(b) - lastUse(a))[0];
}
function expiringFirst(tokens) {
    // A date Jira did not give (or garbled) sorts last: it is no earlier expiry.
    const expiry = (token) => Date.parse(token.expiringAt ?? '') || Infinity;
    return [...tokens].sort((a, b) => expiry(a) - expiry(b))[0];
}
function expiryOfDate(expiresAt, now, extra) {
    if (!expiresAt || Number.isNaN(expiresAt.getTime())) {
        return { ...extra, unknownBecause: 'Jira did not give an expiry date for it' };
    }
    if (isNonExpiring(expiresAt))
        return { ...extra, nonExpiring: true };
    return { ...extra, expiresAt: expiresAt.toISOString(), daysLeft: daysLeft(expiresAt, now) };
}
function expiryOfToken(token, matchedBy, now) {
    const expiresAt = token.expiringAt ? new Date(token.expiringAt) : undefined;
    return expiryOfDate(expiresAt, now, { name: token.name, matchedBy });
}
/** A threshold of 0 turns that level off. */
function expiryLevel(expiry, warningDays, errorDays) {
    const left = expiry?.daysLeft;
    if (left === undefined)
        return 'ok';
    if (errorDays > 0 && left <= errorDays)
        return 'error';
    if (warningDays > 0 && left <= warningDays)
        return 'warning';
    return 'ok';
}

;// CONCATENATED MODULE: ./src/check.ts




const PATHS = {
    myself: '/rest/api/2/myself',
    serverInfo: '/rest/api/2/serverInfo',
    tokens: '/rest/pat/latest/tokens',
    myPermissions: '/rest/api/2/mypermissions'
};
function permissionsPath(settings) {
    const query = new URLSearchParams();
    if (settings.project)
        query.set(/^\d+$/.test(settings.project) ? 'projectId' : 'projectKey', settings.project);
    // Cloud answers 400 without `permissions`; Data Center ignores it and lists every key.
    const keys = settings.requiredPermissions.length > 0 ? settings.requiredPermissions : ['BROWSE_PROJECTS'];
    query.set('permissions', keys.join(','));
    return `${PATHS.myPermissions}?${query.toString()}`;
}
/**
 * Runs the probes. With Bearer they go out as one concurrent wave: a bad PAT cannot lock the
 * account (the PAT filter never counts failed logins), so the whole check costs one round trip.
 * With Basic, /myself goes alone first: every failed Basic login counts toward Jira's CAPTCHA lockout.
 * serverInfo needs no login, so it is always sent without credentials.
 */
async function runCheck(settings, deps) {
    const wantPermissions = settings.requiredPermissions.length > 0 || settings.project !== '';
    const wantTokens = settings.authScheme === 'bearer' && !(settings.tokenExpiresOn && !settings.tokenName);
    const serverInfo = () => deps.get(PATHS.serverInfo, { anonymous: true });
    const context = baseContext(settings);
    let myself;
    let server;
    let tokens;
    let permissions;
    if (settings.authScheme === 'bearer') {
        ;
        [myself, server, tokens, permissions] = await Promise.all([
            deps.get(PATHS.myself),
            serverInfo(),
            wantTokens ? deps.get(PATHS.tokens) : undefined,
            wantPermissions ? deps.get(permissionsPath(settings)) : undefined
        ]);
    }
    else {
        myself = await deps.get(PATHS.myself);
        const accepted = myself.outcome.kind === 'response' && myself.outcome.status === 200;
        const answered = myself.outcome.kind === 'response';
        [server, permissions] = await Promise.all([
            // After a refused login, serverInfo (anonymous) still tells Cloud from Data Center for the diagnosis.
            answered ? serverInfo() : undefined,
            accepted && wantPermissions ? deps.get(permissionsPath(settings)) : undefined
        ]);
    }
    const serverInfoValue = parseServerInfo(server);
    // Both end up in sentences ("This Jira is 8.13.0; ..."): neutralised like every Jira value.
    context.deploymentType =
        serverInfoValue?.deploymentType === undefined
            ? undefined
            : untrusted(serverInfoValue.deploymentType, 40);
    context.serverVersion =
        serverInfoValue?.version === undefined ? undefined : untrusted(serverInfoValue.version, 60);
    const result = {
        status: 'ok',
        notes: [],
        httpStatus: myself.outcome.kind === 'response' ? myself.outcome.status : undefined,
        server: serverInfoValue,
        context
    };
    const fail = (failure) => ({ ...result, status: 'failed', failure });
    const myselfAnswer = parseMyself(myself);
    if (!myselfAnswer.ok)
        return fail(myselfAnswer.failure);
    const user = myselfAnswer.value.user;
    result.user = user;
    result.identityJson = myselfAnswer.value.json;
    if (user.active === false) {
        result.notes.push({
            level: 'warning',
            message: 'Jira says this account is not active ("active": false), yet it answered as it. Check the account in Jira user management before relying on it.'
        });
    }
    const mismatch = checkIdentity(user, settings.expectedUsers);
    if (mismatch)
        return fail(mismatch);
    if (permissions) {
        const parsed = parsePermissions(permissions, settings.requiredPermissions, settings.project);
        if (!parsed.ok)
            return fail(parsed.failure);
        result.permissions = parsed.value;
    }
    const expiry = findExpiry(settings, tokens, deps.now(), result.notes, isCloudAnswer(result));
    if ('code' in expiry)
        return fail(expiry);
    result.expiry = expiry;
    const missing = result.permissions?.filter((permission) => !permission.granted) ?? [];
    if (missing.length > 0) {
        return fail({
            code: 'missing-permissions',
            evidence: {
                url: permissions ? permissions.url : undefined,
                project: settings.project || undefined,
                missingPermissions: missing.filter((p) => !p.unknown).map((p) => p.key),
                unknownPermissions: missing.filter((p) => p.unknown).map((p) => p.key)
            }
        });
    }
    const level = expiryLevel(expiry, settings.expiryWarningDays, settings.expiryErrorDays);
    if (level === 'error') {
        return fail({
            code: 'token-expiring',
            evidence: {
                daysLeft: expiry.daysLeft,
                expiresAt: expiry.expiresAt,
                tokenName: expiry.name === undefined ? undefined : untrusted(expiry.name, 60)
            }
        });
    }
    if (level === 'warning')
        result.status = 'warning';
    if (expiry.daysLeft !== undefined && expiry.daysLeft < 0) {
        result.notes.push({
            level: 'warning',
            message: `token-expires-on (${expiry.expiresAt?.slice(0, 10)}) is in the past, yet Jira accepted the token. Update the input to the token's real expiry.`
        });
    }
    return result;
}
function isCloudAnswer(result) {
    return (result.server?.deploymentType === 'Cloud' ||
        /\.atlassian\.net$/i.test(result.context.host ?? ''));
}
function baseContext(settings) {
    const url = new URL(settings.baseUrl);
    return {
        baseUrl: settings.baseUrl,
        host: url.hostname,
        origin: url.origin,
        contextPath: url.pathname.replace(/\/+$/, ''),
        authScheme: settings.authScheme,
        tokenLength: settings.token.length,
        tokenShape: tokenShape(settings.token),
        timeoutSeconds: settings.timeoutSeconds,
        retries: settings.retries
    };
}
/** The identities a user can be named by: DC name and key, email, Cloud accountId. */
function identityKeys(user) {
    return [user.name, user.key, user.emailAddress ?? undefined, user.accountId]
        .filter((value) => typeof value === 'string' && value !== '')
        .map((value) => value.toLowerCase());
}
/** "CI Bot (ci-bot, ci-bot@example.com)": every part neutralised, since users choose their own names. */
function describeIdentity(user) {
    const id = untrusted(user.name || user.accountId || user.key || '?');
    const email = user.emailAddress ? `, ${untrusted(user.emailAddress)}` : '';
    return `${user.displayName ? untrusted(user.displayName) : id} (${id}${email})`;
}
function checkIdentity(user, expected) {
    if (expected.length === 0)
        return undefined;
    const keys = identityKeys(user);
    if (expected.some((entry) => keys.includes(entry.toLowerCase())))
        return undefined;
    return {
        code: 'identity-mismatch',
        evidence: { actualIdentity: describeIdentity(user), expected: [...expected] }
    };
}
function findExpiry(settings, tokens, now, notes, cloud) {
    if (settings.tokenName && (cloud || settings.authScheme === 'basic')) {
        notes.push({
            level: 'warning',
            message: cloud
                ? '`token-name` is set, but Jira Cloud has no list of API tokens to find it in, so it was not checked. Set `token-expires-on` to the expiry Atlassian showed when the token was made.'
                : '`token-name` is set, but with `username` the token is sent as a Basic password, not as a personal access token, so there is no PAT to look up. Set `token-expires-on` to track its expiry.'
        });
    }
    if (settings.tokenExpiresOn && !settings.tokenName) {
        return expiryOfDate(settings.tokenExpiresOn, now, { matchedBy: 'input' });
    }
    if (!tokens) {
        if (settings.tokenExpiresOn)
            return expiryOfDate(settings.tokenExpiresOn, now, { matchedBy: 'input' });
        return {
            unknownBecause: settings.authScheme === 'basic'
                ? 'Jira exposes no expiry for API tokens or passwords; set `token-expires-on` to track it'
                : 'not checked'
        };
    }
    const list = parsePatList(tokens);
    if (list.kind === 'failed') {
        if (settings.tokenName)
            return list.failure;
        notes.push({
            level: 'warning',
            message: `Could not read the token list, so the expiry is unknown.`
        });
        return { unknownBecause: 'the token list could not be read' };
    }
    if (list.kind === 'unavailable') {
        if (settings.tokenExpiresOn)
            return expiryOfDate(settings.tokenExpiresOn, now, { matchedBy: 'input' });
        if (settings.tokenName) {
            notes.push({
                level: 'warning',
                message: `\`token-name\` is set, but ${list.reason}: the name could not be checked and the expiry is unknown.`
            });
        }
        else if (!list.expected) {
            notes.push({
                level: 'warning',
                message: `The token's expiry is unknown: ${list.reason}. The token itself works.`
            });
        }
        return { unknownBecause: list.reason };
    }
    const pick = pickToken(list.tokens, settings.tokenName);
    if (pick.kind === 'not-found') {
        return {
            code: 'token-not-found',
            evidence: {
                url: tokens.url,
                tokenName: settings.tokenName,
                availableTokenNames: pick.names.map((name) => untrusted(name, 60))
            }
        };
    }
    if (pick.kind === 'none')
        return { unknownBecause: 'the account has no personal access tokens listed' };
    if (pick.matchedBy === 'guess') {
        notes.push({
            level: 'notice',
            message: `The account has ${list.tokens.length} tokens; assuming "${untrusted(pick.token.name, 60)}" (the most recently used) is this one. ` +
                'Jira records use only once a minute, so this is a guess: set `token-name` to be sure.'
        });
    }
    if (pick.namesakes > 1) {
        notes.push({
            level: 'warning',
            message: `${pick.namesakes} tokens of this account are named "${untrusted(pick.token.name, 60)}"; the expiry shown is that of the one that expires first. ` +
                'Give each token its own name, and revoke the ones no longer used.'
        });
    }
    return expiryOfToken(pick.token, pick.matchedBy, now);
}

;// CONCATENATED MODULE: ./src/diagnosis.ts
const PAT_PAGE = 'Jira › your avatar › Profile › Personal Access Tokens';
/** The PAT page itself, so the engineer on call can click straight to it. */
function patPage(context) {
    return context.baseUrl && !isCloud(context)
        ? `${PAT_PAGE} (${context.baseUrl}/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens)`
        : PAT_PAGE;
}
const PRIVATE_NETWORK = 'GitHub-hosted runners reach only the public internet: a Jira on a private network needs a self-hosted runner inside that network.';
function from(evidence) {
    return evidence.url ? ` from ${evidence.url}` : '';
}
function onGet(evidence) {
    return evidence.url ? ` (GET ${evidence.url})` : '';
}
function isCloud(context) {
    return (context.deploymentType === 'Cloud' || /\.(atlassian\.net|jira\.com)$/i.test(context.host ?? ''));
}
/**
 * A Bearer token that is meant for Jira Cloud: the host is Cloud, or the token has the shape of a
 * Cloud API token and nothing says the server is Data Center.
 */
function cloudTokenAsBearer(context) {
    if (context.authScheme !== 'bearer')
        return false;
    if (isCloud(context))
        return true;
    return context.tokenShape === 'cloud-api-token' && context.deploymentType !== 'Server';
}
function versionBelow(version, major, minor) {
    const match = /^(\d+)\.(\d+)/.exec(version ?? '');
    if (!match)
        return false;
    const [have, haveMinor] = [Number(match[1]), Number(match[2])];
    return have < major || (have === major && haveMinor < minor);
}
function attempts(evidence) {
    return evidence.attempts && evidence.attempts > 1 ? ` after ${evidence.attempts} attempts` : '';
}
function tokenShapeStep(context) {
    const length = context.tokenLength ?? 0;
    if (context.tokenShape === 'data-center-pat') {
        return `The token sent is ${length} characters and has the shape of a Data Center PAT, so the value itself looks intact.`;
    }
    return (`The token sent is ${length} characters and does not have the shape of a Data Center PAT (44 characters of base64): ` +
        'check that the secret holds the whole token and nothing else.');
}
function unauthorizedBearer(evidence, context) {
    if (cloudTokenAsBearer(context))
        return cloudBearerSteps();
    const steps = [];
    if (context.tokenShape === 'cloud-api-token') {
        steps.push(`The token starts with ATATT: it is an Atlassian Cloud API token, but this Jira is Data Center/Server${context.serverVersion ? ` ${context.serverVersion}` : ''}. Create a personal access token in this Jira and put it in the secret that feeds \`token\`.`);
    }
    if (versionBelow(context.serverVersion, 8, 14)) {
        steps.push(`This Jira is ${context.serverVersion}; personal access tokens arrived in 8.14. Upgrade Jira, or use Basic auth with \`username\`.`);
    }
    steps.push(`Check the token's expiry: ${patPage(context)}.`, 'If it expired or was revoked, create a new one and update the secret that feeds `token`.', tokenShapeStep(context), 'If the token is current and intact: an administrator may have turned personal access tokens off, or a proxy in front of Jira strips the Authorization header. Both look exactly like this.');
    if (evidence.ausername && evidence.ausername !== 'anonymous') {
        steps.push(`Jira named the user "${evidence.ausername}" in X-AUSERNAME, so the account itself may lack access to /myself.`);
    }
    return steps;
}
/** Jira Cloud takes API tokens only as Basic email:token: every step is about that, none about PATs. */
function cloudBearerSteps() {
    return [
        'Set `username` to the Atlassian account email (for a service account, its …@serviceaccount.atlassian.com address): with `username` set, the action sends Basic email:token, which is what Jira Cloud expects.',
        'Keep the API token in `token` (id.atlassian.com › Security › API tokens; for a service account, admin.atlassian.com › Directory › Service accounts).',
        'Jira Cloud has no personal access tokens: a Data Center PAT does not work there.'
    ];
}
function unauthorizedBasic(_evidence, context) {
    if (isCloud(context)) {
        return [
            'Check that `username` is the Atlassian account email, exactly.',
            'Check that the API token has not expired or been revoked: id.atlassian.com › Security › API tokens. Cloud API tokens expire after at most a year.',
            'Create a new API token and update the secret that feeds `token`.',
            'A scoped API token works only through https://api.atlassian.com/ex/jira/<cloudId>, not the site URL.'
        ];
    }
    const steps = [
        "Every failed Basic login counts toward Jira's CAPTCHA lockout for this account: fix the credentials before re-running."
    ];
    if (context.tokenShape === 'data-center-pat') {
        steps.push('The token has the shape of a Data Center personal access token. PATs are sent as Bearer, not as a Basic password: remove `username`.');
    }
    else {
        steps.push('Check `username` and the password or token in `token`.');
    }
    steps.push('Prefer a personal access token with Bearer (leave `username` empty); it never counts toward the lockout.');
    return steps;
}
const catalogue = {
    'missing-input': (e) => ({
        title: `Missing input: ${e.input}`,
        headline: e.detail ?? `\`${e.input}\` is empty.`,
        steps: []
    }),
    'invalid-input': (e) => ({
        title: `Invalid input: ${e.input}`,
        headline: e.detail ?? `\`${e.input}\` is not valid.`,
        steps: e.suggestion ? [`Did you mean \`${e.input}: ${e.suggestion}\`?`] : []
    }),
    unauthorized: (e, c) => cloudTokenAsBearer(c)
        ? {
            title: 'Jira Cloud does not take a token as Bearer (HTTP 401)',
            headline: `Jira Cloud did not accept the token as Bearer (HTTP 401${from(e)})`,
            explanation: 'Jira Cloud accepts an API token only with the account email, as Basic email:token; `username` is empty, so the token went as Bearer.',
            steps: cloudBearerSteps()
        }
        : {
            title: 'Jira rejected the token (HTTP 401)',
            headline: `Jira did not accept the token (HTTP 401${from(e)})`,
            explanation: c.authScheme === 'basic'
                ? `Jira did not accept \`username\` with \`token\`${e.seraphLoginReason ? ` (X-Seraph-LoginReason: ${e.seraphLoginReason})` : ''}.`
                : 'Jira Data Center answers an expired, revoked or mistyped token the same way, as an anonymous request' +
                    (e.ausername === 'anonymous' ? ' (X-AUSERNAME: anonymous).' : '.'),
            steps: c.authScheme === 'basic' ? unauthorizedBasic(e, c) : unauthorizedBearer(e, c)
        },
    'captcha-required': (e) => {
        const loginUrl = /login-url=(\S+)/.exec(e.deniedReason ?? '')?.[1];
        return {
            title: 'Jira requires a CAPTCHA for this account',
            headline: `Jira locked Basic logins for this account behind a CAPTCHA (HTTP 403${from(e)})`,
            explanation: 'Too many failed logins (from any tool, not only this one) made Jira demand a CAPTCHA; until it is solved every Basic request fails, even with the right password. The action did not retry.',
            steps: [
                `Log in once in a browser${loginUrl ? ` at ${loginUrl}` : ''} as this account and solve the CAPTCHA, or ask a Jira administrator to reset the failed-login count (User management › the user › Reset failed login count).`,
                'Then switch to a personal access token with Bearer (leave `username` empty): failed PAT requests never count toward the lockout.'
            ]
        };
    },
    'basic-auth-disabled': (e) => ({
        title: 'Jira has Basic authentication turned off',
        headline: `Jira refused Basic authentication (HTTP 403${from(e)}): "Basic Authentication has been disabled on this instance."`,
        explanation: 'Administrators can turn Basic auth off for REST (Jira 11 does so by default); personal access tokens still work.',
        steps: [
            `Create a personal access token for this account (${PAT_PAGE}).`,
            'Put it in the secret that feeds `token` and remove `username`, so it is sent as Bearer.'
        ]
    }),
    forbidden: (e) => ({
        title: 'Jira refused the request (HTTP 403)',
        headline: `Jira answered HTTP 403${from(e)}${e.bodyExcerpt ? `: ${e.bodyExcerpt}` : ''}`,
        explanation: "A 403 on /myself is not Jira's answer to a bad token (that is 401): something refused this caller outright." +
            (e.seraphLoginReason ? ` X-Seraph-LoginReason: ${e.seraphLoginReason}.` : ''),
        steps: [
            "A firewall, WAF or reverse proxy in front of Jira may block the runner's address or the REST API: ask whoever runs it.",
            'Check that the account is active and allowed to use Jira (application access).'
        ]
    }),
    'login-redirect': (e, c) => {
        const target = e.location ? safeHost(e.location, c.baseUrl) : undefined;
        return {
            title: 'Jira sent a login page instead of an API answer',
            headline: e.location
                ? `Jira answered with a redirect (HTTP ${e.status}) to ${target ?? 'another page'} instead of the API${from(e)}`
                : `Jira answered with an HTML page (${e.bodyExcerpt ?? 'no title'}) instead of JSON${from(e)}`,
            explanation: 'Single sign-on or a proxy in front of Jira sends API calls to a login page. The action follows no redirects, so the token was never sent to that page.',
            steps: [
                ...(e.location && sameHostBase(e.location, c.baseUrl)
                    ? [
                        `If Jira itself moved, use its new address as \`domain\`: ${sameHostBase(e.location, c.baseUrl)}.`
                    ]
                    : []),
                'Check that `domain` is the Jira base URL itself, not a portal or SSO gateway in front of it.',
                'Ask the Jira administrators to let token-authenticated requests to /rest/ bypass the SSO or proxy login.'
            ]
        };
    },
    'not-found': (e, c) => notFoundEntry(e, c),
    'rate-limited': (e, c) => ({
        title: 'Jira is rate-limiting this account (HTTP 429)',
        headline: `Jira answered HTTP 429 Too Many Requests${attempts(e)}${from(e)}`,
        explanation: (e.attempts ?? 1) > (c.retries ?? 0)
            ? `The action used all its retries (\`retries: ${c.retries}\`), waiting as Jira asked, and Jira still refused.`
            : `Jira asked to wait ${e.retryAfterSeconds ?? '?'} s (Retry-After), more than was left of \`timeout-seconds\` (${c.timeoutSeconds} s), so the action stopped rather than overrun it.`,
        steps: [
            'Re-run later, or raise `timeout-seconds` so the action can wait out Retry-After.',
            'Jira Data Center administrators can exempt this service account (Administration › System › Rate limiting).',
            'Other jobs using the same account share its budget: spread them out.'
        ]
    }),
    'server-error': (e) => ({
        title: `Jira server error (HTTP ${e.status ?? '5xx'})`,
        headline: `Jira answered HTTP ${e.status}${attempts(e)}${from(e)}${e.bodyExcerpt ? `: ${e.bodyExcerpt}` : ''}`,
        explanation: 'This is a fault on the Jira side or in a proxy in front of it, not a problem with the token.',
        steps: [
            'Re-run later; 502, 503 and 504 were retried within `timeout-seconds` and `retries`.',
            'If it persists, tell the Jira administrators: the Jira logs will show the cause.'
        ]
    }),
    timeout: (e, c) => ({
        title: 'Jira did not answer in time',
        headline: timeoutHeadline(e, c),
        steps: [
            ...(e.timeoutPhase === 'lookup'
                ? [
                    "The runner's DNS resolver did not answer: check its DNS settings (/etc/resolv.conf on a self-hosted runner)."
                ]
                : []),
            ...(e.timeoutPhase === 'proxy'
                ? [
                    'The proxy in `https_proxy` did not open the tunnel in time: check that it is up and can reach Jira.'
                ]
                : []),
            PRIVATE_NETWORK,
            'A firewall that drops (rather than refuses) packets looks like this: check that the runner can reach the host and port.',
            'If Jira is just slow, raise `timeout-seconds`.'
        ]
    }),
    'dns-error': (e, c) => ({
        title: 'Jira host name not found',
        headline: e.errno === 'EAI_AGAIN'
            ? `The DNS lookup of ${c.host} failed temporarily (EAI_AGAIN)${attempts(e)}`
            : `The host name ${c.host} does not resolve (${e.errno ?? 'ENOTFOUND'})`,
        steps: [
            'Check the spelling of `domain`.',
            `Internal names resolve only inside their network. ${PRIVATE_NETWORK}`
        ]
    }),
    'connection-error': (e, c) => ({
        title: 'Could not connect to Jira',
        headline: `Connecting to ${c.host} failed (${e.errno}${e.transportMessage ? `: ${e.transportMessage}` : ''})${attempts(e)}`,
        explanation: e.errno === 'ECONNREFUSED'
            ? 'Nothing listens on that port, or a firewall actively refused the connection.'
            : e.errno === 'ECONNRESET'
                ? 'The connection was cut mid-way, by the server, a proxy or a firewall.'
                : undefined,
        steps: ['Check the host and port in `domain`.', PRIVATE_NETWORK]
    }),
    'tls-error': (e, c) => tlsEntry(e, c),
    'proxy-error': (e, c) => proxyEntry(e, c),
    'unexpected-response': (e) => ({
        title: 'Unexpected answer from Jira',
        headline: `Jira answered HTTP ${e.status ?? '?'}${from(e)}, but ${e.detail ?? 'not in a form the action understands'}`,
        explanation: e.bodyExcerpt ? `It began: ${e.bodyExcerpt}` : undefined,
        steps: [
            'Something between the runner and Jira (a proxy, a maintenance page) may be answering instead of Jira.',
            'If `domain` is right and Jira works in a browser, please open an issue with this log (the token is masked).'
        ]
    }),
    'identity-mismatch': (e) => ({
        title: 'The token belongs to another account',
        headline: `The token belongs to ${e.actualIdentity}, not to ${(e.expected ?? []).join(' or ')}`,
        explanation: "The token works, but for the wrong account; a secret rotated with another user's token looks like this.",
        steps: [
            'Create the token while logged in as the expected account, and update the secret that feeds `token`.',
            'If that account is the right one after all, add it to `expected-user`.'
        ]
    }),
    'missing-permissions': (e) => {
        const where = e.project ? ` in project ${e.project}` : '';
        const missing = e.missingPermissions ?? [];
        const unknown = e.unknownPermissions ?? [];
        return {
            title: 'The token lacks required permissions',
            headline: [
                missing.length > 0 ? `The token's account lacks ${missing.join(', ')}${where}` : '',
                unknown.length > 0
                    ? `Jira does not know the permission key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`
                    : ''
            ]
                .filter(Boolean)
                .join('; '),
            explanation: "A personal access token carries exactly its account's permissions; it has no scopes of its own.",
            steps: [
                ...(missing.length > 0
                    ? [
                        `Grant ${missing.join(', ')} to the account${where} (the project's permission scheme, through a group or project role it belongs to).`
                    ]
                    : []),
                ...(unknown.length > 0
                    ? [
                        'Check the spelling of `required-permissions`: keys look like BROWSE_PROJECTS or TRANSITION_ISSUES.'
                    ]
                    : [])
            ]
        };
    },
    'project-not-found': (e) => ({
        title: 'Project not found',
        headline: `Project ${e.project} does not exist, or the token's account cannot see it (HTTP ${e.status ?? 404}${from(e)})`,
        steps: [
            'Check the key in `project` (it is the prefix of issue keys, like ABC in ABC-123).',
            'Jira hides projects an account cannot browse: grant Browse Projects to the account in that project.'
        ]
    }),
    'token-not-found': (e) => ({
        title: 'No token with that name',
        headline: `This account has no personal access token named "${e.tokenName}"${e.availableTokenNames && e.availableTokenNames.length > 0
            ? `; its tokens are: ${e.availableTokenNames.map((name) => `"${name}"`).join(', ')}`
            : '; it has no tokens listed'}`,
        steps: [
            `Set \`token-name\` to the name shown in ${PAT_PAGE} (it is case-sensitive).`,
            'Jira deletes expired tokens from the list 30 days after they expire.'
        ]
    }),
    'token-expiring': (e, c) => ({
        title: 'The token expires soon',
        headline: e.daysLeft !== undefined && e.daysLeft < 0
            ? `The token${e.tokenName ? ` "${e.tokenName}"` : ''} expired on ${e.expiresAt?.slice(0, 10)}`
            : `The token${e.tokenName ? ` "${e.tokenName}"` : ''} expires in ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'}, on ${e.expiresAt?.slice(0, 10)}`,
        steps: c.authScheme === 'basic'
            ? [
                'Create a new API token now (id.atlassian.com › Security › API tokens) and update the secret that feeds `token`.',
                'Set `token-expires-on` to the new expiry, re-run this check, then revoke the old token.'
            ]
            : [
                `Create a new token now (${patPage(c)} › Create token; 90 days is a good expiry) and update the secret that feeds \`token\`.`,
                'Re-run this check after the rotation, then revoke the old token.'
            ]
    }),
    'internal-error': (e) => ({
        title: 'jira-auth-check failed unexpectedly',
        headline: `jira-auth-check hit a bug: ${e.detail ?? 'unknown error'}`,
        explanation: 'This is not a problem with the token or Jira.',
        steps: [
            'Re-run with debug logging (re-run jobs › Enable debug logging) to see the stack trace.',
            'Please open an issue with the log; the token is masked.'
        ]
    })
};
const PHASE_TEXT = {
    lookup: 'the DNS lookup of',
    connect: 'the TCP connection to',
    proxy: 'the proxy tunnel to',
    tls: 'the TLS handshake with',
    headers: 'an answer from'
};
function timeoutHeadline(e, c) {
    if (e.timeoutPhase === 'body') {
        return `Jira sent a response (HTTP ${e.status}) but the body stalled until the ${c.timeoutSeconds} s deadline${onGet(e)}`;
    }
    const phase = PHASE_TEXT[e.timeoutPhase ?? 'headers'];
    return `No answer within ${c.timeoutSeconds} s: ${phase} ${c.host ?? 'Jira'} did not finish${onGet(e)}`;
}
const PROXY_CREDENTIALS_STEP = 'A 407 means the proxy wants credentials: put them in the proxy URL, http://user:password@proxy:port, percent-encoding special characters (@ as %40, % as %25).';
function proxyEntry(e, c) {
    const bypass = 'If Jira should be reached directly, add its host to `no_proxy`.';
    if (e.proxyVariable) {
        return {
            title: 'The proxy setting cannot be used',
            headline: `\`${e.proxyVariable}\` is set for ${c.host ?? 'Jira'}, but ${e.detail ?? 'it cannot be used'}; nothing was sent`,
            explanation: 'The action does not fall back to a direct connection: a proxy that is set but unreadable usually means the network needs it.',
            steps: [
                `Fix \`${e.proxyVariable}\` in the runner environment: it should look like http://proxy.example.com:3128, or http://user:password@proxy.example.com:3128.`,
                bypass
            ]
        };
    }
    if (e.status === 407) {
        return {
            title: 'A proxy in front of Jira wants credentials (HTTP 407)',
            headline: `A proxy answered for Jira with HTTP 407 Proxy Authentication Required${from(e)}${e.proxyAuthenticate ? ` (Proxy-Authenticate: ${e.proxyAuthenticate})` : ''}`,
            explanation: 'Jira itself never answers 407: a transparent proxy between the runner and Jira intercepted the request.',
            steps: [
                'Set `https_proxy` to that proxy with its credentials, so the action authenticates to it: http://user:password@proxy:port.',
                PROXY_CREDENTIALS_STEP
            ]
        };
    }
    if (e.proxyStatus !== undefined) {
        return {
            title: 'The HTTPS proxy refused the tunnel',
            headline: `The proxy ${c.proxy ?? ''} refused the tunnel to ${c.host} with HTTP ${e.proxyStatus}`,
            steps: [
                ...(e.proxyStatus === 407 ? [PROXY_CREDENTIALS_STEP] : []),
                'Check `https_proxy`/`HTTPS_PROXY` in the runner environment, and that the proxy allows CONNECT to the Jira host and port.',
                bypass
            ]
        };
    }
    return {
        title: 'The HTTPS proxy failed',
        headline: `Could not reach the proxy ${c.proxy ?? ''} (${e.errno}: ${e.transportMessage ?? ''})`,
        steps: ['Check `https_proxy`/`HTTPS_PROXY` in the runner environment.', bypass]
    };
}
function notFoundEntry(e, c) {
    const origin = c.origin ?? `https://${c.host ?? 'jira.example.com'}`;
    // A real Cloud 404 on a wrong path still names the user and says the login was OK.
    const loggedIn = /^OK$/i.test(e.seraphLoginReason ?? '') || (!!e.ausername && e.ausername !== 'anonymous');
    const credentialsWorked = loggedIn
        ? ` The credentials worked (${e.ausername && e.ausername !== 'anonymous' ? `Jira named the user "${e.ausername}"` : 'X-Seraph-LoginReason: OK'}): only the path is wrong.`
        : '';
    const webServer = /html/i.test(e.contentType ?? '')
        ? `A web server answered${e.bodyExcerpt ? ` ("${e.bodyExcerpt}")` : ''}, but not Jira's REST API.`
        : '';
    const explanation = `${webServer}${credentialsWorked}`.trim() || undefined;
    let steps;
    if (isCloud(c)) {
        steps = [
            `Jira Cloud has no context path: set \`domain\` to the site itself, ${origin}.`,
            'Check the site name in a browser: it is the address you log in to, e.g. https://your-site.atlassian.net.'
        ];
    }
    else if (c.contextPath) {
        steps = [
            `\`domain\` already has the context path "${c.contextPath}": check that it is Jira's (the path you see in the browser before /secure/ or /browse/), or try ${origin} if Jira lives at the root.`,
            'Open `domain` in a browser: it should show Jira; the REST API is below it at /rest/api/2/.'
        ];
    }
    else {
        steps = [
            `If Jira lives under a context path, include it in \`domain\`: e.g. ${origin}/jira rather than ${origin}.`,
            'Open `domain` in a browser: it should show Jira; the REST API is below it at /rest/api/2/.'
        ];
    }
    return {
        title: 'Jira REST API not found (HTTP 404)',
        headline: `Nothing answers at ${e.url ?? 'the API URL'} (HTTP 404)`,
        explanation,
        steps
    };
}
function tlsEntry(e, c) {
    const errno = e.errno ?? '';
    const trustSteps = [
        "If the certificate comes from a private CA, give Node that CA: set `NODE_EXTRA_CA_CERTS` to the path of its PEM file in the step's `env:`, or on a self-hosted runner that trusts the CA system-wide set `NODE_USE_SYSTEM_CA: 1`.",
        'Do not turn certificate verification off: the token would go to whoever answers.'
    ];
    if (errno === 'CERT_HAS_EXPIRED' || errno === 'CERT_NOT_YET_VALID') {
        return {
            title: "Jira's TLS certificate has expired",
            headline: `The TLS certificate of ${c.host} is ${errno === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'} (${errno})`,
            steps: [
                'Ask the Jira administrators to renew the certificate.',
                "Check the runner's clock if the certificate should be valid."
            ]
        };
    }
    if (errno === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        return {
            title: "Jira's TLS certificate is for another host name",
            headline: `The TLS certificate presented by ${c.host} is not valid for that name (${errno})`,
            explanation: e.transportMessage,
            steps: [
                'Use the host name the certificate was issued for in `domain` (often the public name, not an IP or an internal alias).'
            ]
        };
    }
    if (errno === 'EPROTO' || errno.startsWith('ERR_SSL')) {
        return {
            title: 'TLS handshake with Jira failed',
            headline: `The TLS handshake with ${c.host} failed (${errno}: ${e.transportMessage ?? ''})`,
            steps: ['Check that the port in `domain` serves HTTPS; a plain-HTTP port fails like this.']
        };
    }
    return {
        title: "Jira's TLS certificate is not trusted",
        headline: `The TLS certificate of ${c.host} is signed by a CA this runner does not trust (${errno})`,
        steps: trustSteps
    };
}
function safeHost(location, baseUrl) {
    try {
        return new URL(location, baseUrl).host;
    }
    catch {
        return undefined;
    }
}
/** For a redirect that stays on Jira's host (http→https, a moved context path), the base to use. */
function sameHostBase(location, baseUrl) {
    try {
        const target = new URL(location, baseUrl);
        const base = new URL(baseUrl ?? '');
        if (target.hostname !== base.hostname)
            return undefined;
        const rest = target.pathname.search(/\/rest\//);
        if (rest < 0)
            return undefined;
        return `${target.protocol}//${target.host}${target.pathname.slice(0, rest)}`;
    }
    catch {
        return undefined;
    }
}
function diagnose(failure, context) {
    return { code: failure.code, ...catalogue[failure.code](failure.evidence, context) };
}
/** The annotation text: headline, explanation, numbered steps, and the docs link. */
function formatDiagnosis(diagnosis, docsUrl) {
    const lines = [diagnosis.headline];
    if (diagnosis.explanation)
        lines.push(diagnosis.explanation);
    if (diagnosis.steps.length > 0) {
        lines.push('What to do:');
        diagnosis.steps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`));
    }
    lines.push(`More: ${docsUrl}#${diagnosis.code}`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/summary.ts

/** Jira's values (display names, titles) go into HTML: neutralise and escape every one of them. */
function escapeHtml(value) {
    return untrusted(value, Number.MAX_SAFE_INTEGER)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}
function table(rows) {
    const body = rows
        .filter(([, value]) => value !== '')
        .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${value}</td></tr>`)
        .join('');
    return body ? `<table>${body}</table>\n` : '';
}
function verdictLine(result) {
    if (result.status === 'ok')
        return '✅ The token works';
    if (result.status === 'warning')
        return '⚠️ The token works, with a warning';
    return `❌ Failed: <code>${escapeHtml(result.failure?.code)}</code>`;
}
function identitySection(result) {
    const user = result.user;
    if (!user)
        return '';
    return ('<h3>Identity</h3>\n' +
        table([
            ['Display name', escapeHtml(user.displayName)],
            ['Username', escapeHtml(user.name)],
            ['User key', escapeHtml(user.key)],
            ['Account ID', escapeHtml(user.accountId)],
            ['Email', escapeHtml(user.emailAddress)],
            ['Active', user.active === undefined ? '' : user.active ? 'yes' : '<b>no</b>']
        ]));
}
function serverSection(result, settings) {
    const server = result.server;
    if (!server && !settings)
        return '';
    return ('<h3>Server</h3>\n' +
        table([
            ['URL', escapeHtml(settings?.baseUrl ?? result.context.baseUrl)],
            ['Version', escapeHtml(server?.version)],
            ['Deployment type', escapeHtml(server?.deploymentType)],
            ['Title', escapeHtml(server?.serverTitle)]
        ]));
}
function tokenSection(result, settings) {
    const expiry = result.expiry;
    if (!expiry)
        return '';
    let expires;
    if (expiry.nonExpiring)
        expires = 'never';
    else if (expiry.expiresAt) {
        const left = expiry.daysLeft ?? 0;
        const short = settings
            ? left <= Math.max(settings.expiryWarningDays, settings.expiryErrorDays)
            : false;
        const days = `${left} day${left === 1 ? '' : 's'} left`;
        expires = `${escapeHtml(expiry.expiresAt.slice(0, 10))} (${short ? `⚠️ <b>${days}</b>` : days})`;
    }
    else
        expires = `unknown: ${escapeHtml(expiry.unknownBecause)}`;
    const matched = {
        name: 'by `token-name`',
        'only-token': "the account's only token",
        guess: 'guessed: the most recently used token (set `token-name`)',
        input: 'from `token-expires-on`'
    };
    return ('<h3>Token</h3>\n' +
        table([
            ['Name', escapeHtml(expiry.name)],
            ['Expires', expires],
            ['Found', expiry.matchedBy ? escapeHtml(matched[expiry.matchedBy]) : '']
        ]));
}
function permissionsSection(result, settings) {
    const permissions = result.permissions;
    if (!permissions || permissions.length === 0)
        return '';
    const scope = settings?.project ? ` in ${escapeHtml(settings.project)}` : '';
    const rows = permissions
        .map((p) => {
        const mark = p.granted ? '✅' : p.unknown ? '❓ unknown key' : '❌';
        return `<tr><td><code>${escapeHtml(p.key)}</code></td><td>${mark}</td></tr>`;
    })
        .join('');
    return `<h3>Permissions${scope}</h3>\n<table><tr><th>Permission</th><th>Held</th></tr>${rows}</table>\n`;
}
function verdictSection(diagnosis, link) {
    if (!diagnosis)
        return '';
    const steps = diagnosis.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('');
    return (`<h3>Verdict: ${escapeHtml(diagnosis.title)}</h3>\n` +
        `<p>${escapeHtml(diagnosis.headline)}</p>\n` +
        (diagnosis.explanation ? `<p>${escapeHtml(diagnosis.explanation)}</p>\n` : '') +
        (steps ? `<ol>${steps}</ol>\n` : '') +
        `<p><a href="${escapeHtml(`${link}#${diagnosis.code}`)}">Troubleshooting: ${escapeHtml(diagnosis.code)}</a></p>\n`);
}
function renderSummary(result, settings, diagnosis, link) {
    return (`<h2>Jira token check</h2>\n<p>${verdictLine(result)}</p>\n` +
        identitySection(result) +
        serverSection(result, settings) +
        tokenSection(result, settings) +
        permissionsSection(result, settings) +
        verdictSection(diagnosis, link));
}

;// CONCATENATED MODULE: ./src/report.ts





const OUTPUT_NAMES = [
    'status',
    'error-code',
    'http-status',
    'display-name',
    'email',
    'username',
    'user-key',
    'account-id',
    'active',
    'time-zone',
    'locale',
    'identity',
    'deployment-type',
    'server-version',
    'token-name',
    'token-expires-at',
    'token-days-left',
    'missing-permissions'
];
/** Replaces every secret with ***, whatever the runner's masking does: defence in depth. */
function redactor(secrets) {
    const ordered = [...secrets]
        .filter((secret) => secret.length > 0)
        .sort((a, b) => b.length - a.length);
    return (text) => ordered.reduce((result, secret) => result.split(secret).join('***'), text);
}
/** The troubleshooting doc of the action version that is running, as google-github-actions/auth links its own. */
function docsUrl(env = process.env) {
    const repository = env.GITHUB_ACTION_REPOSITORY || 'jira-auth-check/jira-auth-check';
    const ref = env.GITHUB_ACTION_REF || 'v1';
    return `https://github.com/${repository}/blob/${ref}/docs/troubleshooting.md`;
}
function outputsOf(result) {
    const user = result.user;
    const missing = result.permissions?.filter((permission) => !permission.granted).map((p) => p.key) ?? [];
    return {
        status: result.status,
        'error-code': result.failure?.code ?? '',
        'http-status': result.httpStatus !== undefined ? String(result.httpStatus) : '',
        'display-name': user?.displayName ?? '',
        email: user?.emailAddress ?? '',
        username: user?.name ?? '',
        'user-key': user?.key ?? '',
        'account-id': user?.accountId ?? '',
        active: typeof user?.active === 'boolean' ? String(user.active) : '',
        'time-zone': user?.timeZone ?? '',
        locale: user?.locale ?? '',
        identity: result.identityJson ?? '',
        'deployment-type': result.server?.deploymentType ?? '',
        'server-version': result.server?.version ?? '',
        'token-name': result.expiry?.name ?? '',
        'token-expires-at': result.expiry?.expiresAt ?? '',
        'token-days-left': result.expiry?.daysLeft !== undefined ? String(result.expiry.daysLeft) : '',
        'missing-permissions': missing.join(',')
    };
}
function emitNotes(notes, redact) {
    for (const note of notes) {
        if (note.level === 'warning')
            core/* warning */.$e(redact(note.message));
        else
            core/* notice */.lm(redact(note.message));
    }
}
/** A line for the log. Every info line goes through here, so no Jira value can become a runner command. */
function logLine(text, redact) {
    core/* info */.pq(safeLines(redact(text)));
}
function runnerFileProblem(variable, error) {
    const code = error?.code;
    const message = error instanceof Error ? error.message : String(error);
    const reason = code ??
        (/Missing file|Unable to access/i.test(message)
            ? 'the file does not exist or cannot be written'
            : untrusted(message, 160));
    return { variable, path: process.env[variable] ?? '', reason };
}
const REASONS = {
    EISDIR: 'it is a directory',
    ENOENT: 'its folder does not exist',
    EACCES: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full'
};
function reportRunnerFile(problem, result, redact) {
    const why = REASONS[problem.reason]
        ? `${problem.reason}: ${REASONS[problem.reason]}`
        : problem.reason;
    const what = problem.variable === 'GITHUB_OUTPUT'
        ? "the step's outputs could not be written, so later steps will see none of them"
        : 'the job summary could not be written';
    const message = `${problem.variable} (${problem.path || 'unset'}) cannot be written (${why}): ${what}. ` +
        `This is a problem with the runner or the workflow that set ${problem.variable}, not with the Jira token. ` +
        `The check itself ended with status ${result.status}${result.failure ? ` (${result.failure.code})` : ''}.`;
    const title = `The runner's ${problem.variable} file cannot be written`;
    if (problem.variable === 'GITHUB_OUTPUT')
        core/* error */.z3(redact(message), { title });
    else
        core/* warning */.$e(redact(message), { title });
}
/** Every output, in order; stops at the first that cannot be written and says why. */
function writeOutputs(outputs, redact) {
    for (const name of OUTPUT_NAMES) {
        try {
            core/* setOutput */.uH(name, redact(outputs[name]));
        }
        catch (error) {
            return runnerFileProblem('GITHUB_OUTPUT', error);
        }
    }
    return undefined;
}
/**
 * Everything the run leaves behind: outputs, annotations, the summary, the exit code. A failure is
 * one titled error annotation; the exit code is set without a second one (core.setFailed would
 * add it).
 */
async function report(result, settings, secrets) {
    const redact = redactor(secrets);
    const outputsProblem = writeOutputs(outputsOf(result), redact);
    emitNotes(result.notes, redact);
    const link = docsUrl();
    let diagnosis;
    if (result.failure) {
        diagnosis = diagnose(result.failure, result.context);
        core/* error */.z3(redact(formatDiagnosis(diagnosis, link)), { title: redact(diagnosis.title) });
    }
    else {
        logLine(successLine(result), redact);
        if (result.status === 'warning' && result.expiry) {
            const warning = expiryWarning(result, settings);
            core/* warning */.$e(redact(formatDiagnosis(warning, link)), { title: warning.title });
        }
    }
    let summaryProblem;
    if (settings?.summary !== false && process.env.GITHUB_STEP_SUMMARY) {
        try {
            await core/* summary */.z
                .addRaw(redact(renderSummary(result, settings, diagnosis, link)), true)
                .write();
        }
        catch (error) {
            summaryProblem = runnerFileProblem('GITHUB_STEP_SUMMARY', error);
        }
    }
    for (const problem of [outputsProblem, summaryProblem]) {
        if (problem)
            reportRunnerFile(problem, result, redact);
    }
    if (outputsProblem) {
        // The outputs carry the verdict to later steps; without them, the log is the only place left.
        logLine(`Verdict: status=${result.status}${result.failure ? `, error-code=${result.failure.code}` : ''}`, redact);
    }
    if (result.failure || outputsProblem)
        process.exitCode = 1;
}
function successLine(result) {
    const version = result.server?.version ? ` ${untrusted(result.server.version, 60)}` : '';
    return `Authenticated to Jira${version} as ${result.user ? describeIdentity(result.user) : 'an unknown user'}`;
}
function expiryWarning(result, settings) {
    const expiry = result.expiry ?? {};
    const base = diagnose({
        code: 'token-expiring',
        evidence: {
            daysLeft: expiry.daysLeft,
            expiresAt: expiry.expiresAt,
            tokenName: expiry.name === undefined ? undefined : untrusted(expiry.name, 60)
        }
    }, result.context);
    return {
        ...base,
        explanation: `That is within expiry-warning-days (${settings?.expiryWarningDays}); the step still passes.`
    };
}
/** A failure that happened before or outside the check: bad input, or a bug. */
function failedResult(failure, context = {}) {
    return { status: 'failed', failure, notes: [], context };
}

;// CONCATENATED MODULE: ./src/settings.ts

const MAX_RETRIES = 10;
const MAX_TIMEOUT_SECONDS = 600;
/** An input that cannot be used; becomes a missing-input or invalid-input failure. */
class InputError extends Error {
    failure;
    constructor(failure) {
        super(failure.evidence.detail);
        this.failure = failure;
        this.name = 'InputError';
    }
}
function invalid(input, detail, suggestion) {
    return new InputError({ code: 'invalid-input', evidence: { input, detail, suggestion } });
}
function missing(input, detail) {
    return new InputError({ code: 'missing-input', evidence: { input, detail } });
}
/** Reads every input, falling back to the documented environment variables. */
function readRawInputs(env = process.env) {
    const get = (name) => core/* getInput */.V4(name);
    return {
        domain: get('domain') || env.JIRA_DOMAIN?.trim() || '',
        token: get('token') || env.JIRA_PAT?.trim() || '',
        username: get('username') || env.JIRA_USERNAME?.trim() || '',
        timeoutSeconds: get('timeout-seconds') || '30',
        retries: get('retries') || '2',
        allowInsecureHttp: get('allow-insecure-http') || 'false',
        summary: get('summary') || 'true',
        expectedUser: get('expected-user'),
        requiredPermissions: get('required-permissions'),
        project: get('project'),
        tokenName: get('token-name'),
        tokenExpiresOn: get('token-expires-on'),
        expiryWarningDays: get('expiry-warning-days') || '14',
        expiryErrorDays: get('expiry-error-days') || '0'
    };
}
/**
 * Every value that could reveal a secret, for masking before anything else runs: the raw token,
 * each whitespace-separated piece of it (the runner masks line by line), the value without a
 * pasted "Bearer " prefix or wrapping quotes, the Basic credential derived from it, and a password
 * written into `domain`. An unexpanded `${{ … }}` or `$VAR` is not a secret: masking it would
 * blank out the very fix the error message shows.
 */
function secretsToMask(raw) {
    const values = new Set();
    for (const password of urlPasswords(raw.domain ?? ''))
        values.add(password);
    const token = raw.token.trim();
    const username = unquote(raw.username.trim());
    const bare = stripBearer(unquote(token)).token;
    // Only the word "Bearer" and no token: nothing secret, and masking "Bearer" would blank the logs.
    if (!token || !bare || isUnexpanded(token, username !== ''))
        return [...values];
    values.add(raw.token);
    values.add(token);
    values.add(bare);
    // The runner masks a multi-line secret line by line; mask each piece of a token that (wrongly)
    // holds whitespace too. Short pieces are skipped so that common words do not vanish from logs.
    for (const piece of bare.split(/\s+/))
        if (piece.length >= 8)
            values.add(piece);
    if (username)
        values.add(basicCredential(username, bare));
    return [...values].filter((value) => value.length > 0);
}
/** base64(username:secret), the Basic credential: the one place it is derived. */
function basicCredential(username, secret) {
    return Buffer.from(`${username}:${secret}`, 'utf8').toString('base64');
}
/** A password in a URL (https://user:pw@host), as written and decoded. */
function urlPasswords(value) {
    const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@:]*:([^/?#@]*)@/.exec(value.trim());
    if (!match || !match[1])
        return [];
    let decoded = match[1];
    try {
        decoded = decodeURIComponent(match[1]);
    }
    catch {
        // A raw "%": the value as written is what would leak.
    }
    return [...new Set([match[1], decoded])];
}
/** A value wrapped in one pair of matching quotes, a common copy mistake, without them. */
function unquote(value) {
    const match = /^(["'])([\s\S]*)\1$/.exec(value);
    return match ? match[2].trim() : value;
}
/**
 * Never a real credential: a workflow expression or a shell variable that nobody expanded. With
 * Basic auth the value may be a password, and `$Winter2026` is a plausible one, so there only the
 * upper-case names that environment variables use count as unexpanded.
 */
function isUnexpanded(value, basic) {
    return (UNEXPANDED_EXPRESSION.test(value) || (basic ? UPPER_SHELL_VARIABLE : SHELL_VARIABLE).test(value));
}
function stripBearer(token) {
    const match = /^bearer(?:\s+|$)/i.exec(token);
    return match
        ? { token: token.slice(match[0].length), stripped: true }
        : { token, stripped: false };
}
const UNEXPANDED_EXPRESSION = /\$\{\{/;
const SHELL_VARIABLE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;
const UPPER_SHELL_VARIABLE = /^\$\{?[A-Z_][A-Z0-9_]*\}?$/;
/** A shell variable anywhere in a value, e.g. https://$HOST/jira. */
const EMBEDDED_SHELL_VARIABLE = /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/;
/**
 * Real tokens are 44 characters (Data Center PAT) to a few hundred (Cloud API token); OAuth access
 * tokens run to about 2,000. Tomcat, in front of every Data Center, refuses headers over 8 KiB by
 * default, so a longer value is not a token: more likely a file or several secrets pasted together.
 */
const MAX_TOKEN_LENGTH = 4096;
function rejectUnexpanded(input, value, shellVariable = SHELL_VARIABLE) {
    if (UNEXPANDED_EXPRESSION.test(value)) {
        throw invalid(input, `\`${input}\` contains "\${{", so a workflow expression was never expanded. ` +
            `Expressions work in \`with:\` and \`env:\` values, e.g. \`${input}: \${{ secrets.JIRA_PAT }}\`; ` +
            'they are not expanded inside a value that was already a string (a quoted secret, a file, a script).');
    }
    if (shellVariable.test(value)) {
        throw invalid(input, `\`${input}\` is the literal text "${value.replace(/[{}]/g, '')}", a shell variable that was never ` +
            'expanded: the runner does not expand `$VAR` in `with:` values. ' +
            `Use an expression instead, e.g. \`${input}: \${{ env.${value.replace(/[${}]/g, '')} }}\` or \${{ secrets.… }}.`);
    }
}
/** Names a character that has no place in a URL or a header, without echoing the value. */
function describeBadCharacter(value, allow = {}) {
    for (let index = 0; index < value.length; index++) {
        const code = value.charCodeAt(index);
        if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029)
            return { index, name: 'a line break' };
        if (code === 0x09)
            return { index, name: 'a tab' };
        if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
            return { index, name: `the control character U+${hex(code)}` };
        if (code === 0x20 && !allow.spaces)
            return { index, name: 'a space' };
        // No token has quotes in it (PATs are base64, Cloud tokens base64url, OAuth tokens JWTs): a
        // stray one is left over from copying a quoted value.
        if ((code === 0x22 || code === 0x27) && allow.quotes === false)
            return { index, name: `a quote (${value[index]})` };
        if (code > 0x7e && !allow.nonAscii)
            return { index, name: `the non-ASCII character U+${hex(code)}` };
    }
    return undefined;
}
function hex(code) {
    return code.toString(16).toUpperCase().padStart(4, '0');
}
/** Parses and validates every input. Throws InputError before any request is made. */
function parseSettings(raw, notes = []) {
    const domain = withoutQuotes('domain', raw.domain.trim(), notes);
    const token = withoutQuotes('token', raw.token.trim(), notes);
    if (!domain)
        throw missing('domain', missingText('domain', 'JIRA_DOMAIN', 'https://jira.example.com'));
    if (!token)
        throw missing('token', missingText('token', 'JIRA_PAT', '${{ secrets.JIRA_PAT }}'));
    const allowInsecureHttp = parseBoolean('allow-insecure-http', raw.allowInsecureHttp);
    const baseUrl = normaliseDomain(domain, allowInsecureHttp, notes);
    const username = parseUsername(withoutQuotes('username', raw.username.trim(), notes));
    const cleanToken = parseToken(token, username !== '', notes);
    return Object.freeze({
        baseUrl,
        token: cleanToken,
        username,
        authScheme: username ? 'basic' : 'bearer',
        timeoutSeconds: parseTimeout(raw.timeoutSeconds, notes),
        retries: parseRetries(raw.retries, notes),
        allowInsecureHttp,
        summary: parseBoolean('summary', raw.summary),
        expectedUsers: Object.freeze(parseList('expected-user', raw.expectedUser)),
        requiredPermissions: Object.freeze(settings_parsePermissions(raw.requiredPermissions)),
        project: parseProject(raw.project.trim()),
        tokenName: parseTokenName(raw.tokenName.trim()),
        tokenExpiresOn: parseDate(raw.tokenExpiresOn.trim()),
        expiryWarningDays: parseDays('expiry-warning-days', raw.expiryWarningDays),
        expiryErrorDays: parseDays('expiry-error-days', raw.expiryErrorDays)
    });
}
/** Strips one pair of wrapping quotes, with a warning: they come from a copy, never from Jira. */
function withoutQuotes(input, value, notes) {
    const clean = unquote(value);
    if (clean !== value) {
        notes.push({
            level: 'warning',
            message: `\`${input}\` was wrapped in quotes; they were removed. Store the value without quotes (in YAML, \`${input}: \${{ … }}\` needs none).`
        });
    }
    return clean;
}
function missingText(input, variable, example) {
    return (`\`${input}\` is empty, and so is the ${variable} environment variable it falls back to. ` +
        `Set it in the step, e.g. \`${input}: ${example}\`. If it comes from a secret, the secret was ` +
        'empty here: GitHub gives no secrets to workflows triggered from forks, Dependabot runs only see ' +
        'Dependabot secrets, and an environment secret is only in scope in a job that names that `environment:`.');
}
function normaliseDomain(value, allowInsecureHttp, notes) {
    rejectUnexpanded('domain', value);
    const variable = EMBEDDED_SHELL_VARIABLE.exec(value);
    if (variable) {
        throw invalid('domain', `\`domain\` contains "${variable[0]}", a shell variable that was never expanded: the runner does ` +
            'not expand `$VAR` in `with:` values. Use an expression such as `${{ vars.JIRA_DOMAIN }}`.');
    }
    const bad = describeBadCharacter(value);
    if (bad) {
        throw invalid('domain', `\`domain\` contains ${bad.name} at position ${bad.index + 1}. A Jira base URL is plain ASCII ` +
            'such as https://jira.example.com; retype it rather than copying it from a document ' +
            '(look-alike letters from other alphabets are a common cause).');
    }
    let text = value;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
    if (!scheme) {
        if (/^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)/.test(text)) {
            throw invalid('domain', `\`domain\` "${value}" is not an http(s) URL.`, 'https://jira.example.com');
        }
        text = `https://${text}`;
    }
    rejectBadPort(value, text);
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw invalid('domain', `\`domain\` "${value}" is not a valid URL` +
            (/^https?:\/\/[0-9a-f]*:[0-9a-f:]*:/i.test(text)
                ? '. An IPv6 address must be in brackets, e.g. https://[2001:db8::1]:8443.'
                : '.'), 'https://jira.example.com');
    }
    const protocol = url.protocol;
    const origin = `${protocol}//${url.host}`;
    const page = pagePath(url);
    // The base URL the user most likely meant: no credentials, no query or fragment, no page path.
    const base = `${origin}${page ? page.base : trimPath(url.pathname)}`;
    if (protocol !== 'https:' && protocol !== 'http:') {
        throw invalid('domain', `\`domain\` uses ${protocol.replace(':', '')}://; Jira's REST API is served over https://.`, `https://${url.host}${page ? page.base : trimPath(url.pathname)}`);
    }
    if (url.username || url.password) {
        throw invalid('domain', '`domain` contains credentials (user:password@). Pass the token in `token` (and the ' +
            'account in `username` for Jira Cloud), never in the URL.', base);
    }
    if (url.search || url.hash) {
        throw invalid('domain', `\`domain\` has a ${url.search ? 'query string' : 'fragment'}${page ? ` and the page path "${page.path}"` : ''}; give only the Jira base URL.`, base);
    }
    if (page) {
        throw invalid('domain', `\`domain\` includes the path "${page.path}"; give the Jira base URL ` +
            (page.cloud
                ? '(Jira Cloud has no context path: just the site) and the action adds the REST path itself.'
                : '(with its context path, if any) and the action adds the REST path itself.'), base);
    }
    if (protocol === 'http:' && !allowInsecureHttp) {
        throw invalid('domain', '`domain` uses http://, which would send the token in clear text. Use https://, or set ' +
            '`allow-insecure-http: true` if this really is a trusted network.', `https://${url.host}${trimPath(url.pathname)}`);
    }
    if (!scheme)
        notes.push({ level: 'notice', message: `\`domain\` has no scheme; using ${base}.` });
    if (protocol === 'http:') {
        notes.push({
            level: 'warning',
            message: 'allow-insecure-http is on: the token travels in clear text to ' + url.host + '.'
        });
    }
    return base;
}
/** Port 0 is not a port, and the URL parser accepts it; above 65535 it fails with a vague message. */
function rejectBadPort(value, text) {
    const port = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?=[/?#]|$)/.exec(text)?.[1];
    if (port === undefined)
        return;
    const number = Number(port);
    if (number >= 1 && number <= 65535)
        return;
    throw invalid('domain', `\`domain\` "${value}" has port ${port}; a port is a number from 1 to 65535 (HTTPS is 443, often left out; Jira's own default is 8080).`, text.replace(`:${port}`, ''));
}
/**
 * Paths of Jira pages and APIs, which people copy from the browser: everything from them on is
 * not part of the base URL. Jira Cloud has no context path at all, so there any path is a page.
 */
const PAGE_PATH = /\/(?:rest(?:\/|$)|secure\/|browse(?:\/|$)|projects\/[^/]|plugins\/servlet\/|servicedesk\/|issues(?:\/|$)|login\.jsp|logout(?:\/|$)|[^/]+\.jspa(?:$|[/?#]))/i;
function pagePath(url) {
    const pathname = url.pathname;
    if (isCloudHost(url.hostname)) {
        return trimPath(pathname) ? { path: pathname, base: '', cloud: true } : undefined;
    }
    const at = pathname.search(PAGE_PATH);
    if (at < 0)
        return undefined;
    return { path: pathname.slice(at), base: trimPath(pathname.slice(0, at)), cloud: false };
}
/** Jira Cloud sites: <site>.atlassian.net, and older <site>.jira.com. */
function isCloudHost(hostname) {
    return /\.(atlassian\.net|jira\.com)$/i.test(hostname);
}
function trimPath(pathname) {
    return pathname.replace(/\/+$/, '');
}
function parseUsername(value) {
    if (!value)
        return '';
    rejectUnexpanded('username', value);
    const bad = describeBadCharacter(value, { nonAscii: true });
    if (bad) {
        throw invalid('username', `\`username\` contains ${bad.name} at position ${bad.index + 1}.`);
    }
    if (value.includes(':')) {
        throw invalid('username', '`username` contains ":", which Basic auth cannot carry. For Jira Cloud use the account email, ' +
            'e.g. ci-bot@example.com, and put the API token in `token`.');
    }
    return value;
}
function parseToken(value, basic, notes) {
    rejectUnexpanded('token', value, basic ? UPPER_SHELL_VARIABLE : SHELL_VARIABLE);
    const { token, stripped } = stripBearer(value);
    if (stripped) {
        notes.push({
            level: 'warning',
            message: '`token` starts with "Bearer "; the action adds that itself, so it was removed. Store only the token in the secret.'
        });
    }
    if (!token || /^bearer$/i.test(token))
        throw missing('token', '`token` holds only the word "Bearer" and no token.');
    if (token.length > MAX_TOKEN_LENGTH) {
        throw invalid('token', `\`token\` is ${token.length} characters long. Jira tokens are 44 (a Data Center PAT) to a few hundred ` +
            `characters (a Cloud API token); anything over ${MAX_TOKEN_LENGTH} is something else, such as a whole file ` +
            'or several values pasted into one secret. Put only the token in the secret.');
    }
    // A Basic password is UTF-8 inside base64, so it may hold any printable character; a Bearer
    // token travels as a header value as it is, and Jira splits it on spaces.
    const bad = describeBadCharacter(token, basic ? { spaces: true, nonAscii: true } : { quotes: false });
    if (bad) {
        throw invalid('token', `\`token\` contains ${bad.name} at position ${bad.index + 1} of ${token.length}. A token is a ` +
            `single line of ${basic ? 'text' : 'ASCII'}: re-copy it from Jira and update the secret (a stray newline or a ` +
            'second value pasted into the secret are the usual causes).');
    }
    return token;
}
function parseBoolean(input, value) {
    const text = value.trim().toLowerCase();
    if (text === 'true')
        return true;
    if (text === 'false')
        return false;
    throw invalid(input, `\`${input}\` is "${value.trim()}"; use true or false.`);
}
function parseTimeout(value, notes) {
    const text = value.trim();
    if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) {
        throw invalid('timeout-seconds', `\`timeout-seconds\` is "${text}"; use a positive number of seconds, e.g. 30.`);
    }
    const seconds = Number(text);
    if (seconds > MAX_TIMEOUT_SECONDS) {
        notes.push({
            level: 'warning',
            message: `timeout-seconds ${text} is more than ${MAX_TIMEOUT_SECONDS}; using ${MAX_TIMEOUT_SECONDS}.`
        });
        return MAX_TIMEOUT_SECONDS;
    }
    return seconds;
}
function parseRetries(value, notes) {
    const text = value.trim();
    if (!/^\d+$/.test(text)) {
        throw invalid('retries', `\`retries\` is "${text}"; use a whole number from 0 to ${MAX_RETRIES}, e.g. 2.`);
    }
    const retries = Number(text);
    if (retries > MAX_RETRIES) {
        notes.push({
            level: 'warning',
            message: `retries ${text} is more than ${MAX_RETRIES}; using ${MAX_RETRIES}. Retrying harder does not help a token that does not work.`
        });
        return MAX_RETRIES;
    }
    return retries;
}
function parseDays(input, value) {
    const text = value.trim();
    if (!/^\d+$/.test(text)) {
        throw invalid(input, `\`${input}\` is "${text}"; use a whole number of days, e.g. 14 (0 turns it off).`);
    }
    return Number(text);
}
/** Splits a comma- or newline-separated list, dropping blanks. */
function parseList(input, value) {
    const items = value
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    for (const item of items)
        rejectUnexpanded(input, item);
    return [...new Set(items)];
}
function settings_parsePermissions(value) {
    const keys = parseList('required-permissions', value).map((key) => key.toUpperCase());
    for (const key of keys) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(key)) {
            throw invalid('required-permissions', `\`required-permissions\` has "${key}", which is not a Jira permission key. Keys look like ` +
                'BROWSE_PROJECTS or TRANSITION_ISSUES, separated by commas or new lines.');
        }
    }
    return [...new Set(keys)];
}
function parseProject(value) {
    if (!value)
        return '';
    rejectUnexpanded('project', value);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value) && !/^\d+$/.test(value)) {
        throw invalid('project', `\`project\` is "${value}"; use a project key such as ABC (letters, digits and _, starting with a letter) or a numeric project id.`);
    }
    return /^\d+$/.test(value) ? value : value.toUpperCase();
}
function parseTokenName(value) {
    if (value)
        rejectUnexpanded('token-name', value);
    return value;
}
function parseDate(value) {
    if (!value)
        return undefined;
    rejectUnexpanded('token-expires-on', value);
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
    const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
    if ((!dateOnly && !dateTime) ||
        Number.isNaN(date.getTime()) ||
        (dateOnly && date.toISOString().slice(0, 10) !== value)) {
        throw invalid('token-expires-on', `\`token-expires-on\` is "${value}"; use an ISO date such as 2027-03-31 (or 2027-03-31T12:00:00Z).`);
    }
    return date;
}

;// CONCATENATED MODULE: ./src/version.ts
/** Kept equal to package.json's version by __tests__/version.test.ts. */
const VERSION = '1.0.0';
const USER_AGENT = `jira-auth-check/${VERSION} (+https://github.com/jira-auth-check/jira-auth-check)`;

;// CONCATENATED MODULE: ./src/main.ts







function authorization(settings) {
    if (settings.authScheme === 'bearer')
        return `Bearer ${settings.token}`; // Jira matches "Bearer" case-sensitively.
    return `Basic ${basicCredential(settings.username, settings.token)}`;
}
/** Set once the outputs, annotations and summary are written. */
let reported = false;
/**
 * The deadline is enforced in every phase of every request; this is the net under it. Should
 * anything (a bug, a handle Node keeps open) outlive the deadline by 2 s, the process ends rather
 * than hang the job. The timer is unref'd, so a run that finishes normally never waits for it.
 */
function armWatchdog(deadlineAt) {
    const timer = setTimeout(() => {
        if (!reported) {
            try {
                core/* setOutput */.uH('status', 'failed');
                core/* setOutput */.uH('error-code', 'timeout');
            }
            catch {
                // The outputs file is broken too; the annotation below still reaches the log.
            }
            core/* error */.z3('jira-auth-check did not finish within timeout-seconds; it stopped itself.');
            process.exitCode = 1;
        }
        process.exit(process.exitCode ?? 0);
    }, Math.max(0, deadlineAt - Date.now()) + 2000);
    timer.unref();
}
/**
 * NODE_TLS_REJECT_UNAUTHORIZED=0 would switch certificate checks off for the whole process. Every
 * connection verifies explicitly anyway; dropping the variable also keeps Node from printing its
 * own "TLS verification disabled" warning, which would be untrue here.
 */
function ignoreTlsOverride(notes) {
    if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === undefined)
        return;
    if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
        notes.push({
            level: 'warning',
            message: 'NODE_TLS_REJECT_UNAUTHORIZED=0 is set, and was ignored: jira-auth-check always verifies the certificate, so the token never goes to a server it cannot authenticate. For a private CA, set NODE_EXTRA_CA_CERTS to its PEM file instead.'
        });
    }
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
}
/** settings → check → report. The only place that decides how the step ends. */
async function run() {
    const secrets = [];
    const mask = (values) => {
        for (const secret of values) {
            core/* setSecret */.Pq(secret);
            secrets.push(secret);
        }
    };
    try {
        const raw = readRawInputs();
        // Mask first, before any input is validated or echoed: the token and what derives from it, a
        // password in `domain`, and the proxy's password (NODE_DEBUG output and proxy errors show it).
        mask(secretsToMask(raw));
        mask(proxySecrets(process.env));
        const notes = [];
        ignoreTlsOverride(notes);
        let settings;
        try {
            settings = parseSettings(raw, notes);
        }
        catch (error) {
            if (!(error instanceof InputError))
                throw error;
            emitNotes(notes, redactor(secrets));
            await report(failedResult(error.failure), undefined, secrets);
            reported = true;
            return;
        }
        emitNotes(notes, redactor(secrets));
        // timeout-seconds bounds the whole step, Node's own start-up included: count from process start.
        const deadlineAt = performance.timeOrigin + settings.timeoutSeconds * 1000;
        armWatchdog(deadlineAt);
        const redact = redactor(secrets);
        const get = createClient({
            baseUrl: settings.baseUrl,
            authorization: authorization(settings),
            userAgent: USER_AGENT,
            deadlineAt,
            retries: settings.retries,
            proxyEnv: process.env,
            log: (line) => logLine(line, redact)
        });
        const result = await runCheck(settings, { get, now: () => new Date() });
        const route = proxyFor(new URL(settings.baseUrl), process.env);
        if (route.kind === 'proxy')
            result.context.proxy = route.origin;
        await report(result, settings, secrets);
        reported = true;
    }
    catch (error) {
        // A bug, not an auth failure: say so, and keep the stack for debug logs.
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof Error && error.stack)
            core/* debug */.Yz(redactor(secrets)(error.stack));
        await report(failedResult({ code: 'internal-error', evidence: { detail: message } }), undefined, secrets);
        reported = true;
    }
}


/***/ }),

/***/ 473:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Yz: () => (/* binding */ core_debug),
  z3: () => (/* binding */ error),
  V4: () => (/* binding */ getInput),
  pq: () => (/* binding */ info),
  lm: () => (/* binding */ notice),
  uH: () => (/* binding */ setOutput),
  Pq: () => (/* binding */ core_setSecret),
  z: () => (/* reexport */ summary),
  $e: () => (/* binding */ warning)
});

// UNUSED EXPORTS: ExitCode, addPath, endGroup, exportVariable, getBooleanInput, getIDToken, getMultilineInput, getState, group, isDebug, markdownSummary, platform, saveState, setCommandEcho, setFailed, startGroup, toPlatformPath, toPosixPath, toWin32Path

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/auth.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class auth_BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class oidc_utils_OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(oidc_utils_OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = oidc_utils_OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = oidc_utils_OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield oidc_utils_OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_namespaceObject.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = _summary;
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, path.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: external "string_decoder"
const external_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");
;// CONCATENATED MODULE: external "events"
const external_events_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");
;// CONCATENATED MODULE: external "child_process"
const external_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");
;// CONCATENATED MODULE: external "assert"
const external_assert_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var io_util_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return io_util_awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "timers"
const external_timers_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/toolrunner.js
var toolrunner_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};







/* eslint-disable @typescript-eslint/unbound-method */
const toolrunner_IS_WINDOWS = process.platform === 'win32';
/*
 * Class for running command line tools. Handles quoting and arg parsing in a platform agnostic way.
 */
class ToolRunner extends external_events_namespaceObject.EventEmitter {
    constructor(toolPath, args, options) {
        super();
        if (!toolPath) {
            throw new Error("Parameter 'toolPath' cannot be null or empty.");
        }
        this.toolPath = toolPath;
        this.args = args || [];
        this.options = options || {};
    }
    _debug(message) {
        if (this.options.listeners && this.options.listeners.debug) {
            this.options.listeners.debug(message);
        }
    }
    _getCommandString(options, noPrefix) {
        const toolPath = this._getSpawnFileName();
        const args = this._getSpawnArgs(options);
        let cmd = noPrefix ? '' : '[command]'; // omit prefix when piped to a second tool
        if (toolrunner_IS_WINDOWS) {
            // Windows + cmd file
            if (this._isCmdFile()) {
                cmd += toolPath;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows + verbatim
            else if (options.windowsVerbatimArguments) {
                cmd += `"${toolPath}"`;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows (regular)
            else {
                cmd += this._windowsQuoteCmdArg(toolPath);
                for (const a of args) {
                    cmd += ` ${this._windowsQuoteCmdArg(a)}`;
                }
            }
        }
        else {
            // OSX/Linux - this can likely be improved with some form of quoting.
            // creating processes on Unix is fundamentally different than Windows.
            // on Unix, execvp() takes an arg array.
            cmd += toolPath;
            for (const a of args) {
                cmd += ` ${a}`;
            }
        }
        return cmd;
    }
    _processLineBuffer(data, strBuffer, onLine) {
        try {
            let s = strBuffer + data.toString();
            let n = s.indexOf(external_os_namespaceObject.EOL);
            while (n > -1) {
                const line = s.substring(0, n);
                onLine(line);
                // the rest of the string ...
                s = s.substring(n + external_os_namespaceObject.EOL.length);
                n = s.indexOf(external_os_namespaceObject.EOL);
            }
            return s;
        }
        catch (err) {
            // streaming lines to console is best effort.  Don't fail a build.
            this._debug(`error processing line. Failed with error ${err}`);
            return '';
        }
    }
    _getSpawnFileName() {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                return process.env['COMSPEC'] || 'cmd.exe';
            }
        }
        return this.toolPath;
    }
    _getSpawnArgs(options) {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
                for (const a of this.args) {
                    argline += ' ';
                    argline += options.windowsVerbatimArguments
                        ? a
                        : this._windowsQuoteCmdArg(a);
                }
                argline += '"';
                return [argline];
            }
        }
        return this.args;
    }
    _endsWith(str, end) {
        return str.endsWith(end);
    }
    _isCmdFile() {
        const upperToolPath = this.toolPath.toUpperCase();
        return (this._endsWith(upperToolPath, '.CMD') ||
            this._endsWith(upperToolPath, '.BAT'));
    }
    _windowsQuoteCmdArg(arg) {
        // for .exe, apply the normal quoting rules that libuv applies
        if (!this._isCmdFile()) {
            return this._uvQuoteCmdArg(arg);
        }
        // otherwise apply quoting rules specific to the cmd.exe command line parser.
        // the libuv rules are generic and are not designed specifically for cmd.exe
        // command line parser.
        //
        // for a detailed description of the cmd.exe command line parser, refer to
        // http://stackoverflow.com/questions/4094699/how-does-the-windows-command-interpreter-cmd-exe-parse-scripts/7970912#7970912
        // need quotes for empty arg
        if (!arg) {
            return '""';
        }
        // determine whether the arg needs to be quoted
        const cmdSpecialChars = [
            ' ',
            '\t',
            '&',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '^',
            '=',
            ';',
            '!',
            "'",
            '+',
            ',',
            '`',
            '~',
            '|',
            '<',
            '>',
            '"'
        ];
        let needsQuotes = false;
        for (const char of arg) {
            if (cmdSpecialChars.some(x => x === char)) {
                needsQuotes = true;
                break;
            }
        }
        // short-circuit if quotes not needed
        if (!needsQuotes) {
            return arg;
        }
        // the following quoting rules are very similar to the rules that by libuv applies.
        //
        // 1) wrap the string in quotes
        //
        // 2) double-up quotes - i.e. " => ""
        //
        //    this is different from the libuv quoting rules. libuv replaces " with \", which unfortunately
        //    doesn't work well with a cmd.exe command line.
        //
        //    note, replacing " with "" also works well if the arg is passed to a downstream .NET console app.
        //    for example, the command line:
        //          foo.exe "myarg:""my val"""
        //    is parsed by a .NET console app into an arg array:
        //          [ "myarg:\"my val\"" ]
        //    which is the same end result when applying libuv quoting rules. although the actual
        //    command line from libuv quoting rules would look like:
        //          foo.exe "myarg:\"my val\""
        //
        // 3) double-up slashes that precede a quote,
        //    e.g.  hello \world    => "hello \world"
        //          hello\"world    => "hello\\""world"
        //          hello\\"world   => "hello\\\\""world"
        //          hello world\    => "hello world\\"
        //
        //    technically this is not required for a cmd.exe command line, or the batch argument parser.
        //    the reasons for including this as a .cmd quoting rule are:
        //
        //    a) this is optimized for the scenario where the argument is passed from the .cmd file to an
        //       external program. many programs (e.g. .NET console apps) rely on the slash-doubling rule.
        //
        //    b) it's what we've been doing previously (by deferring to node default behavior) and we
        //       haven't heard any complaints about that aspect.
        //
        // note, a weakness of the quoting rules chosen here, is that % is not escaped. in fact, % cannot be
        // escaped when used on the command line directly - even though within a .cmd file % can be escaped
        // by using %%.
        //
        // the saving grace is, on the command line, %var% is left as-is if var is not defined. this contrasts
        // the line parsing rules within a .cmd file, where if var is not defined it is replaced with nothing.
        //
        // one option that was explored was replacing % with ^% - i.e. %var% => ^%var^%. this hack would
        // often work, since it is unlikely that var^ would exist, and the ^ character is removed when the
        // variable is used. the problem, however, is that ^ is not removed when %* is used to pass the args
        // to an external program.
        //
        // an unexplored potential solution for the % escaping problem, is to create a wrapper .cmd file.
        // % can be escaped within a .cmd file.
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\'; // double the slash
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '"'; // double the quote
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _uvQuoteCmdArg(arg) {
        // Tool runner wraps child_process.spawn() and needs to apply the same quoting as
        // Node in certain cases where the undocumented spawn option windowsVerbatimArguments
        // is used.
        //
        // Since this function is a port of quote_cmd_arg from Node 4.x (technically, lib UV,
        // see https://github.com/nodejs/node/blob/v4.x/deps/uv/src/win/process.c for details),
        // pasting copyright notice from Node within this function:
        //
        //      Copyright Joyent, Inc. and other Node contributors. All rights reserved.
        //
        //      Permission is hereby granted, free of charge, to any person obtaining a copy
        //      of this software and associated documentation files (the "Software"), to
        //      deal in the Software without restriction, including without limitation the
        //      rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
        //      sell copies of the Software, and to permit persons to whom the Software is
        //      furnished to do so, subject to the following conditions:
        //
        //      The above copyright notice and this permission notice shall be included in
        //      all copies or substantial portions of the Software.
        //
        //      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        //      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        //      FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        //      AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        //      LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
        //      FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
        //      IN THE SOFTWARE.
        if (!arg) {
            // Need double quotation for empty argument
            return '""';
        }
        if (!arg.includes(' ') && !arg.includes('\t') && !arg.includes('"')) {
            // No quotation needed
            return arg;
        }
        if (!arg.includes('"') && !arg.includes('\\')) {
            // No embedded double quotes or backslashes, so I can just wrap
            // quote marks around the whole thing.
            return `"${arg}"`;
        }
        // Expected input/output:
        //   input : hello"world
        //   output: "hello\"world"
        //   input : hello""world
        //   output: "hello\"\"world"
        //   input : hello\world
        //   output: hello\world
        //   input : hello\\world
        //   output: hello\\world
        //   input : hello\"world
        //   output: "hello\\\"world"
        //   input : hello\\"world
        //   output: "hello\\\\\"world"
        //   input : hello world\
        //   output: "hello world\\" - note the comment in libuv actually reads "hello world\"
        //                             but it appears the comment is wrong, it should be "hello world\\"
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\';
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '\\';
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _cloneExecOptions(options) {
        options = options || {};
        const result = {
            cwd: options.cwd || process.cwd(),
            env: options.env || process.env,
            silent: options.silent || false,
            windowsVerbatimArguments: options.windowsVerbatimArguments || false,
            failOnStdErr: options.failOnStdErr || false,
            ignoreReturnCode: options.ignoreReturnCode || false,
            delay: options.delay || 10000
        };
        result.outStream = options.outStream || process.stdout;
        result.errStream = options.errStream || process.stderr;
        return result;
    }
    _getSpawnOptions(options, toolPath) {
        options = options || {};
        const result = {};
        result.cwd = options.cwd;
        result.env = options.env;
        result['windowsVerbatimArguments'] =
            options.windowsVerbatimArguments || this._isCmdFile();
        if (options.windowsVerbatimArguments) {
            result.argv0 = `"${toolPath}"`;
        }
        return result;
    }
    /**
     * Exec a tool.
     * Output will be streamed to the live console.
     * Returns promise with return code
     *
     * @param     tool     path to tool to exec
     * @param     options  optional exec options.  See ExecOptions
     * @returns   number
     */
    exec() {
        return toolrunner_awaiter(this, void 0, void 0, function* () {
            // root the tool path if it is unrooted and contains relative pathing
            if (!isRooted(this.toolPath) &&
                (this.toolPath.includes('/') ||
                    (toolrunner_IS_WINDOWS && this.toolPath.includes('\\')))) {
                // prefer options.cwd if it is specified, however options.cwd may also need to be rooted
                this.toolPath = external_path_namespaceObject.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
            }
            // if the tool is only a file name, then resolve it from the PATH
            // otherwise verify it exists (add extension on Windows if necessary)
            this.toolPath = yield which(this.toolPath, true);
            return new Promise((resolve, reject) => toolrunner_awaiter(this, void 0, void 0, function* () {
                this._debug(`exec tool: ${this.toolPath}`);
                this._debug('arguments:');
                for (const arg of this.args) {
                    this._debug(`   ${arg}`);
                }
                const optionsNonNull = this._cloneExecOptions(this.options);
                if (!optionsNonNull.silent && optionsNonNull.outStream) {
                    optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + external_os_namespaceObject.EOL);
                }
                const state = new ExecState(optionsNonNull, this.toolPath);
                state.on('debug', (message) => {
                    this._debug(message);
                });
                if (this.options.cwd && !(yield exists(this.options.cwd))) {
                    return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
                }
                const fileName = this._getSpawnFileName();
                const cp = external_child_process_namespaceObject.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
                let stdbuffer = '';
                if (cp.stdout) {
                    cp.stdout.on('data', (data) => {
                        if (this.options.listeners && this.options.listeners.stdout) {
                            this.options.listeners.stdout(data);
                        }
                        if (!optionsNonNull.silent && optionsNonNull.outStream) {
                            optionsNonNull.outStream.write(data);
                        }
                        stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.stdline) {
                                this.options.listeners.stdline(line);
                            }
                        });
                    });
                }
                let errbuffer = '';
                if (cp.stderr) {
                    cp.stderr.on('data', (data) => {
                        state.processStderr = true;
                        if (this.options.listeners && this.options.listeners.stderr) {
                            this.options.listeners.stderr(data);
                        }
                        if (!optionsNonNull.silent &&
                            optionsNonNull.errStream &&
                            optionsNonNull.outStream) {
                            const s = optionsNonNull.failOnStdErr
                                ? optionsNonNull.errStream
                                : optionsNonNull.outStream;
                            s.write(data);
                        }
                        errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.errline) {
                                this.options.listeners.errline(line);
                            }
                        });
                    });
                }
                cp.on('error', (err) => {
                    state.processError = err.message;
                    state.processExited = true;
                    state.processClosed = true;
                    state.CheckComplete();
                });
                cp.on('exit', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                cp.on('close', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    state.processClosed = true;
                    this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                state.on('done', (error, exitCode) => {
                    if (stdbuffer.length > 0) {
                        this.emit('stdline', stdbuffer);
                    }
                    if (errbuffer.length > 0) {
                        this.emit('errline', errbuffer);
                    }
                    cp.removeAllListeners();
                    if (error) {
                        reject(error);
                    }
                    else {
                        resolve(exitCode);
                    }
                });
                if (this.options.input) {
                    if (!cp.stdin) {
                        throw new Error('child process missing stdin');
                    }
                    cp.stdin.end(this.options.input);
                }
            }));
        });
    }
}
/**
 * Convert an arg string to an array of args. Handles escaping
 *
 * @param    argString   string of arguments
 * @returns  string[]    array of arguments
 */
function argStringToArray(argString) {
    const args = [];
    let inQuotes = false;
    let escaped = false;
    let arg = '';
    function append(c) {
        // we only escape double quotes.
        if (escaped && c !== '"') {
            arg += '\\';
        }
        arg += c;
        escaped = false;
    }
    for (let i = 0; i < argString.length; i++) {
        const c = argString.charAt(i);
        if (c === '"') {
            if (!escaped) {
                inQuotes = !inQuotes;
            }
            else {
                append(c);
            }
            continue;
        }
        if (c === '\\' && escaped) {
            append(c);
            continue;
        }
        if (c === '\\' && inQuotes) {
            escaped = true;
            continue;
        }
        if (c === ' ' && !inQuotes) {
            if (arg.length > 0) {
                args.push(arg);
                arg = '';
            }
            continue;
        }
        append(c);
    }
    if (arg.length > 0) {
        args.push(arg.trim());
    }
    return args;
}
class ExecState extends external_events_namespaceObject.EventEmitter {
    constructor(options, toolPath) {
        super();
        this.processClosed = false; // tracks whether the process has exited and stdio is closed
        this.processError = '';
        this.processExitCode = 0;
        this.processExited = false; // tracks whether the process has exited
        this.processStderr = false; // tracks whether stderr was written to
        this.delay = 10000; // 10 seconds
        this.done = false;
        this.timeout = null;
        if (!toolPath) {
            throw new Error('toolPath must not be empty');
        }
        this.options = options;
        this.toolPath = toolPath;
        if (options.delay) {
            this.delay = options.delay;
        }
    }
    CheckComplete() {
        if (this.done) {
            return;
        }
        if (this.processClosed) {
            this._setResult();
        }
        else if (this.processExited) {
            this.timeout = (0,external_timers_namespaceObject.setTimeout)(ExecState.HandleTimeout, this.delay, this);
        }
    }
    _debug(message) {
        this.emit('debug', message);
    }
    _setResult() {
        // determine whether there is an error
        let error;
        if (this.processExited) {
            if (this.processError) {
                error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
            }
            else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
                error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
            }
            else if (this.processStderr && this.options.failOnStdErr) {
                error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
            }
        }
        // clear the timeout
        if (this.timeout) {
            clearTimeout(this.timeout);
            this.timeout = null;
        }
        this.done = true;
        this.emit('done', error, this.processExitCode);
    }
    static HandleTimeout(state) {
        if (state.done) {
            return;
        }
        if (!state.processClosed && state.processExited) {
            const message = `The STDIO streams did not close within ${state.delay / 1000} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
            state._debug(message);
        }
        state._setResult();
    }
}
//# sourceMappingURL=toolrunner.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/exec.js
var exec_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


/**
 * Exec a command.
 * Output will be streamed to the live console.
 * Returns promise with return code
 *
 * @param     commandLine        command to execute (can include additional args). Must be correctly escaped.
 * @param     args               optional arguments for tool. Escaping is handled by the lib.
 * @param     options            optional exec options.  See ExecOptions
 * @returns   Promise<number>    exit code
 */
function exec_exec(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        const commandArgs = tr.argStringToArray(commandLine);
        if (commandArgs.length === 0) {
            throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
        }
        // Path to tool to execute should be first arg
        const toolPath = commandArgs[0];
        args = commandArgs.slice(1).concat(args || []);
        const runner = new tr.ToolRunner(toolPath, args, options);
        return runner.exec();
    });
}
/**
 * Exec a command and get the output.
 * Output will be streamed to the live console.
 * Returns promise with the exit code and collected stdout and stderr
 *
 * @param     commandLine           command to execute (can include additional args). Must be correctly escaped.
 * @param     args                  optional arguments for tool. Escaping is handled by the lib.
 * @param     options               optional exec options.  See ExecOptions
 * @returns   Promise<ExecOutput>   exit code, stdout, and stderr
 */
function getExecOutput(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        var _a, _b;
        let stdout = '';
        let stderr = '';
        //Using string decoder covers the case where a mult-byte character is split
        const stdoutDecoder = new StringDecoder('utf8');
        const stderrDecoder = new StringDecoder('utf8');
        const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
        const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
        const stdErrListener = (data) => {
            stderr += stderrDecoder.write(data);
            if (originalStdErrListener) {
                originalStdErrListener(data);
            }
        };
        const stdOutListener = (data) => {
            stdout += stdoutDecoder.write(data);
            if (originalStdoutListener) {
                originalStdoutListener(data);
            }
        };
        const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
        const exitCode = yield exec_exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
        //flush any remaining characters
        stdout += stdoutDecoder.end();
        stderr += stderrDecoder.end();
        return {
            exitCode,
            stdout,
            stderr
        };
    });
}
//# sourceMappingURL=exec.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield exec.getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield exec.getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function core_setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function core_debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    command_issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    command_issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 

//# sourceMappingURL=index.js.map