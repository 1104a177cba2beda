// Auto Scaling's Filters (`Filters.member.N.Name`, `Filters.member.N.Values.member.M`) over group tags.
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { Ec2Error } from '../../errors/ec2-error.js';

export interface MemberFilter { name: string; values: string[] }

/** Parses the members under `Filters.` (as the `rest` field hands them over). */
export function memberFilters(raw: Record<string, string>): MemberFilter[] {
  const byIndex = new Map<number, MemberFilter>();
  for (const [key, value] of Object.entries(raw)) {
    const m = /^member\.(\d+)\.(Name|Values\.member\.\d+)$/.exec(key);
    if (!m) throw Ec2Error.withMessage('ValidationError', `The parameter Filters.${key} is not recognized`);
    const f = byIndex.get(Number(m[1])) ?? { name: '', values: [] };
    if (m[2] === 'Name') f.name = value;
    else f.values.push(value);
    byIndex.set(Number(m[1]), f);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
}

/** Every filter must match (values within one filter: any). */
export function matchesTagFilters(g: AutoScalingGroupDocument, filters: readonly MemberFilter[]): boolean {
  return filters.every((f) => {
    if (f.name === 'auto-scaling-group') return f.values.includes(g.autoScalingGroupName);
    if (f.name === 'tag-key' || f.name === 'key') return g.tags.some((t) => f.values.includes(t.key));
    if (f.name === 'tag-value' || f.name === 'value') return g.tags.some((t) => f.values.includes(t.value));
    if (f.name === 'propagate-at-launch') return g.tags.some((t) => f.values.includes(String(t.propagateAtLaunch)));
    if (f.name.startsWith('tag:')) return g.tags.some((t) => t.key === f.name.slice(4) && f.values.includes(t.value));
    throw Ec2Error.withMessage('ValidationError', `Filter type ${f.name} is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch`);
  });
}
