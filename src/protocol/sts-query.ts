// STS GetCallerIdentity on the same port (SigV4 scope service `sts`): what amazon.aws's Ansible
// modules (ec2_security_group, ec2_instance) and Terraform call to learn the account id, with the
// endpoint they were given for EC2. Only this one action; any other is InvalidAction, in STS's
// Query error envelope (2011-06-15).
import { isEc2Error } from '../errors/ec2-error.js';
import { escapeXml } from './xml.js';
import type { Ec2Response } from './ec2-query.js';
import type { Authenticator, RequestToAuthenticate } from './identity.js';
import { parseQueryParams } from './query-params.js';

export const STS_SERVICE = 'sts';
const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function errorXml(code: string, message: string, requestId: string, status: number): string {
  return `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>\n    <Code>${escapeXml(code)}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

export function createStsQueryHandler(opts: { authenticate: Authenticator; requestId: () => string }) {
  return async (req: RequestToAuthenticate): Promise<Ec2Response> => {
    const requestId = opts.requestId();
    const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
    const params = parseQueryParams(req.rawQuery, req.body.toString('utf8'));
    const action = params.get('Action');
    try {
      const identity = opts.authenticate(req, STS_SERVICE);
      if (action !== 'GetCallerIdentity') {
        return { status: 400, headers, body: errorXml('InvalidAction', `Could not find operation ${action ?? ''} for version ${params.get('Version') ?? '2011-06-15'}`, requestId, 400), action, errorCode: 'InvalidAction' };
      }
      const accessKey = identity.accessKeyId ?? 'AKIDEXAMPLE';
      const body =
        `<GetCallerIdentityResponse xmlns="${NS}">\n  <GetCallerIdentityResult>\n` +
        `    <Arn>arn:aws:iam::${identity.accountId}:user/ec2lite</Arn>\n    <UserId>${escapeXml(accessKey)}</UserId>\n    <Account>${identity.accountId}</Account>\n` +
        `  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`;
      return { status: 200, headers, body, action };
    } catch (e) {
      if (!isEc2Error(e)) throw e;
      const code = e.code === 'AuthFailure' ? 'InvalidClientTokenId' : e.code;
      return { status: e.status, headers, body: errorXml(code, e.message, requestId, e.status), action, errorCode: code };
    }
  };
}
