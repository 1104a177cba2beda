// Saving an edited tag set with the public tag actions: DeleteTags for keys that went away,
// CreateTags for the new and changed ones.
import type { ApiClient, Params, Tag } from './api.js';

export async function saveTags(api: ApiClient, resourceId: string, before: Tag[], after: Tag[]): Promise<void> {
  const wanted = after.filter((t) => t.key !== '');
  const gone = before.filter((b) => !wanted.some((t) => t.key === b.key));
  const changed = wanted.filter((t) => !before.some((b) => b.key === t.key && b.value === t.value));
  if (gone.length) {
    const p: Params = { 'ResourceId.1': resourceId };
    gone.forEach((t, i) => (p[`Tag.${i + 1}.Key`] = t.key));
    await api.ec2('DeleteTags', p);
  }
  if (changed.length) {
    const p: Params = { 'ResourceId.1': resourceId };
    changed.forEach((t, i) => {
      p[`Tag.${i + 1}.Key`] = t.key;
      p[`Tag.${i + 1}.Value`] = t.value;
    });
    await api.ec2('CreateTags', p);
  }
}
