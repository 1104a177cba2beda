import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colonHex, strictBase64Decode } from './encoding.js';
import { SshReader, SshWireError, sshMpint, sshString, sshUint32 } from './ssh-wire.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('ssh-wire', () => {
  it('encodes mpints as RFC 4251 examples say', () => {
    assert.equal(sshMpint(hex('')).toString('hex'), '00000000');
    assert.equal(sshMpint(hex('00')).toString('hex'), '00000000');
    assert.equal(sshMpint(hex('09a378f9b2e332a7')).toString('hex'), '0000000809a378f9b2e332a7');
    assert.equal(sshMpint(hex('80')).toString('hex'), '000000020080');
    assert.equal(sshMpint(hex('000080')).toString('hex'), '000000020080');
    assert.equal(sshMpint(hex('010001')).toString('hex'), '00000003010001');
  });

  it('writes strings and uint32', () => {
    assert.equal(sshString('ssh-rsa').toString('hex'), '00000007' + Buffer.from('ssh-rsa').toString('hex'));
    assert.equal(sshUint32(0xdeadbeef).toString('hex'), 'deadbeef');
  });

  it('reads back what it writes and detects the end', () => {
    const buf = Buffer.concat([sshString('abc'), sshMpint(hex('ff01')), sshUint32(7)]);
    const r = new SshReader(buf);
    assert.equal(r.text(), 'abc');
    assert.equal(r.mpint().toString('hex'), 'ff01');
    assert.equal(r.uint32(), 7);
    r.end();
  });

  it('rejects truncation, trailing bytes, negative and non-minimal mpints', () => {
    assert.throws(() => new SshReader(hex('0000000561')).string(), SshWireError);
    assert.throws(() => new SshReader(hex('000000')).uint32(), SshWireError);
    const r = new SshReader(Buffer.concat([sshString('x'), hex('00')]));
    r.string();
    assert.throws(() => r.end(), SshWireError);
    assert.throws(() => new SshReader(hex('0000000180')).mpint(), /negative/);
    assert.throws(() => new SshReader(hex('000000020001')).mpint(), /non-minimal/);
    assert.throws(() => new SshReader(hex('0000000100')).mpint(), /non-minimal/);
  });

  it('decodes base64 strictly', () => {
    assert.deepEqual(strictBase64Decode('AQAB'), hex('010001'));
    assert.equal(strictBase64Decode('AQA'), undefined); // missing padding
    assert.equal(strictBase64Decode('AQ=B'), undefined);
    assert.equal(strictBase64Decode('AR=='), undefined); // non-zero trailing bits
    assert.equal(strictBase64Decode('AQAB!'), undefined);
    assert.equal(strictBase64Decode(''), undefined);
  });

  it('formats colon hex', () => {
    assert.equal(colonHex(hex('0aff10')), '0a:ff:10');
  });
});
