// The seam between the wire and tenancy: who is calling, from which region. The work is done by
// authenticate.ts (SigV4 verification, issue 3); this module names the shape the handler takes.
import type { Identity, RequestToAuthenticate } from './authenticate.js';

export type { Identity, RequestToAuthenticate } from './authenticate.js';
export { DEFAULT_ACCOUNT, DEFAULT_REGION } from './authenticate.js';

export type Authenticator = (req: RequestToAuthenticate) => Identity;
