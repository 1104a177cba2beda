// Protocol edges: the error envelope, unknown actions, GET requests, health, oversized bodies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestServer, V, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ maxBodyBytes: 64 * 1024 });
});
after(() => server.close());

describe('EC2 Query protocol edges', () => {
  it('answers an unknown Action with InvalidAction in the exact envelope', async () => {
    const res = await server.raw({ Action: 'Foo', Version: V });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'text/xml;charset=UTF-8');
    assert.equal(res.headers.get('server'), 'AmazonEC2');
    assert.match(
      res.body,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action Foo is not valid for this web service.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
  });

  it('requires Action and Version', async () => {
    const noAction = await server.raw({ Version: V });
    assert.equal(noAction.status, 400);
    assert.match(noAction.body, /<Code>MissingAction<\/Code>/);
    const noVersion = await server.raw({ Action: 'DescribeKeyPairs' });
    assert.match(noVersion.body, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter Version<\/Message>/);
  });

  it('serves GET requests with a query string, echoing the requested version in the namespace', async () => {
    const res = await server.raw({ Action: 'DescribeKeyPairs', Version: '2014-06-15' }, { method: 'GET' });
    assert.equal(res.status, 200);
    assert.match(res.body, /<DescribeKeyPairsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2014-06-15\/">/);
    assert.match(res.body, /<keySet\/>/);
  });

  it('has a health endpoint', async () => {
    const res = await fetch(`${server.url}/_ec2lite/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
    const head = await fetch(`${server.url}/_ec2lite/health`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('leaves a GET with Action= to the API, whatever its path', async () => {
    const res = await fetch(`${server.url}/_ec2lite/health?Action=DescribeKeyPairs&Version=${V}`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<DescribeKeyPairsResponse /);
  });

  it('refuses an oversized body by its Content-Length, and a streamed one before buffering it all, then keeps serving', async () => {
    const big = 'KeyName=' + 'x'.repeat(100 * 1024);
    const declared = await server.raw(`Action=CreateKeyPair&Version=${V}&${big}`);
    assert.equal(declared.status, 413);
    assert.match(declared.body, /<Code>RequestEntityTooLarge<\/Code>/);
    const url = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8 * 1024));
      req.end();
    });
    assert.equal(status, 413);
    const after = await server.raw({ Action: 'DescribeKeyPairs', Version: V });
    assert.equal(after.status, 200);
  });

  it('survives malformed bodies: bad percent-encoding, binary junk, duplicate parameters', async () => {
    for (const body of ['Action=DescribeKeyPairs&Version=2016-11-15&%ZZ=1', '\u0000\u00ff\u0001', 'Action=DescribeKeyPairs&Action=Foo&Version=x']) {
      const res = await server.raw(body);
      assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `status ${res.status} for ${JSON.stringify(body)}`);
      assert.match(res.body, /^<\?xml/);
    }
    const ok = await server.raw({ Action: 'DescribeKeyPairs', Version: V });
    assert.equal(ok.status, 200);
  });
});
