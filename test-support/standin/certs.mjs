// Test PKI for the Jira stand-in, generated at runtime (nothing secret is ever committed).
// RSA keys come from node:crypto (fast, native); node-forge only builds and signs the X.509 certs.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import forge from 'node-forge'

const DAY = 24 * 60 * 60 * 1000

function newKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' }
  })
  return { keyPem: privateKey, publicKeyPem: publicKey }
}

function serial() {
  // Positive serial: clear the top bit.
  const bytes = randomBytes(16)
  bytes[0] &= 0x7f
  bytes[0] |= 0x01
  return bytes.toString('hex')
}

/**
 * @param {{ cn: string, publicKeyPem: string, signer: { certPem?: string, keyPem: string },
 *   isCa?: boolean, sans?: Array<{ dns?: string, ip?: string }>, notBefore: Date, notAfter: Date }} o
 */
function makeCert(o) {
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(o.publicKeyPem)
  cert.serialNumber = serial()
  cert.validity.notBefore = o.notBefore
  cert.validity.notAfter = o.notAfter
  const subject = [
    { name: 'commonName', value: o.cn },
    { name: 'organizationName', value: 'jira-auth-check test stand-in' }
  ]
  cert.setSubject(subject)
  const issuerCert = o.signer.certPem ? forge.pki.certificateFromPem(o.signer.certPem) : undefined
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject)
  /** @type {Array<Record<string, unknown>>} */
  const extensions = [{ name: 'subjectKeyIdentifier' }]
  if (issuerCert) {
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes()
    })
  }
  if (o.isCa) {
    extensions.push(
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
    )
  } else {
    extensions.push(
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: (o.sans ?? []).map((san) =>
          san.ip ? { type: 7, ip: san.ip } : { type: 2, value: san.dns }
        )
      }
    )
  }
  cert.setExtensions(extensions)
  cert.sign(forge.pki.privateKeyFromPem(o.signer.keyPem), forge.md.sha256.create())
  return forge.pki.certificateToPem(cert)
}

/**
 * Names every leaf is valid for: the loopback names, the two test host names, and the Atlassian Cloud
 * names a Cloud stand-in answers for through the CONNECT proxy (every site under *.atlassian.net, the
 * api.atlassian.com gateway, auth.atlassian.com's token endpoint).
 */
export const DEFAULT_NAMES = Object.freeze([
  'localhost',
  'jira.standin.test',
  'other.standin.test',
  '*.atlassian.net',
  'api.atlassian.com',
  'auth.atlassian.com',
  '127.0.0.1'
])

/** @param {string} name */
function san(name) {
  return net.isIP(name) ? { ip: name } : { dns: name }
}

/** @param {readonly string[]} names */
function sansFor(names) {
  return names.map(san)
}

function buildAuthority() {
  const now = Date.now()
  const long = { notBefore: new Date(now - 2 * DAY), notAfter: new Date(now + 3650 * DAY) }
  const caKeys = newKeyPair()
  const caCertPem = makeCert({
    cn: 'Jira Stand-in Test CA',
    publicKeyPem: caKeys.publicKeyPem,
    signer: caKeys,
    isCa: true,
    ...long
  })
  // Signed by a throwaway CA that is never handed out, so no client can trust what it signs.
  const rogueKeys = newKeyPair()
  const rogueCaPem = makeCert({
    cn: 'Untrusted Throwaway CA',
    publicKeyPem: rogueKeys.publicKeyPem,
    signer: rogueKeys,
    isCa: true,
    ...long
  })
  return {
    ca: { certPem: caCertPem, keyPem: caKeys.keyPem },
    rogue: { certPem: rogueCaPem, keyPem: rogueKeys.keyPem },
    // One key for every leaf: RSA generation is the slow part, and nothing here needs distinct keys.
    leafKeys: newKeyPair()
  }
}

/**
 * @param {ReturnType<typeof buildAuthority>} authority
 * @param {readonly string[]} names
 * @param {import('./index.d.mts').LeafMode} mode
 */
