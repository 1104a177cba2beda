// The EC2 Query protocol endpoint, free of node:http: a request (method, path, query, headers,
// raw body) in, a response (status, headers, body) out. Authentication → Action lookup →
// input table → handler → XML.
import type { IncomingHttpHeaders } from 'node:http';
import { Ec2Error, isEc2Error } from '../errors/ec2-error.js';
import { readInput } from '../actions/input.js';
import type { ActionContext } from '../actions/context.js';
import type { ActionRegistry } from '../actions/registry.js';
import { StoreUnavailableError, type Scope } from '../store/port.js';
import type { Authenticator, RequestToAuthenticate } from './identity.js';
import { isProtocolParam, parseQueryParams, refuseUnwritableCharacters } from './query-params.js';
import { errorXml, successXmlChunks } from './xml.js';

export interface Ec2Response {
  status: number;
  headers: Record<string, string>;
  /** The whole body, or (success answers) its pieces, produced as they are consumed. */
  body: string | Iterable<string> | AsyncIterable<string>;
  /** For the request log: the Action name, when there was one. */
  action?: string;
  /** For the request log: the error code, when the answer is an error. */
  errorCode?: string;
}

export interface Ec2QueryOptions {
  readonly registry: ActionRegistry;
  readonly authenticate: Authenticator;
  readonly context: (scope: Scope) => ActionContext;
  readonly requestId: () => string;
  /** Unexpected failures are reported here (never with request parameters, which may hold secrets). */
  readonly onInternalError: (error: unknown, action: string | undefined) => void;
}

const CONTENT_TYPE = 'text/xml;charset=UTF-8';

export function createEc2QueryHandler(opts: Ec2QueryOptions) {
  return async function handle(req: RequestToAuthenticate & { headers: IncomingHttpHeaders }): Promise<Ec2Response> {
    const requestId = opts.requestId();
    const headers = { 'content-type': CONTENT_TYPE, server: 'AmazonEC2', 'x-amzn-requestid': requestId };
    let action: string | undefined;
    try {
      // Authenticate first: an unauthenticated caller learns nothing about parameters or actions.
      const identity = opts.authenticate(req);
      const params = parseQueryParams(req.rawQuery, req.body.toString('utf8'));
      action = params.get('Action');
      if (!action) throw new Ec2Error('MissingAction');
      const definition = opts.registry.get(action);
      if (!definition) throw new Ec2Error('InvalidAction', action);
      const version = params.get('Version');
      if (!version) throw new Ec2Error('MissingParameter', 'Version');
      refuseUnwritableCharacters(params);
      const input = readInput(definition.input, params, isProtocolParam);
      const ctx = opts.context({ accountId: identity.accountId, region: identity.region });
      const output = await definition.handle(ctx, input);
      return { status: 200, headers, body: successXmlChunks(action, version, requestId, output), action };
    } catch (e) {
      const error = isEc2Error(e) ? e : internal(e, action, opts);
      return {
        status: error.status,
        headers,
        body: errorXml(error.code, error.message, requestId),
        action,
        errorCode: error.code,
      };
    }
  };
}

function internal(e: unknown, action: string | undefined, opts: Ec2QueryOptions): Ec2Error {
  opts.onInternalError(e, action);
  // Database unreachable and nothing applied: 503, which SDKs retry. Otherwise (outcome unknown) 500.
  return new Ec2Error(e instanceof StoreUnavailableError && e.applied === 'no' ? 'Unavailable' : 'InternalError');
}
