// Turns an EC2 Query request (form body and/or query string) into a flat map of parameters.
// botocore and the JS SDK send application/x-www-form-urlencoded bodies; GET requests carry the
// same parameters in the query string (AWS's own doc samples use that form).
import { Ec2Error } from '../errors/ec2-error.js';
import { UNWRITABLE_NAME_MESSAGE, unwritableValueMessage } from '../errors/character-set-messages.js';

export type QueryParams = Map<string, string>;

export function parseQueryParams(rawQuery: string, body: string): QueryParams {
  const params: QueryParams = new Map();
  for (const source of [rawQuery, body]) {
    if (!source) continue;
    // URLSearchParams decodes '+' as space, as Python's urlencode (quote_plus) expects.
    for (const [key, value] of new URLSearchParams(source)) params.set(key, value);
  }
  return params;
}

/** Parameters that belong to the protocol or to authentication, never to an action's input. */
const PROTOCOL_PARAMS = new Set([
  'Action',
  'Version',
  'AWSAccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'Timestamp',
  'Expires',
  'SecurityToken',
]);

export function isProtocolParam(name: string): boolean {
  return PROTOCOL_PARAMS.has(name) || name.startsWith('X-Amz-');
}

/**
 * Characters an XML 1.0 document cannot carry (C0 controls other than tab, line feed and carriage
 * return; U+FFFE, U+FFFF; unpaired surrogates). A value holding one could never be echoed in a
 * well-formed answer (issue 19: one public AMI's description broke every account's
 * describe-images), so the request is refused, as AWS refuses it (src/errors/catalogue.ts).
 */
export const UNWRITABLE_IN_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses a request whose parameter names or values hold a character XML cannot carry. */
export function refuseUnwritableCharacters(params: QueryParams): void {
  for (const [name, value] of params) {
    if (UNWRITABLE_IN_XML.test(name)) throw new Ec2Error('InvalidParameterValue', UNWRITABLE_NAME_MESSAGE);
    if (UNWRITABLE_IN_XML.test(value)) throw new Ec2Error('InvalidParameterValue', unwritableValueMessage(name, value));
  }
}
