// The launch wizard's "Network settings": VPC, Subnet, Availability Zone (when no subnet is
// chosen), Auto-assign public IP, and Firewall (security groups): "Create security group" with
// "Allow SSH traffic from Anywhere" (and HTTPS / HTTP from the internet), or "Select existing
// security group". networkParams creates the launch-wizard-N group when asked, then gives
// RunInstances' members: one network interface (device index 0) with the subnet, the groups and
// AssociatePublicIpAddress, as AWS's console sends them.
import { useEffect, useState } from 'preact/hooks';
import { childText, type ApiClient, type Params } from '../api.js';
import { listSecurityGroups, listSubnets, listVpcs, type SecurityGroup, type Subnet, type Vpc } from '../network-api.js';
import { ErrorAlert } from '../ui.js';
import { zonesOf } from '../regions.js';

export interface NetworkChoice {
  vpcId: string;
  /** '' = No preference (the default subnet of the zone). */
  subnetId: string;
  zone: string;
  /** 'Enable' / 'Disable'; follows the subnet's setting until changed. */
  publicIp: 'Enable' | 'Disable';
  firewall: 'create' | 'existing';
  allowSsh: boolean;
  allowHttps: boolean;
  allowHttp: boolean;
  groupIds: string[];
}

export const DEFAULT_NETWORK: NetworkChoice = { vpcId: '', subnetId: '', zone: '', publicIp: 'Enable', firewall: 'create', allowSsh: true, allowHttps: false, allowHttp: false, groupIds: [] };

/** AWS's console names its groups launch-wizard-1, -2 …: the next number not taken in the VPC. */
async function nextWizardName(api: ApiClient, vpcId: string): Promise<string> {
  const taken = new Set((await listSecurityGroups(api, { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId })).map((g) => g.name));
  let n = 1;
  while (taken.has(`launch-wizard-${n}`)) n++;
  return `launch-wizard-${n}`;
}

/** Creates the wizard's group when asked, and returns RunInstances' network members. */
export async function networkParams(api: ApiClient, net: NetworkChoice): Promise<Params> {
  let groupIds = net.groupIds;
  if (net.firewall === 'create') {
    const vpcId = net.vpcId || (await listVpcs(api, { 'Filter.1.Name': 'is-default', 'Filter.1.Value.1': 'true' }))[0]?.id || '';
    const name = await nextWizardName(api, vpcId);
    // AWS's wording: "launch-wizard-1 created 2025-07-14T13:10:05.051Z"
    const r = await api.ec2('CreateSecurityGroup', { GroupName: name, GroupDescription: `${name} created ${new Date().toISOString()}`, VpcId: vpcId });
    const id = childText(r, 'groupId');
    const ports = [...(net.allowSsh ? [22] : []), ...(net.allowHttps ? [443] : []), ...(net.allowHttp ? [80] : [])];
    if (ports.length) {
      const p: Params = { GroupId: id };
      ports.forEach((port, i) => {
        const at = `IpPermissions.${i + 1}.`;
        Object.assign(p, { [`${at}IpProtocol`]: 'tcp', [`${at}FromPort`]: port, [`${at}ToPort`]: port, [`${at}IpRanges.1.CidrIp`]: '0.0.0.0/0' });
      });
      await api.ec2('AuthorizeSecurityGroupIngress', p);
    }
    groupIds = [id];
  }
  const p: Params = {
    'NetworkInterface.1.DeviceIndex': 0,
    'NetworkInterface.1.AssociatePublicIpAddress': net.publicIp === 'Enable',
    'NetworkInterface.1.SubnetId': net.subnetId,
  };
  groupIds.forEach((g, i) => (p[`NetworkInterface.1.SecurityGroupId.${i + 1}`] = g));
  if (!net.subnetId && net.zone) p['Placement.AvailabilityZone'] = net.zone;
  return p;
}

