// The part of node-forge 1.x that certs.mjs uses: build an X.509 certificate and sign it.
// node-forge ships no types; this keeps `checkJs` strict without @types/node-forge.
declare module 'node-forge' {
  namespace forge {
    namespace pki {
      interface PublicKey {
        readonly n: unknown
      }
      interface PrivateKey {
        readonly d: unknown
      }
      interface CertificateField {
        name?: string
        shortName?: string
        value?: string
      }
      interface Certificate {
        publicKey: PublicKey
        serialNumber: string
        validity: { notBefore: Date; notAfter: Date }
        subject: { attributes: CertificateField[] }
        issuer: { attributes: CertificateField[] }
        setSubject(attributes: CertificateField[]): void
        setIssuer(attributes: CertificateField[]): void
        setExtensions(extensions: Array<Record<string, unknown>>): void
        sign(key: PrivateKey, md: md.MessageDigest): void
        generateSubjectKeyIdentifier(): { getBytes(): string }
      }
      function createCertificate(): Certificate
      function publicKeyFromPem(pem: string): PublicKey
      function privateKeyFromPem(pem: string): PrivateKey
      function certificateFromPem(pem: string): Certificate
      function certificateToPem(cert: Certificate): string
    }
    namespace md {
      interface MessageDigest {
        readonly algorithm: string
      }
      namespace sha256 {
        function create(): MessageDigest
      }
    }
  }
  export default forge
}