function makeLeaf(authority, names, mode) {
  const now = Date.now()
  const validity =
    mode === 'expired'
      ? { notBefore: new Date(now - 90 * DAY), notAfter: new Date(now - DAY) }
      : { notBefore: new Date(now - 2 * DAY), notAfter: new Date(now + 365 * DAY) }
  return {
    certPem: makeCert({
      cn: 'jira.standin.test',
      publicKeyPem: authority.leafKeys.publicKeyPem,
      signer: mode === 'untrusted' ? authority.rogue : authority.ca,
      sans: sansFor(names),
      ...validity
    }),
    keyPem: authority.leafKeys.keyPem
  }
}

function buildPki() {
  const authority = buildAuthority()
  const leafValidity = {
    notBefore: new Date(Date.now() - 2 * DAY),
    notAfter: new Date(Date.now() + 365 * DAY)
  }
  /** @type {import('./index.d.mts').Pki} */
  const pki = {
    caCertPem: authority.ca.certPem,
    leaf: makeLeaf(authority, DEFAULT_NAMES, 'valid'),
    expiredLeaf: makeLeaf(authority, DEFAULT_NAMES, 'expired'),
    wrongHostLeaf: {
      certPem: makeCert({
        cn: 'wrong.example',
        publicKeyPem: authority.leafKeys.publicKeyPem,
        signer: authority.ca,
        sans: [{ dns: 'wrong.example' }],
        ...leafValidity
      }),
      keyPem: authority.leafKeys.keyPem
    },
    untrustedLeaf: makeLeaf(authority, DEFAULT_NAMES, 'untrusted')
  }
  return { pki, authority }
}

/** @type {Promise<ReturnType<typeof buildPki>> | undefined} */
let builtPromise

function built() {
  builtPromise ??= Promise.resolve().then(buildPki)
  return builtPromise
}

/** One PKI per process: every stand-in in a test process shares it. */
export function getPki() {
  return built().then(({ pki }) => pki)
}

/** @type {Map<string, import('./index.d.mts').CertKeyPair>} */
const leafCache = new Map()

/**
 * A leaf from the one runtime CA (so the one NODE_EXTRA_CA_CERTS file trusts it) valid for
 * DEFAULT_NAMES plus `names` (DNS names, `*.` wildcards or IP addresses). `mode: 'expired'` makes its
 * validity end yesterday, `'untrusted'` signs it with the throwaway CA instead. Cached per name set.
 * @param {readonly string[]} names
 * @param {{ mode?: import('./index.d.mts').LeafMode }} [options]
 * @returns {Promise<import('./index.d.mts').CertKeyPair>}
 */
export async function leafFor(names, options = {}) {
  const mode = options.mode ?? 'valid'
  const wanted = [...new Set([...DEFAULT_NAMES, ...names.map((n) => n.trim().toLowerCase())])]
  const extra = wanted.filter((name) => name !== '' && !DEFAULT_NAMES.includes(name)).sort()
  const { pki, authority } = await built()
  if (extra.length === 0) {
    return mode === 'expired'
      ? pki.expiredLeaf
      : mode === 'untrusted'
        ? pki.untrustedLeaf
        : pki.leaf
  }
  const key = `${mode} ${extra.join(' ')}`
  let leaf = leafCache.get(key)
  if (!leaf) {
    leaf = makeLeaf(authority, [...DEFAULT_NAMES, ...extra], mode)
    leafCache.set(key, leaf)
  }
  return leaf
}

/** @type {string[]} */
const createdDirs = []
/** @type {Promise<string> | undefined} */
let defaultCaFile

/**
 * Write the CA certificate to a file (for NODE_EXTRA_CA_CERTS or the `ca` option).
 * Without `dir`, a per-process temp file is created once and removed when the process exits.
 * @param {string} [dir]
 */
export async function writeCaFile(dir) {
  if (dir === undefined) {
    defaultCaFile ??= getPki().then(({ caCertPem }) => {
      const created = mkdtempSync(join(tmpdir(), 'jira-standin-ca-'))
      if (createdDirs.length === 0) {
        process.once('exit', () => {
          for (const d of createdDirs) rmSync(d, { recursive: true, force: true })
        })
      }
      createdDirs.push(created)
      const path = join(created, 'ca.pem')
      writeFileSync(path, caCertPem)
      return path
    })
    return defaultCaFile
  }
  const { caCertPem } = await getPki()
  const path = join(dir, 'jira-standin-ca.pem')
  writeFileSync(path, caCertPem)
  return path
}
