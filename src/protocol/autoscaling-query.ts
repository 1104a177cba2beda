// The Auto Scaling Query protocol endpoint (service `autoscaling`, version 2011-01-01), free of
// node:http: authentication (scope `…/autoscaling/aws4_request`) → Action lookup → input table →
// handler → Auto Scaling XML. Shares the validation engine and error catalogue with EC2; the
// generic EC2 codes the engine raises are answered as Query services answer them.
import type { IncomingHttpHeaders } from 'node:http';
import { Ec2Error, isEc2Error } from '../errors/ec2-error.js';
import { autoScalingErrors } from '../errors/autoscaling-messages.js';
import { memberName, readInput } from '../actions/input.js';
import { EMPTY_RESULT_ACTIONS } from '../actions/autoscaling/registry.js';
import type { ActionContext } from '../actions/context.js';
import type { ActionRegistry } from '../actions/registry.js';
import { StoreUnavailableError, type Scope } from '../store/port.js';
import type { Ec2Response } from './ec2-query.js';
import type { Authenticator, RequestToAuthenticate } from './identity.js';
import { isProtocolParam, parseQueryParams, refuseUnwritableCharacters } from './query-params.js';
import { autoScalingErrorXml, autoScalingSuccessXml } from './autoscaling-xml.js';

export const AUTOSCALING_SERVICE = 'autoscaling';
export const AUTOSCALING_VERSION = '2011-01-01';

export interface AutoScalingQueryOptions {
  readonly registry: ActionRegistry;
  readonly authenticate: Authenticator;
  readonly context: (scope: Scope) => ActionContext;
  readonly requestId: () => string;
  readonly onInternalError: (error: unknown, action: string | undefined) => void;
}

const CONTENT_TYPE = 'text/xml';

interface Answer {
  code: string;
  message: string;
  status: number;
}

export function createAutoScalingQueryHandler(opts: AutoScalingQueryOptions) {
  return async function handle(req: RequestToAuthenticate & { headers: IncomingHttpHeaders }): Promise<Ec2Response> {
    const requestId = opts.requestId();
    const headers = { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId };
    let action: string | undefined;
    try {
      const identity = opts.authenticate(req, AUTOSCALING_SERVICE);
      const params = parseQueryParams(req.rawQuery, req.body.toString('utf8'));
      action = params.get('Action');
      if (!action) throw new Ec2Error('MissingAction');
      const definition = opts.registry.get(action);
      if (!definition) throw Ec2Error.withMessage('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? AUTOSCALING_VERSION}`);
      refuseUnwritableCharacters(params);
      const input = readInput(definition.input, params, isProtocolParam);
      const ctx = opts.context({ accountId: identity.accountId, region: identity.region });
      const output = await definition.handle(ctx, input);
      const body = autoScalingSuccessXml(action, requestId, Object.keys(output).length || EMPTY_RESULT_ACTIONS.has(action) ? output : undefined);
      return { status: 200, headers, body, action };
    } catch (e) {
      const answer = isEc2Error(e) ? asQueryError(e) : internal(e, action, opts);
      return {
        status: answer.status,
        headers,
        body: autoScalingErrorXml(answer.code, answer.message, requestId, answer.status),
        action,
        errorCode: answer.code,
      };
    }
  };
}

/**
 * EC2-flavoured codes from the shared layers, as a Query service words them: validation problems
 * are `ValidationError`; credential problems use the codes IAM/STS-style services send.
 */
function asQueryError(e: Ec2Error): Answer {
  switch (e.code) {
    case 'MissingParameter': {
      const name = e.message.replace('The request must contain the parameter ', '');
      if (name === 'AWSAccessKeyId') return { code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token', status: 403 };
      return answer(autoScalingErrors.memberNull(memberName(name.replace(/\.member$/, ''))));
    }
    case 'InvalidParameterValue':
    case 'UnknownParameter':
    case 'InvalidParameterCombination':
      return { code: 'ValidationError', message: e.message, status: 400 };
    case 'AuthFailure':
      return e.message === 'AWS was not able to validate the provided access credentials'
        ? { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 }
        : { code: 'IncompleteSignature', message: e.message, status: 400 };
    case 'Unavailable':
      return { code: 'ServiceUnavailable', message: e.message, status: 503 };
    default:
      return answer(e);
  }
}

const answer = (e: Ec2Error): Answer => ({ code: e.code, message: e.message, status: e.status });

function internal(e: unknown, action: string | undefined, opts: AutoScalingQueryOptions): Answer {
  opts.onInternalError(e, action);
  if (e instanceof StoreUnavailableError && e.applied === 'no') {
    return { code: 'ServiceUnavailable', message: 'Service is unavailable. Please retry the request.', status: 503 };
  }
  return { code: 'InternalFailure', message: 'The request processing has failed because of an unknown error, exception or failure.', status: 500 };
}
