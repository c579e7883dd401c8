// Bodies of the "ugly" responses: Tomcat and nginx error pages, Jira's own auth error page, the login
// page, and the XML variant of the atlassian-rest Status entity.

const TOMCAT_STYLE =
  'body {font-family:Tahoma,Arial,sans-serif;} h1, h2, h3, b {color:white;background-color:#525D76;} h1 {font-size:22px;} h2 {font-size:16px;} h3 {font-size:14px;} p {font-size:12px;} a {color:black;} .line {height:1px;background-color:#525D76;border:none;}'

const TOMCAT_REASONS = {
  400: [
    'Bad Request',
    'The server cannot or will not process the request due to something that is perceived to be a client error.'
  ],
  401: [
    'Unauthorized',
    'The request has not been applied because it lacks valid authentication credentials for the target resource.'
  ],
  403: ['Forbidden', 'The server understood the request but refuses to authorize it.'],
  404: [
    'Not Found',
    'The origin server did not find a current representation for the target resource or is not willing to disclose that one exists.'
  ],
  405: [
    'Method Not Allowed',
    'The method received in the request-line is known by the origin server but not supported by the target resource.'
  ],
  429: [
    'Too Many Requests',
    'The user has sent too many requests in a given amount of time (&quot;rate limiting&quot;).'
  ],
  500: [
    'Internal Server Error',
    'The server encountered an unexpected condition that prevented it from fulfilling the request.'
  ],
  502: [
    'Bad Gateway',
    'The server, while acting as a gateway or proxy, received an invalid response from an inbound server it accessed while attempting to fulfill the request.'
  ],
  503: [
    'Service Unavailable',
    'The server is currently unable to handle the request due to a temporary overload or scheduled maintenance, which will likely be alleviated after some delay.'
  ],
  504: [
    'Gateway Timeout',
    'The server, while acting as a gateway or proxy, did not receive a timely response from an upstream server it needed to access in order to complete the request.'
  ]
}

/** @param {number} status */
export function reasonPhrase(status) {
  return (TOMCAT_REASONS[/** @type {keyof typeof TOMCAT_REASONS} */ (status)] ?? ['Error', ''])[0]
}

/**
 * Apache Tomcat 9's error page. The 429 variant is a capture from Jira DC behind Tomcat 9.0.95
 * (ahungry/org-jira#365, 2024-12); the same layout serves 404 for paths Jira does not have [guess].
 * @param {number} status
 * @param {string} [message]
 */
export function tomcatErrorPage(status, message) {
  const [reason, description] = TOMCAT_REASONS[
    /** @type {keyof typeof TOMCAT_REASONS} */ (status)
  ] ?? ['Error', '']
  const title = `HTTP Status ${status} – ${reason}`
  const messageLine = message ? `<p><b>Message</b> ${message}</p>` : ''
  return (
    `<!doctype html><html lang="en"><head><title>${title}</title><style type="text/css">${TOMCAT_STYLE}</style></head>` +
    `<body><h1>${title}</h1><hr class="line" /><p><b>Type</b> Status Report</p>${messageLine}` +
    `<p><b>Description</b> ${description}</p><hr class="line" /><h3>Apache Tomcat/9.0.95</h3></body></html>`
  )
}

/** nginx-style proxy error page (502/504 from a reverse proxy in front of Jira) [guess]. */
export function nginxErrorPage(/** @type {number} */ status) {
  const text = status === 504 ? '504 Gateway Time-out' : `${status} ${reasonPhrase(status)}`
  return `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

/**
 * Jira's own error page for Seraph's Basic-auth failures (layout from GothenburgBitFactory/bugwarrior#689;
 * the "Basic Authentication Failure - Reason : …" line verbatim from
 * dotnetfactory/openproject-jira-importer#41).
 * @param {401 | 403} status
 * @param {string} reason
 * @param {string} contextPath
 */
export function jiraAuthErrorPage(status, reason, contextPath) {
  const label = status === 401 ? 'Unauthorized' : 'Forbidden'
  return `<html>
<head>
    <title>${label} (${status})</title>
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
    <meta name="decorator" content="none">
</head>
<body class="aui-page-notice">
<div class="aui-page-panel"><div class="aui-page-panel-inner"><section class="aui-page-panel-content">
<h1>${label} (${status})</h1>
<div class="aui-message aui-message-warning warning">
<p>Encountered a <code>&quot;${status} - ${label}&quot;</code> error while loading this page.</p>
<p>Basic Authentication Failure - Reason : ${reason}</p>
<p><a href="${contextPath}/secure/MyJiraHome.jspa">Go to Jira home</a></p>
</div>
</section></div></div>
</body>
</html>
`
}

/**
 * Jira's login page served with 200, what a client gets after following an SSO or proxy redirect
 * (modelled on the Jira 9.12.12 page in Qytera-Gmbh/cypress-xray-plugin#511).
 * @param {{ version: string, buildNumber: number, contextPath: string }} o
 */
export function jiraLoginPage(o) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log in - Jira</title><meta name="application-name" content="JIRA" data-name="jira" data-version="${o.version}"><meta name="ajs-context-path" content="${o.contextPath}"><meta name="ajs-version-number" content="${o.version}"><meta name="ajs-build-number" content="${o.buildNumber}"><meta name="ajs-server-scheme" content="https"></head><body id="jira" class="aui-layout aui-theme-default page-type-login"><div id="page"><section id="content" role="main"><div class="aui-page-panel"><div class="aui-page-panel-inner"><section class="aui-page-panel-content"><h1>Welcome to Jira</h1><form id="login-form" action="${o.contextPath}/login.jsp" method="post" class="aui"><div class="field-group"><label for="login-form-username">Username</label><input class="text medium-field" id="login-form-username" name="os_username" type="text"></div><div class="field-group"><label for="login-form-password">Password</label><input class="text medium-field" id="login-form-password" name="os_password" type="password"></div><div class="buttons-container"><input class="aui-button aui-button-primary" id="login-form-submit" name="login" type="submit" value="Log In"></div><input type="hidden" name="os_destination" value="/rest/api/2/myself"></form></section></div></div></section></div></body></html>`
}

/**
 * The atlassian-rest `Status` entity as XML, what a 401 carries when Accept does not ask for JSON
 * (confirmed on DC 10.3.5, JSDSERVER-16194).
 */
export function statusXml(/** @type {number} */ status, /** @type {string} */ message) {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><status><status-code>${status}</status-code><message>${message}</message></status>`
}
