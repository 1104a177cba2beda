// NextToken for Describe* actions that page through an ordered list: the next offset, opaque.
import { Ec2Error } from '../errors/ec2-error.js';

export const encodeToken = (offset: number): string => Buffer.from(String(offset)).toString('base64url');

export function decodeToken(token: string): number {
  const n = Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(n) || n < 0) throw new Ec2Error('InvalidParameterValue', `Invalid NextToken: ${token}`);
  return n;
}

/** The page NextToken/MaxResults ask for (no MaxResults, or 0: the rest) and the token of the next one. */
export function pageOf<T>(list: readonly T[], nextToken: string | undefined, maxResults: number | undefined): { page: T[]; nextToken: string | undefined } {
  const start = nextToken ? decodeToken(nextToken) : 0;
  const end = maxResults ? start + maxResults : list.length;
  return { page: list.slice(start, end), nextToken: end < list.length ? encodeToken(end) : undefined };
}
