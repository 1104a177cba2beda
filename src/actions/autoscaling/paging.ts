// MaxRecords / NextToken for Auto Scaling's Describe* actions (MaxRecords ≤ 100, default 50).
import { Ec2Error } from '../../errors/ec2-error.js';

export function page<T>(all: readonly T[], maxRecords: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const size = maxRecords ?? 50;
  if (size < 1 || size > 100) {
    throw Ec2Error.withMessage(
      'ValidationError',
      `1 validation error detected: Value '${size}' at 'maxRecords' failed to satisfy constraint: Member must have value ${size < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`,
    );
  }
  let start = 0;
  if (nextToken !== undefined) {
    start = Number(Buffer.from(nextToken, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) throw Ec2Error.withMessage('InvalidNextToken', 'The token is invalid.');
  }
  const items = all.slice(start, start + size);
  return { items, nextToken: start + size < all.length ? Buffer.from(String(start + size)).toString('base64url') : undefined };
}
