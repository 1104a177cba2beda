// The account's EBS encryption-by-default settings for the Region (one `ebs-defaults` document named
// `default`), read by every action that creates a volume or copies a snapshot.
import type { EbsEncryptionDefaults } from '../compute/ebs-encryption.js';
import { DuplicateDocumentError } from '../store/port.js';
import type { ActionContext } from './context.js';

const NAME = 'default';

export async function ebsDefaults(ctx: ActionContext): Promise<EbsEncryptionDefaults> {
  return (await ctx.store.documents.get<EbsEncryptionDefaults>(ctx.scope, 'ebs-defaults', NAME)) ?? { enabled: false };
}

/** Changes the settings atomically (creating the document the first time). */
export async function changeEbsDefaults(ctx: ActionContext, change: (d: EbsEncryptionDefaults) => EbsEncryptionDefaults): Promise<EbsEncryptionDefaults> {
  for (;;) {
    const updated = await ctx.store.documents.update<EbsEncryptionDefaults>(ctx.scope, 'ebs-defaults', NAME, change);
    if (updated) return updated;
    try {
      const data = change({ enabled: false });
      await ctx.store.documents.insert(ctx.scope, 'ebs-defaults', { name: NAME, data });
      return data;
    } catch (e) {
      if (!(e instanceof DuplicateDocumentError)) throw e; // another request created it: change that one
    }
  }
}
