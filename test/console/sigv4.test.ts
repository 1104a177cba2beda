// The console's in-browser SigV4 signer (Web Crypto; Node has the same API) against the AWS SDK's
// own signer: the same request, key and date must give the same Authorization header.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signRequest } from '../../src/console/web/sigv4.js';
import { sign } from '../helpers/sigv4-client.js';

const CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

describe('console SigV4 signer', () => {
  const cases = [
    { region: 'us-east-1', service: 'ec2', body: 'Action=DescribeKeyPairs&Version=2016-11-15' },
    { region: 'eu-west-1', service: 'ec2', body: `Action=ImportKeyPair&Version=2016-11-15&KeyName=${encodeURIComponent('näme with spaces/+=')}&PublicKeyMaterial=c3NoLXJzYQ%3D%3D` },
    { region: 'ap-southeast-2', service: 'autoscaling', body: 'Action=DescribeAutoScalingGroups&Version=2011-01-01' },
  ];
  for (const c of cases) {
    it(`matches @smithy/signature-v4 (${c.service}, ${c.region})`, async () => {
      const credentials = { accessKeyId: 'AKIACONSOLE000000001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
      const now = new Date('2026-11-29T12:34:56.789Z');
      const host = '127.0.0.1:8773';
      const ours = await signRequest({ method: 'POST', host, path: '/', body: c.body, contentType: CONTENT_TYPE, region: c.region, service: c.service, credentials, now });
      const sdk = await sign({ ...credentials, region: c.region, service: c.service, date: now, host, body: c.body, headers: { 'content-type': CONTENT_TYPE } });
      assert.equal(ours['x-amz-date'], '20261129T123456Z');
      assert.equal(ours.authorization, sdk.headers.authorization);
    });
  }
});
