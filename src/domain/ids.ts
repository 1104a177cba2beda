import { randomBytes } from 'node:crypto';

/** AWS-style resource ids: prefix + 17 lower-case hex digits, starting with 0 as AWS's do. */
export interface IdSource {
  next(prefix: string): string;
}

export const randomIds: IdSource = {
  next: (prefix) => `${prefix}-0${randomBytes(8).toString('hex')}`,
};

export const requestId = (): string => crypto.randomUUID();
