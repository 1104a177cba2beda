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

  /** The same code with a message of its own, for codes AWS uses with more than one wording. */
  static withMessage(code: ErrorCode, message: string): Ec2Error {
    const e = new Ec2Error(code);
    e.message = message;
    return e;
  }
}

export const isEc2Error = (e: unknown): e is Ec2Error => e instanceof Ec2Error;
