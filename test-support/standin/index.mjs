export { DEFAULT_NAMES, getPki, leafFor, writeCaFile } from './certs.mjs'
export { startStandin, patDate, versionInfo } from './server.mjs'
export { startConnectProxy } from './proxy.mjs'
export { PERMISSION_CATALOGUE, DEFAULT_PERMISSIONS } from './permissions.mjs'
