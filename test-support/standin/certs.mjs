// Test PKI for the Jira stand-in, generated at runtime (nothing secret is ever committed).
// RSA keys come from node:crypto (fast, native); node-forge only builds and signs the X.509 certs.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import forge from 'node-forge'

const DAY = 24 * 60 * 60 * 1000

/** @type {Promise<import('./index.d.mts').Pki> | undefined} */
let pkiPromise

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

function buildPki() {
  const now = Date.now()
  const long = { notBefore: new Date(now - 2 * DAY), notAfter: new Date(now + 3650 * DAY) }
  const leafValidity = { notBefore: new Date(now - 2 * DAY), notAfter: new Date(now + 365 * DAY) }
  const sans = [
    { dns: 'localhost' },
    { dns: 'jira.standin.test' },
    { dns: 'other.standin.test' },
    { ip: '127.0.0.1' }
  ]

  const caKeys = newKeyPair()
  const caCertPem = makeCert({
    cn: 'Jira Stand-in Test CA',
    publicKeyPem: caKeys.publicKeyPem,
    signer: caKeys,
    isCa: true,
    ...long
  })
  const ca = { certPem: caCertPem, keyPem: caKeys.keyPem }

  const leafKeys = newKeyPair()
  const leaf = {
    certPem: makeCert({
      cn: 'jira.standin.test',
      publicKeyPem: leafKeys.publicKeyPem,
      signer: ca,
      sans,
      ...leafValidity
    }),
    keyPem: leafKeys.keyPem
  }
  const expiredLeaf = {
    certPem: makeCert({
      cn: 'jira.standin.test',
      publicKeyPem: leafKeys.publicKeyPem,
      signer: ca,
      sans,
      notBefore: new Date(now - 90 * DAY),
      notAfter: new Date(now - DAY)
    }),
    keyPem: leafKeys.keyPem
  }
  const wrongHostLeaf = {
    certPem: makeCert({
      cn: 'wrong.example',
      publicKeyPem: leafKeys.publicKeyPem,
      signer: ca,
      sans: [{ dns: 'wrong.example' }],
      ...leafValidity
    }),
    keyPem: leafKeys.keyPem
  }
  // Signed by a throwaway CA that is never handed out, so no client can trust it.
  const rogueKeys = newKeyPair()
  const rogueCaPem = makeCert({
    cn: 'Untrusted Throwaway CA',
    publicKeyPem: rogueKeys.publicKeyPem,
    signer: rogueKeys,
    isCa: true,
    ...long
  })
  const untrustedLeaf = {
    certPem: makeCert({
      cn: 'jira.standin.test',
      publicKeyPem: leafKeys.publicKeyPem,
      signer: { certPem: rogueCaPem, keyPem: rogueKeys.keyPem },
      sans,
      ...leafValidity
    }),
    keyPem: leafKeys.keyPem
  }
  return { caCertPem, leaf, expiredLeaf, wrongHostLeaf, untrustedLeaf }
}

/** One PKI per process: every stand-in in a test process shares it. */
export function getPki() {
  pkiPromise ??= Promise.resolve().then(buildPki)
  return pkiPromise
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
