/** A loopback port nothing listens on: bind an ephemeral one, then close it. */
export function closedPort(): Promise<number>
