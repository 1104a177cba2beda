import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetadataService, imdsErrorBody } from './imds.js';
import { sampleMetadata } from '../../test/helpers/guest.js';

const get = (s: MetadataService, path: string, headers: Record<string, string> = {}) => s.handle({ method: 'GET', path, headers });
const token = (s: MetadataService, ttl = '21600', extra: Record<string, string> = {}) =>
  s.handle({ method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl, ...extra } });

describe('MetadataService', () => {
  it('answers IMDSv1 leaves and LF-separated listings', () => {
    const s = new MetadataService(sampleMetadata());
    assert.equal(get(s, '/latest/meta-data/instance-id').body, 'i-0123456789abcdef0');
    assert.equal(get(s, '/latest/meta-data/placement/availability-zone').body, 'us-east-1a');
    const listing = get(s, '/latest/meta-data/').body.split('\n');
    for (const k of ['ami-id', 'hostname', 'instance-id', 'local-ipv4', 'public-ipv4', 'placement/', 'public-keys/']) assert.ok(listing.includes(k), k);
    assert.equal(get(s, '/latest/meta-data/public-keys/').body, '0=dev');
    assert.equal(get(s, '/latest/meta-data/public-keys/0/').body, 'openssh-key');
    assert.match(get(s, '/latest/meta-data/public-keys/0/openssh-key').body, /^ssh-ed25519 AAAA\S+ dev$/);
    assert.equal(get(s, '/latest/meta-data/instance-id').headers.find(([k]) => k === 'Content-Type')?.[1], 'text/plain');
  });

  it('returns AWS 404 page for unknown paths', () => {
    const s = new MetadataService(sampleMetadata());
    const r = get(s, '/latest/meta-data/nope');
    assert.equal(r.status, 404);
    assert.equal(r.body, imdsErrorBody(404));
    assert.match(r.body, /<title>404 - Not Found<\/title>/);
    assert.equal(get(s, '/latest/meta-data/public-keys/').status, 200);
    assert.equal(get(new MetadataService(sampleMetadata({ launchKey: undefined })), '/latest/meta-data/public-keys/').status, 404);
  });

  it('runs the IMDSv2 token flow', () => {
    const s = new MetadataService(sampleMetadata(), { httpTokens: 'required' });
    assert.equal(get(s, '/latest/meta-data/instance-id').status, 401);
    assert.match(get(s, '/latest/meta-data/instance-id').body, /401 - Unauthorized/);
    const t = token(s, '60');
    assert.equal(t.status, 200);
    assert.ok(t.body.length >= 40);
    const r = get(s, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': t.body });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'i-0123456789abcdef0');
    assert.equal(get(s, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': 'forged' }).status, 401);
    // a token from another instance's service is not valid here
    const other = new MetadataService(sampleMetadata());
    assert.equal(get(other, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': t.body }).status, 401);
  });

  it('validates token requests', () => {
    const s = new MetadataService(sampleMetadata());
    assert.equal(token(s, '0').status, 400);
    assert.equal(token(s, '21601').status, 400);
    assert.equal(token(s, 'abc').status, 400);
    assert.equal(s.handle({ method: 'PUT', path: '/latest/api/token', headers: {} }).status, 400);
    assert.equal(token(s, '60', { 'X-Forwarded-For': '1.2.3.4' }).status, 403);
    assert.equal(s.handle({ method: 'PUT', path: '/2021-03-23/api/token', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } }).status, 403);
    assert.equal(token(s, '1').status, 200);
    assert.equal(token(s, '21600').status, 200);
  });

  it('expires tokens by their TTL', () => {
    let now = 1_000_000;
    const s = new MetadataService(sampleMetadata(), {}, () => now);
    const t = token(s, '5').body;
    now += 4_000;
    assert.equal(get(s, '/latest/meta-data/ami-id', { 'X-aws-ec2-metadata-token': t }).status, 200);
    now += 1_000;
    assert.equal(get(s, '/latest/meta-data/ami-id', { 'X-aws-ec2-metadata-token': t }).status, 401);
  });

  it('is forbidden when the endpoint is disabled', () => {
    const s = new MetadataService(sampleMetadata());
    s.setOptions({ httpEndpoint: 'disabled' });
    assert.equal(get(s, '/latest/meta-data/').status, 403);
  });
});