export function NetworkSettings({ api, region, value: net, onChange }: { api: ApiClient; region: string; value: NetworkChoice; onChange: (n: NetworkChoice) => void }) {
  const [vpcs, setVpcs] = useState<Vpc[]>([]);
  const [subnets, setSubnets] = useState<Subnet[]>([]);
  const [groups, setGroups] = useState<SecurityGroup[]>([]);
  const [error, setError] = useState<unknown>();
  const set = (patch: Partial<NetworkChoice>) => onChange({ ...net, ...patch });

  useEffect(() => {
    Promise.all([listVpcs(api), listSubnets(api), listSecurityGroups(api)])
      .then(([v, s, g]) => {
        setVpcs(v);
        setSubnets(s);
        setGroups(g);
        const def = v.find((x) => x.isDefault) ?? v[0];
        if (!net.vpcId && def) onChange({ ...net, vpcId: def.id });
      })
      .catch(setError);
  }, []);

  const vpc = vpcs.find((v) => v.id === net.vpcId);
  const inVpc = subnets.filter((s) => s.vpcId === net.vpcId);
  const subnet = subnets.find((s) => s.id === net.subnetId);
  const chooseVpc = (id: string) => {
    const v = vpcs.find((x) => x.id === id);
    // A VPC other than the default has no default subnet: AWS asks for one, so take the first.
    const first = v && !v.isDefault ? subnets.find((s) => s.vpcId === id) : undefined;
    onChange({ ...net, vpcId: id, subnetId: first?.id ?? '', publicIp: first && !first.mapPublicIp ? 'Disable' : 'Enable', groupIds: [] });
  };
  const chooseSubnet = (id: string) => {
    const s = subnets.find((x) => x.id === id);
    onChange({ ...net, subnetId: id, publicIp: s ? (s.mapPublicIp ? 'Enable' : 'Disable') : 'Enable' });
  };

  return (
    <fieldset>
      <legend>Network settings</legend>
      <ErrorAlert error={error} />
      <label>
        VPC - required
        <select value={net.vpcId} onChange={(e) => chooseVpc(e.currentTarget.value)}>
          {vpcs.map((v) => (
            <option value={v.id} key={v.id}>
              {v.id}
              {v.name ? ` (${v.name})` : ''}
              {v.isDefault ? ' (default)' : ''} {v.cidr}
            </option>
          ))}
        </select>
      </label>
      <label>
        Subnet
        <select aria-label="Subnet" value={net.subnetId} onChange={(e) => chooseSubnet(e.currentTarget.value)}>
          {(!vpc || vpc.isDefault) && <option value="">No preference (Default subnet in any availability zone)</option>}
          {inVpc.map((s) => (
            <option value={s.id} key={s.id}>
              {s.id}
              {s.name ? ` (${s.name})` : ''} {s.zone} {s.cidr}
            </option>
          ))}
        </select>
      </label>
      <label>
        Availability Zone
        <select value={subnet ? subnet.zone : net.zone} disabled={!!subnet} onChange={(e) => set({ zone: e.currentTarget.value })}>
          <option value="">No preference</option>
          {zonesOf(region).map((z) => (
            <option key={z}>{z}</option>
          ))}
        </select>
      </label>
      <label>
        Auto-assign public IP
        <select value={net.publicIp} onChange={(e) => set({ publicIp: e.currentTarget.value as NetworkChoice['publicIp'] })}>
          <option>Enable</option>
          <option>Disable</option>
        </select>
      </label>
      <div role="radiogroup" aria-label="Firewall (security groups)" class="radio-group">
        <span class="label">Firewall (security groups)</span>
        <label class="radio">
          <input type="radio" name="firewall" checked={net.firewall === 'create'} onChange={() => set({ firewall: 'create' })} />
          Create security group
        </label>
        <label class="radio">
          <input type="radio" name="firewall" checked={net.firewall === 'existing'} onChange={() => set({ firewall: 'existing' })} />
          Select existing security group
        </label>
      </div>
      {net.firewall === 'create' ? (
        <div class="suboptions">
          <p class="muted">We'll create a new security group called 'launch-wizard-N' with the following rules:</p>
          <label class="radio">
            <input type="checkbox" checked={net.allowSsh} onChange={(e) => set({ allowSsh: e.currentTarget.checked })} />
            Allow SSH traffic from Anywhere (0.0.0.0/0)
          </label>
          <label class="radio">
            <input type="checkbox" checked={net.allowHttps} onChange={(e) => set({ allowHttps: e.currentTarget.checked })} />
            Allow HTTPS traffic from the internet
          </label>
          <label class="radio">
            <input type="checkbox" checked={net.allowHttp} onChange={(e) => set({ allowHttp: e.currentTarget.checked })} />
            Allow HTTP traffic from the internet
          </label>
          {net.allowSsh && <p class="muted">Rules with source of 0.0.0.0/0 allow all IP addresses to access your instance.</p>}
        </div>
      ) : (
        <label>
          Common security groups
          <select
            multiple
            size={Math.min(6, Math.max(2, groups.length))}
            onChange={(e) => set({ groupIds: Array.from(e.currentTarget.selectedOptions).map((o) => o.value) })}
          >
            {groups
              .filter((g) => g.vpcId === net.vpcId)
              .map((g) => (
                <option value={g.id} key={g.id} selected={net.groupIds.includes(g.id)}>
                  {g.name} {g.id}
                </option>
              ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}
