import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { json, RouteTable } from './routes.js';

const q = (s = '') => new URLSearchParams(s);

describe('RouteTable', () => {
  const table = new RouteTable()
    .get('/_ec2lite/health', () => json(200, { status: 'ok' }))
    .get(/^\/_ec2lite\/instances\/(i-[0-9a-f]+)\/ssh$/, ({ params }) => json(200, { id: params[0] }));

  it('matches an exact path for GET and HEAD', () => {
    assert.ok(table.match('GET', '/_ec2lite/health', q()));
    assert.ok(table.match('HEAD', '/_ec2lite/health', q()));
    assert.equal(table.match('GET', '/_ec2lite/health/', q()), undefined);
  });

  it('passes RegExp captures as params', async () => {
    const m = table.match('GET', '/_ec2lite/instances/i-0abc/ssh', q());
    assert.deepEqual(m?.params, ['i-0abc']);
    const answer = await m!.handle({ method: 'GET', path: '', params: m!.params, query: q(), headers: {} });
    assert.deepEqual(JSON.parse(String(answer.body)), { id: 'i-0abc' });
  });

  it('leaves POSTs, GETs with Action=, and unknown paths to the API', () => {
    assert.equal(table.match('POST', '/_ec2lite/health', q()), undefined);
    assert.equal(table.match('GET', '/_ec2lite/health', q('Action=DescribeKeyPairs')), undefined);
    assert.equal(table.match('GET', '/', q()), undefined);
    assert.equal(table.match('DELETE', '/_ec2lite/health', q()), undefined);
  });

  it('lets the first registered route win', async () => {
    const t = new RouteTable().get(/^\/a$/, () => json(200, 1)).get('/a', () => json(200, 2));
    const answer = await t.match('GET', '/a', q())!.handle({ method: 'GET', path: '/a', params: [], query: q(), headers: {} });
    assert.equal(JSON.parse(String(answer.body)), 1);
  });
});
