// The seam between the wire and tenancy: who is calling, from which region. The work is done by
// authenticate.ts (SigV4 verification, issue 3); this module names the shape the handler takes.
import type { Identity, RequestToAuthenticate } from './authenticate.js';

export type { Identity, RequestToAuthenticate } from './authenticate.js';
export { DEFAULT_ACCOUNT, DEFAULT_REGION } from './authenticate.js';

/** `service`: the SigV4 service the request must be scoped to (`ec2` when absent). */
export type Authenticator = (req: RequestToAuthenticate, service?: string) => Identity;
