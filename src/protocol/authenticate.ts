// Who is calling: turns a request's SigV4 material into an Identity (account, region) or an
// EC2 error. The server calls authenticate() for every API request before parsing the action.
// Error choices and their evidence are listed in README "Authentication" and in catalogue.ts.
import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialLookup } from '../auth/credentials-file.js';
import { Ec2Error } from '../errors/ec2-error.js';
import {
  ALGORITHM,
  TERMINATOR,
  canonicalHeaderValue,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  credentialScope,
  formatAmzDate,
  parseAmzDate,
  parseQuery,
  sha256Hex,
  signature,
  signaturesEqual,
  signingKey,
  stringToSign,
} from './sigv4.js';

export interface RequestToAuthenticate {
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Node's rawHeaders, when available: lets repeated headers be joined with ',' as SigV4 wants. */
  rawHeaders?: readonly string[];
}

export interface Identity {
  accountId: string;
  region: string;
  accessKeyId?: string;
}

export type AuthMode = 'open' | 'strict';


export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
const MAX_SKEW_MS = 15 * 60 * 1000; // AWS: "more than 15 minutes after or before the date stamp"
const MAX_EXPIRES_S = 7 * 24 * 3600; // SigV4 presigned URLs live at most a week

/** The SigV4 material of one request, whichever form carried it. */
interface Signed {
  form: 'header' | 'query';
  accessKeyId: string;
  region: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string; // the timestamp in the string to sign
  date: Date;
  expiresS?: number;
  token?: string;
}

/** AWS's text when `host` is missing from SignedHeaders. */
export const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";

export function authenticate(
  req: RequestToAuthenticate,
  opts: { mode: AuthMode; credentials?: CredentialLookup; now: Date; service?: string },
): Identity {
  const service = opts.service ?? 'ec2';
  const query = parseQuery(req.rawQuery);
  const authorization = header(req.headers, 'authorization');
  const signed =
    authorization !== undefined
      ? fromHeader(authorization, req.headers, service)
      : query.some(([k]) => k === 'X-Amz-Algorithm' || k === 'X-Amz-Credential' || k === 'X-Amz-Signature')
        ? fromQuery(query, service)
        : undefined;

  if (!signed) {
    // Observed EC2 answer to a request with no credentials at all (kitchen-ec2#440, aws-sdk-java-v2#120).
    if (opts.mode === 'strict') throw new Ec2Error('MissingParameter', 'AWSAccessKeyId');
    return { accountId: DEFAULT_ACCOUNT, region: DEFAULT_REGION };
  }

  if (opts.mode === 'open') {
    // Local use: trust the caller, but let the key id pick the account so tenancy can be tried out.
    const accountId = /^\d{12}$/.test(signed.accessKeyId) ? signed.accessKeyId : DEFAULT_ACCOUNT;
    return { accountId, region: signed.region, accessKeyId: signed.accessKeyId };
  }

  const cred = opts.credentials?.find(signed.accessKeyId);
  if (!cred) throw new Ec2Error('AuthFailure');
  // Our keys are long-term unless the file gives a session token; either way the token must match.
  if (cred.sessionToken !== undefined ? !signed.token || !signaturesEqual(cred.sessionToken, signed.token) : signed.token !== undefined) {
    throw new Ec2Error('AuthFailure');
  }
  checkTime(signed, opts.now);
  verifySignature(req, query, signed, cred.secretAccessKey, service);
  return { accountId: cred.accountId, region: signed.region, accessKeyId: signed.accessKeyId };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Parses `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
function fromHeader(value: string, headers: IncomingHttpHeaders, service: string): Signed {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const params = new Map<string, string>();
  // AWS splits on whitespace and commas: "Credential=AKID /2015…" reports '/2015…' (aws-sdk-go#289).
  for (const token of (space < 0 ? '' : trimmed.slice(space)).split(/[\s,]+/)) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) {
      throw new Ec2Error('AuthFailure', `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${value}'.`);
    }
    if (!params.has(token.slice(0, eq))) params.set(token.slice(0, eq), token.slice(eq + 1));
  }
  const amzDateHeader = header(headers, 'x-amz-date');
  const dateHeader = header(headers, 'date');
  const missing: string[] = [];
  for (const p of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.has(p)) missing.push(`Authorization header requires '${p}' parameter.`);
  }
  if (amzDateHeader === undefined && dateHeader === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw new Ec2Error('AuthFailure', `${missing.join(' ')} Authorization=${value}`);
  if (algorithm !== ALGORITHM) throw new Ec2Error('AuthFailure');

  // X-Amz-Date wins over Date; a Date header is signed in its ISO basic form.
  let date: Date | undefined;
  if (amzDateHeader !== undefined) date = parseAmzDate(amzDateHeader);
  else if (dateHeader !== undefined && !Number.isNaN(Date.parse(dateHeader))) date = new Date(Date.parse(dateHeader));
  if (!date) throw new Ec2Error('AuthFailure');
  const amzDate = amzDateHeader ?? formatAmzDate(date);

  return {
    form: 'header',
    ...scope(params.get('Credential')!, amzDate, service),
    signedHeaders: params.get('SignedHeaders')!.split(';'),
    signature: params.get('Signature')!,
    amzDate,
    date,
    token: header(headers, 'x-amz-security-token'),
  };
}

