import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { awsManagedAliasArn, awsManagedKeyArn, isKmsKeyIdForm, resolvedKeyArn, resolveVolumeEncryption } from './ebs-encryption.js';

const s = { accountId: '111122223333', region: 'eu-west-1' };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('resolveVolumeEncryption', () => {
  it('encryption is only ever added: asked, inherited from the snapshot, or by default', () => {
    assert.deepEqual(resolveVolumeEncryption(s, {}, undefined, { enabled: false }), { encrypted: false });
    assert.deepEqual(resolveVolumeEncryption(s, { encrypted: true }, undefined, { enabled: false }), { encrypted: true, kmsKeyId: awsManagedKeyArn(s) });
    assert.deepEqual(resolveVolumeEncryption(s, { encrypted: false }, { encrypted: true, kmsKeyId: KEY }, { enabled: false }), { encrypted: true, kmsKeyId: KEY });
    assert.deepEqual(resolveVolumeEncryption(s, { encrypted: false }, undefined, { enabled: true, kmsKeyId: KEY }), { encrypted: true, kmsKeyId: KEY });
    assert.deepEqual(resolveVolumeEncryption(s, { encrypted: true, kmsKeyId: 'alias/aws/ebs' }, undefined, { enabled: false }).kmsKeyId, awsManagedKeyArn(s));
    assert.throws(() => resolveVolumeEncryption(s, { kmsKeyId: KEY }, undefined, { enabled: true }), /The parameter KmsKeyId requires the parameter Encrypted to be set\./);
  });

  it('the managed key: one stable key ARN per account and Region; the alias ARN form', () => {
    assert.equal(awsManagedKeyArn(s), awsManagedKeyArn({ ...s }));
    assert.notEqual(awsManagedKeyArn(s), awsManagedKeyArn({ ...s, region: 'us-east-1' }));
    assert.equal(awsManagedAliasArn(s), 'arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs');
    assert.ok(isKmsKeyIdForm(KEY) && isKmsKeyIdForm('alias/x') && isKmsKeyIdForm('1234abcd-12ab-34cd-56ef-1234567890ab'));
    assert.ok(!isKmsKeyIdForm('my-fake-kms-key-asdf'));
    assert.equal(resolvedKeyArn(s, 'alias/aws/ebs'), awsManagedKeyArn(s));
    assert.equal(resolvedKeyArn(s, KEY), KEY);
    assert.equal(resolvedKeyArn(s, '1234abcd-12ab-34cd-56ef-1234567890ab'), KEY);
    assert.equal(resolvedKeyArn(s, 'alias/x'), resolvedKeyArn(s, 'arn:aws:kms:eu-west-1:111122223333:alias/x'));
  });
});
