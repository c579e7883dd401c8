import { afterAll } from '@jest/globals'
import nock from 'nock'

// Loaded before each test file's imports are linked, so nock's patch of http/https is what
// @actions/http-client sees on Node 24 too. Loopback stays open for the real stand-in server.
nock.disableNetConnect()
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/)
afterAll(() => {
  nock.restore()
})
