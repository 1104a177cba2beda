// IPv4 and IPv6 CIDR arithmetic for VPCs, subnets and security group rules (pure).

export interface Cidr4 {
  /** Network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
  readonly text: string;
}

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export const formatIpv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** `a.b.c.d/n`; `strict` also refuses host bits set (AWS normalises them for rules, refuses them for VPCs). */
export function parseCidr4(text: string): Cidr4 | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIpv4(m[1]!);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const base = (ip & mask(prefix)) >>> 0;
  return { base, prefix, text: `${formatIpv4(base)}/${prefix}` };
}

export const size4 = (c: Cidr4): number => 2 ** (32 - c.prefix);
export const contains4 = (c: Cidr4, ip: number): boolean => ((ip & mask(c.prefix)) >>> 0) === c.base;
export const within4 = (inner: Cidr4, outer: Cidr4): boolean => inner.prefix >= outer.prefix && contains4(outer, inner.base);
export const overlaps4 = (a: Cidr4, b: Cidr4): boolean => within4(a, b) || within4(b, a);

/** AWS keeps 5 addresses of every subnet: the network address, +1 router, +2 DNS, +3 reserved, and the last. */
export const RESERVED_PER_SUBNET = 5;
export const usableAddresses = (c: Cidr4): number => size4(c) - RESERVED_PER_SUBNET;

/** Whether `ip` is one of the subnet's reserved addresses. */
export function isReserved4(c: Cidr4, ip: number): boolean {
  const offset = ip - c.base;
  return offset < 4 || offset === size4(c) - 1;
}

/** The first address of the subnet that is not reserved and not in `taken`. */
export function freeAddress(c: Cidr4, taken: ReadonlySet<string>): string | undefined {
  for (let offset = 4; offset < size4(c) - 1; offset++) {
    const ip = formatIpv4(c.base + offset);
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}

/** Expands an IPv6 address to 8 groups of 16 bits, or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  if (fill < 0 || (tail === undefined && h.length !== 8)) return undefined;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

export function parseCidr6(text: string): { groups: number[]; prefix: number } | undefined {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const groups = parseIpv6(m[1]!);
  const prefix = Number(m[2]);
  if (!groups || prefix > 128) return undefined;
  return { groups, prefix };
}

export function contains6(c: { groups: number[]; prefix: number }, ip: number[]): boolean {
  let bits = c.prefix;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const m = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((c.groups[i]! & m) !== (ip[i]! & m)) return false;
  }
  return true;
}

export interface Cidr6 {
  readonly groups: number[];
  readonly prefix: number;
}

/** An IPv6 address in its canonical short form (RFC 5952: lower case, the longest run of zero groups as `::`). */
export function formatIpv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The network of an IPv6 CIDR (host bits cleared). */
export function network6(c: Cidr6): Cidr6 {
  let bits = c.prefix;
  const groups = c.groups.map((g) => {
    const m = bits >= 16 ? 0xffff : bits <= 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    bits -= 16;
    return g & m;
  });
  return { groups, prefix: c.prefix };
}

export const formatCidr6 = (c: Cidr6): string => `${formatIpv6(c.groups)}/${c.prefix}`;
export const within6 = (inner: Cidr6, outer: Cidr6): boolean => inner.prefix >= outer.prefix && contains6(outer, inner.groups);
export const overlaps6 = (a: Cidr6, b: Cidr6): boolean => within6(a, b) || within6(b, a);
