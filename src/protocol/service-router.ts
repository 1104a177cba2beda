// One port, two Query services: a request goes to Auto Scaling or EC2 by the service of its SigV4
// credential scope. Unsigned requests (open mode), or ones scoped to a service we do not serve,
// are told apart by their parameters: Auto Scaling's Version, or an Action only it knows. The
// chosen handler then authenticates, so a wrong scope is still refused in that service's words.
import type { Ec2Response } from './ec2-query.js';
import { scopedService, type RequestToAuthenticate } from './authenticate.js';
import { AUTOSCALING_SERVICE, AUTOSCALING_VERSION } from './autoscaling-query.js';
import { parseQueryParams } from './query-params.js';
import { INSTANCE_CONNECT_SERVICE, isInstanceConnectRequest } from './instance-connect-json.js';

type Handler = (req: RequestToAuthenticate) => Promise<Ec2Response>;

export function createServiceRouter(opts: {
  ec2: Handler;
  autoScaling: Handler;
  isAutoScalingAction: (action: string) => boolean;
  isEc2Action: (action: string) => boolean;
  /** STS GetCallerIdentity (clients that learn the account id at the EC2 endpoint). */
  sts?: Handler;
  /** EC2 Instance Connect (AWS JSON 1.1): its scope's service, or its X-Amz-Target when unsigned. */
  instanceConnect?: Handler;
}): Handler {
  return (req) => {
    const service = scopedService(req);
    if (opts.instanceConnect && (service === INSTANCE_CONNECT_SERVICE || (service === undefined && isInstanceConnectRequest(req.headers)))) {
      return opts.instanceConnect(req);
    }
    if (service === AUTOSCALING_SERVICE) return opts.autoScaling(req);
    if (service === 'ec2') return opts.ec2(req);
    const params = parseQueryParams(req.rawQuery, req.body.toString('utf8'));
    const version = params.get('Version');
    const action = params.get('Action') ?? '';
    // STS's one action here; anything else scoped to sts is answered as before (a wrong scope).
    if (service === 'sts' && opts.sts && action === 'GetCallerIdentity') return opts.sts(req);
    const autoScaling =
      version === AUTOSCALING_VERSION || (version === undefined && opts.isAutoScalingAction(action) && !opts.isEc2Action(action));
    return autoScaling ? opts.autoScaling(req) : opts.ec2(req);
  };
}