/** Parses presigned query parameters (X-Amz-Algorithm, X-Amz-Credential, …). */
function fromQuery(query: ReadonlyArray<readonly [string, string]>, service: string): Signed {
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const sig = get('X-Amz-Signature');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const amzDate = get('X-Amz-Date');
  const expires = get('X-Amz-Expires');
  if (algorithm !== ALGORITHM || credential === undefined || sig === undefined || signedHeaders === undefined || amzDate === undefined) {
    throw new Ec2Error('AuthFailure');
  }
  const date = parseAmzDate(amzDate);
  if (!date) throw new Ec2Error('AuthFailure');
  let expiresS: number | undefined;
  if (expires !== undefined) {
    if (!/^\d{1,7}$/.test(expires) || Number(expires) > MAX_EXPIRES_S) throw new Ec2Error('AuthFailure');
    expiresS = Number(expires);
  }
  return {
    form: 'query',
    ...scope(credential, amzDate, service),
    signedHeaders: signedHeaders.split(';'),
    signature: sig,
    amzDate,
    date,
    expiresS,
    token: get('X-Amz-Security-Token'),
  };
}

/** Checks `AKID/YYYYMMDD/region/<service>/aws4_request` against the request date and the service. */
function scope(credential: string, amzDate: string, expectedService: string): { accessKeyId: string; region: string } {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    // Observed on EC2 as AuthFailure (StreisandEffect/streisand#485); other services say IncompleteSignature.
    throw new Ec2Error(
      'AuthFailure',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (accessKeyId === '') throw new Ec2Error('AuthFailure');
  // Observed as SignatureDoesNotMatch on a Query-protocol service (timkay/aws#111); note the trailing space.
  if (service !== expectedService) {
    throw new Ec2Error('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${expectedService}'. `);
  }
  if (!/^[a-z0-9-]+$/.test(region)) {
    throw new Ec2Error('SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${region}'. `);
  }
  if (terminator !== TERMINATOR || date !== amzDate.slice(0, 8)) throw new Ec2Error('SignatureDoesNotMatch');
  return { accessKeyId, region };
}

function checkTime(signed: Signed, now: Date): void {
  const age = now.getTime() - signed.date.getTime();
  const tooOld = signed.expiresS !== undefined ? age > signed.expiresS * 1000 : age > MAX_SKEW_MS;
  if (tooOld || -age > MAX_SKEW_MS) throw new Ec2Error('RequestExpired');
}

function verifySignature(
  req: RequestToAuthenticate,
  query: ReadonlyArray<readonly [string, string]>,
  signed: Signed,
  secret: string,
  service: string,
): void {
  // AWS requires the Host to be signed (a signature must not be replayable against another
  // endpoint); evidence in src/errors/catalogue.ts next to SignatureDoesNotMatch.
  if (!signed.signedHeaders.some((h) => h.toLowerCase() === 'host' || h.toLowerCase() === ':authority')) {
    throw new Ec2Error('SignatureDoesNotMatch', HOST_NOT_SIGNED);
  }
  const headers: Array<[string, string]> = [];
  for (const raw of signed.signedHeaders) {
    const name = raw.toLowerCase();
    const values = headerValues(req, name);
    // A header the client says it signed but did not send cannot have been signed as sent.
    if (values.length === 0) throw new Ec2Error('SignatureDoesNotMatch');
    headers.push([name, canonicalHeaderValue(values)]);
  }
  // The EC2 and Auto Scaling APIs sign the body itself: the payload hash is always that of the
  // bytes received. A declared X-Amz-Content-SHA256 must be that hash; UNSIGNED-PAYLOAD (S3's
  // way to leave the body unsigned) does not hold here, so such a signature never matches.
  const declared = header(req.headers, 'x-amz-content-sha256');
  const actual = sha256Hex(req.body);
  if (declared !== undefined && declared !== actual) throw new Ec2Error('SignatureDoesNotMatch');
  const canonical = canonicalRequest({
    method: req.method.toUpperCase(),
    uri: canonicalUri(req.path),
    query: canonicalQuery(query, signed.form === 'query'),
    headers,
    payloadHash: actual,
  });
  const scopeDate = signed.amzDate.slice(0, 8);
  const expected = signature(
    signingKey(secret, scopeDate, signed.region, service),
    stringToSign(signed.amzDate, credentialScope(scopeDate, signed.region, service), canonical),
  );
  if (!signaturesEqual(expected, signed.signature)) throw new Ec2Error('SignatureDoesNotMatch');
}

function headerValues(req: RequestToAuthenticate, name: string): string[] {
  if (req.rawHeaders) {
    const out: string[] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i]!.toLowerCase() === name) out.push(req.rawHeaders[i + 1]!);
    }
    return out;
  }
  const v = req.headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The service named by the request's SigV4 credential scope (header or presigned), if any. */
export function scopedService(req: Pick<RequestToAuthenticate, 'headers' | 'rawQuery'>): string | undefined {
  const authorization = header(req.headers, 'authorization');
  const credential =
    authorization !== undefined
      ? /Credential=([^,\s]+)/.exec(authorization)?.[1]
      : parseQuery(req.rawQuery).find(([k]) => k === 'X-Amz-Credential')?.[1];
  return credential?.split('/')[3];
}
