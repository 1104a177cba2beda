// The JSON/table shape of a key pair as the `keys` commands print it.
import type { KeyPairInfo, Tag } from '@aws-sdk/client-ec2';

export interface KeyPairView {
  KeyName: string;
  KeyPairId: string;
  KeyType?: string;
  KeyFingerprint?: string;
  CreateTime?: string;
  PublicKey?: string;
  Tags: { Key: string; Value: string }[];
}

export function tagsView(tags: Tag[] | undefined): { Key: string; Value: string }[] {
  return (tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
}

export function keyPairView(k: KeyPairInfo): KeyPairView {
  return {
    KeyName: k.KeyName ?? '',
    KeyPairId: k.KeyPairId ?? '',
    ...(k.KeyType !== undefined ? { KeyType: k.KeyType } : {}),
    ...(k.KeyFingerprint !== undefined ? { KeyFingerprint: k.KeyFingerprint } : {}),
    ...(k.CreateTime !== undefined ? { CreateTime: k.CreateTime.toISOString() } : {}),
    ...(k.PublicKey !== undefined ? { PublicKey: k.PublicKey } : {}),
    Tags: tagsView(k.Tags),
  };
}

export function tagsText(tags: { Key: string; Value: string }[]): string | undefined {
  return tags.length === 0 ? undefined : tags.map((t) => `${t.Key}=${t.Value}`).join(', ');
}

/** --tag KEY=VALUE options → TagSpecifications for a key pair. */
export function tagSpecifications(tags: string[] | undefined): { ResourceType: 'key-pair'; Tags: Tag[] }[] | undefined {
  if (!tags || tags.length === 0) return undefined;
  return [
    {
      ResourceType: 'key-pair',
      Tags: tags.map((t) => {
        const i = t.indexOf('=');
        return i < 0 ? { Key: t, Value: '' } : { Key: t.slice(0, i), Value: t.slice(i + 1) };
      }),
    },
  ];
}
