// Entries of a managed prefix list: CIDRs of the list's address family, unique, at most MaxEntries.
import { Ec2Error } from '../../errors/ec2-error.js';
import { formatCidr6, network6, parseCidr4, parseCidr6 } from '../../compute/network/cidr.js';
import type { PrefixListEntry } from '../../compute/network/model.js';

/** Customer-managed lists: MaxEntries 1–1000 (VPC quotas: "Prefix list entries", 1000). */
export const MAX_ENTRIES_LIMIT = 1000;

export function entryCidr(cidr: string, family: 'IPv4' | 'IPv6'): string {
  const c4 = family === 'IPv4' ? parseCidr4(cidr) : undefined;
  const c6 = family === 'IPv6' ? parseCidr6(cidr) : undefined;
  if (!c4 && !c6) throw new Ec2Error('InvalidParameterValue', `Invalid CIDR ${cidr} for an ${family} prefix list.`);
  return c4 ? c4.text : formatCidr6(network6(c6!));
}

export function checkMaxEntries(n: number | undefined): number {
  if (n === undefined) throw new Ec2Error('MissingParameter', 'MaxEntries');
  if (n < 1 || n > MAX_ENTRIES_LIMIT) throw new Ec2Error('InvalidParameterValue', `Value (${n}) for parameter maxEntries is invalid. It must be between 1 and ${MAX_ENTRIES_LIMIT}.`);
  return n;
}

export function checkEntries(entries: readonly PrefixListEntry[], maxEntries: number): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.cidr)) throw new Ec2Error('InvalidPrefixListModification', `The prefix list has duplicate entries: ${e.cidr}.`);
    seen.add(e.cidr);
  }
  if (entries.length > maxEntries)
    throw new Ec2Error('PrefixListMaxEntriesExceeded', `The prefix list has ${entries.length} entries, more than its maximum of ${maxEntries}.`);
}
