// CreateDhcpOptions: DhcpConfiguration.N.Key with Value.M (domain-name, domain-name-servers, ntp-servers, netbios-*).
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready, tagChange, withTags } from './common.js';
import { dhcpOptionsItem } from './gateway-views.js';

const KEYS = ['domain-name', 'domain-name-servers', 'ntp-servers', 'netbios-name-servers', 'netbios-node-type', 'ipv6-address-preferred-lease-time'];

export default defineAction(
  'CreateDhcpOptions',
  { configurations: fields.rest('DhcpConfiguration'), tagSpecifications: fields.tagSpecifications(), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    const byIndex = new Map<number, { key?: string; values: [number, string][] }>();
    for (const [k, v] of Object.entries(input.configurations)) {
      const m = /^([1-9][0-9]*)\.(Key|Value\.([1-9][0-9]*))$/.exec(k);
      if (!m) throw new Ec2Error('UnknownParameter', `DhcpConfiguration.${k}`);
      const e = byIndex.get(Number(m[1])) ?? { values: [] };
      if (m[2] === 'Key') e.key = v;
      else e.values.push([Number(m[3]), v]);
      byIndex.set(Number(m[1]), e);
    }
    if (byIndex.size === 0) throw new Ec2Error('MissingParameter', 'DhcpConfiguration');
    const configurations = [...byIndex].sort((a, b) => a[0] - b[0]).map(([, e]) => {
      if (!e.key) throw new Ec2Error('MissingParameter', 'DhcpConfiguration.Key');
      if (!KEYS.includes(e.key)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${e.key}' for DhcpConfiguration.Key`);
      return { key: e.key, values: e.values.sort((a, b) => a[0] - b[0]).map(([, v]) => v) };
    });
    const id = ctx.ids.next('dopt');
    const tags = tagChange(input.tagSpecifications, 'dhcp-options', id);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const d = { kind: 'dhcp-options' as const, id, data: { configurations }, tags: [] };
    await ctx.store.network.change(ctx.scope, [], () => ({ changes: { put: [d], tag: tags }, result: undefined }));
    return { dhcpOptions: dhcpOptionsItem(withTags(d, tags), ctx.scope) };
  },
);
