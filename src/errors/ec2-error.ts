import { catalogue, type ErrorCode } from './catalogue.js';

/** An error answered to the client in EC2's envelope. Thrown by actions, rendered by protocol/. */
export class Ec2Error extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, ...args: string[]) {
    const entry = catalogue[code];
    super(entry.message(...args));
    this.code = code;
    this.status = entry.status;
  }
}

export const isEc2Error = (e: unknown): e is Ec2Error => e instanceof Ec2Error;
