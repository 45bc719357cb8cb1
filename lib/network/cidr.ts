/**
 * IPv4 CIDR arithmetic for the network plan. Internal: not exported from the library.
 */

/** A parsed IPv4 CIDR block: network address as an unsigned 32-bit number, and prefix length. */
export interface Ipv4Block {
  readonly network: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns undefined when the text is not a CIDR block, or when host bits
 * are set (`10.0.0.1/16` is a typo for `10.0.0.0/16`, not a network).
 */
export function parseCidr(text: string): Ipv4Block | undefined {
  const match = CIDR.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const network = octets.reduce((n, octet) => n * 256 + octet, 0);
  if (network % size(prefix) !== 0) return undefined;
  return { network, prefix };
}

/** Number of addresses in a block of this prefix length. */
export function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** `a.b.c.d/n` */
export function formatCidr(block: Ipv4Block): string {
  const octets = [3, 2, 1, 0].map((i) => Math.floor(block.network / 256 ** i) % 256);
  return `${octets.join('.')}/${block.prefix}`;
}

/** True when two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  const aEnd = a.network + size(a.prefix);
  const bEnd = b.network + size(b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.network >= outer.network && inner.network + size(inner.prefix) <= outer.network + size(outer.prefix);
}
