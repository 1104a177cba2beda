// The EC2 Instance Connect endpoint (AWS JSON 1.1, service `ec2-instance-connect`, 2018-04-02) on
// the same port: `X-Amz-Target: AWSEC2InstanceConnectService.<Operation>`, a JSON body, SigV4
// scoped to `…/ec2-instance-connect/aws4_request`, the same tenancy (account, region) as EC2.
// Answers are JSON; errors are {"__type": code, "Message": text} with the x-amzn-ErrorType header.
import type { IncomingHttpHeaders } from 'node:http';
import { Ec2Error, isEc2Error } from '../errors/ec2-error.js';
import type { ActionContext } from '../actions/context.js';
import type { InstanceConnectAction } from '../actions/instance-connect/action.js';
import { StoreUnavailableError, type Scope } from '../store/port.js';
import type { Ec2Response } from './ec2-query.js';
import type { Authenticator, RequestToAuthenticate } from './identity.js';

export const INSTANCE_CONNECT_SERVICE = 'ec2-instance-connect';
export const INSTANCE_CONNECT_TARGET_PREFIX = 'AWSEC2InstanceConnectService.';

export interface InstanceConnectOptions {
  readonly actions: { get(name: string): InstanceConnectAction | undefined };
  readonly authenticate: Authenticator;
  readonly context: (scope: Scope) => ActionContext;
  readonly requestId: () => string;
  readonly onInternalError: (error: unknown, action: string | undefined) => void;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

interface Answer {
  code: string;
  message: string;
  status: number;
}

/** Whether a request is addressed to EC2 Instance Connect (by its target header). */
export function isInstanceConnectRequest(headers: IncomingHttpHeaders): boolean {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(INSTANCE_CONNECT_TARGET_PREFIX);
}

export function createInstanceConnectHandler(opts: InstanceConnectOptions) {
  return async function handle(req: RequestToAuthenticate & { headers: IncomingHttpHeaders }): Promise<Ec2Response> {
    const requestId = opts.requestId();
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId };
    let action: string | undefined;
    try {
      const identity = opts.authenticate(req, INSTANCE_CONNECT_SERVICE);
      const target = String(req.headers['x-amz-target'] ?? '');
      action = target.startsWith(INSTANCE_CONNECT_TARGET_PREFIX) ? target.slice(INSTANCE_CONNECT_TARGET_PREFIX.length) : undefined;
      const definition = action === undefined ? undefined : opts.actions.get(action);
      if (!definition) throw unknownOperation();
      let body: unknown;
      try {
        body = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
      } catch {
        throw new Ec2Error('SerializationException', 'Malformed JSON body');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Ec2Error('SerializationException', 'Start of structure expected');
      const ctx = opts.context({ accountId: identity.accountId, region: identity.region });
      const output = await definition.handle(ctx, body as Record<string, unknown>, requestId);
      return { status: 200, headers, body: JSON.stringify(output), action };
    } catch (e) {
      const a = isEc2Error(e) ? asJsonError(e) : internal(e, action, opts);
      return {
        status: a.status,
        headers: { ...headers, 'x-amzn-errortype': `${a.code}:` },
        body: JSON.stringify({ __type: a.code, Message: a.message }),
        action,
        errorCode: a.code,
      };
    }
  };
}

/** A target this service does not have: what AWS JSON services answer. */
function unknownOperation(): Ec2Error {
  return Ec2Error.withMessage('InvalidAction', '');
}

/** Codes raised by the shared layers (SigV4, the engine), as AWS's JSON services word them. */
function asJsonError(e: Ec2Error): Answer {
  switch (e.code) {
    case 'InvalidAction':
      return { code: 'UnknownOperationException', message: '', status: 400 };
    case 'MissingParameter':
      if (e.message.endsWith('AWSAccessKeyId')) return { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token', status: 400 };
      return { code: 'InvalidArgsException', message: e.message, status: 400 };
    case 'AuthFailure':
      return e.message === 'AWS was not able to validate the provided access credentials'
        ? { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', status: 400 }
        : { code: 'InvalidSignatureException', message: e.message, status: 400 };
    case 'SignatureDoesNotMatch':
      return { code: 'InvalidSignatureException', message: e.message, status: 400 };
    case 'Unavailable':
      return { code: 'ServiceUnavailableException', message: e.message, status: 503 };
    default:
      return { code: e.code, message: e.message, status: e.status };
  }
}

function internal(e: unknown, action: string | undefined, opts: InstanceConnectOptions): Answer {
  opts.onInternalError(e, action);
  if (e instanceof StoreUnavailableError && e.applied === 'no') return { code: 'ServiceException', message: 'Service is unavailable. Please retry the request.', status: 500 };
  return { code: 'ServiceException', message: 'The service encountered an error. Follow the instructions in the error message and try again.', status: 500 };
}
