/**
 * Test runs (and several environments on one NATS) share a server: a per-run prefix keeps their
 * subjects apart. Client and server must apply the SAME prefix or requests find no responder.
 * `''` (the default) leaves subjects exactly as the contract names them.
 */
export function prefixSubject(prefix: string | undefined, subject: string): string {
  return prefix ? `${prefix}.${subject}` : subject;
}
