// Turns an EC2 Query request (form body and/or query string) into a flat map of parameters.
// botocore and the JS SDK send application/x-www-form-urlencoded bodies; GET requests carry the
// same parameters in the query string (AWS's own doc samples use that form).

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
