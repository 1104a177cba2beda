// The seam between the wire and tenancy: who is calling, from which region. Signature
// verification plugs in here (issue 3); until then, the credential scope is read unverified.
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestToAuthenticate {
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Identity {
  accountId: string;
  region: string;
  accessKeyId?: string;
}

export type Authenticator = (req: RequestToAuthenticate) => Identity;

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/** The account a key id stands for in open mode: a 12-digit id is the account itself. */
export const accountForAccessKey = (accessKeyId: string): string =>
  /^[0-9]{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;

/** Reads `Credential=AKID/date/region/service/aws4_request` from the header or query string, without verifying. */
export const unverifiedScope: Authenticator = (req) => {
  const header = req.headers.authorization;
  let credential: string | undefined;
  if (typeof header === 'string') credential = /Credential=([^,\s]+)/.exec(header)?.[1];
  if (!credential) credential = new URLSearchParams(req.rawQuery).get('X-Amz-Credential') ?? undefined;
  if (!credential) return { accountId: DEFAULT_ACCOUNT, region: DEFAULT_REGION };
  const [accessKeyId = '', , region] = credential.split('/');
  return { accountId: accountForAccessKey(accessKeyId), region: region || DEFAULT_REGION, accessKeyId };
};
