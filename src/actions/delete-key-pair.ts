// DeleteKeyPair: removes EC2's copy of the public key only. A name that does not exist succeeds
// (observed: boto/boto3#865); instances launched with the key keep it.
import { Ec2Error } from '../errors/ec2-error.js';
import { keyPairIdNotFound } from '../domain/key-pair.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';

export default defineAction(
  'DeleteKeyPair',
  {
    keyName: fields.string('KeyName'),
    keyPairId: fields.string('KeyPairId'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    if (!input.keyName && !input.keyPairId) throw new Ec2Error('MissingParameter', 'KeyName');
    checkDryRun(input.dryRun);
    if (input.keyPairId) {
      const deleted = await ctx.store.keyPairs.deleteById(ctx.scope, input.keyPairId);
      if (!deleted) throw keyPairIdNotFound(input.keyPairId);
      return { return: true, keyPairId: deleted.keyPairId };
    }
    const deleted = await ctx.store.keyPairs.deleteByName(ctx.scope, input.keyName!);
    return { return: true, keyPairId: deleted?.keyPairId };
  },
);
