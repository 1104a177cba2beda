// Rows of the tags table (both engines store tags the same way), grouped by the resource they tag.
import type { Tag } from '../domain/tags.js';

export interface TagRow {
  resource_id: string;
  key: string;
  value: string;
}

/** Tags by resource id, each list in row order. */
export function groupTagRows(rows: Iterable<TagRow>): Map<string, Tag[]> {
  const out = new Map<string, Tag[]>();
  for (const r of rows) {
    let list = out.get(r.resource_id);
    if (!list) out.set(r.resource_id, (list = []));
    list.push({ key: r.key, value: r.value });
  }
  return out;
}
