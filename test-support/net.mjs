import net from 'node:net'

/** A loopback port nothing listens on: bind an ephemeral one, then close it. */
export function closedPort() {
  return /** @type {Promise<number>} */ (
    new Promise((resolve, reject) => {
      const server = net.createServer()
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const { port } = /** @type {net.AddressInfo} */ (server.address())
        server.close(() => resolve(port))
      })
    })
  )
}
