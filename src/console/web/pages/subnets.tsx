// Subnets: the list (optionally of one VPC: #/Subnets/vpc/vpc-…) with a details pane, Create
// subnet (VPC ID, Subnet name, Availability Zone, IPv4 subnet CIDR block) and Actions → Delete
// subnet (typed confirmation; DeleteSubnet), Edit subnet settings (auto-assign public IPv4).
import { useEffect, useState } from 'preact/hooks';
import { childText, tagSpecParams } from '../api.js';
import { listSubnets, listVpcs, type Subnet, type Vpc } from '../network-api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, Modal } from '../ui.js';
import { EmptyRow, FilterInput, PageHeader, SelectHeader, matchesFilter, useLoaded } from '../components/list.js';
import { FormActions, TextField, useBusySubmit, useSubmit } from '../components/form.js';
import { ConfirmDelete } from '../components/confirm-delete.js';
import { navigate } from '../nav.js';
import { zonesOf } from '../regions.js';
import { childElement, Field } from './vpcs.js';

export function SubnetsPage({ api, vpcId }: PageProps & { vpcId?: string }) {
  const { value: list, error, setError, busy, load } = useLoaded(() => listSubnets(api, vpcId ? { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId } : {}));
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string>();
  const [dialog, setDialog] = useState<'delete' | 'settings'>();
  const [message, setMessage] = useState<string | undefined>(() => flash.take());
  const chosen = list?.find((s) => s.id === selected);
  const shown = (list ?? []).filter((s) => matchesFilter(filter, [s.id, s.name, s.vpcId, s.cidr, s.zone]));
  const done = async (text: string) => {
    setDialog(undefined);
    setMessage(text);
    await load();
  };
  return (
    <section>
      <PageHeader title={vpcId ? `Subnets of ${vpcId}` : 'Subnets'} count={list?.length} busy={busy} onRefresh={() => void load()}>
        <MenuButton
          label="Actions"
          items={[
            { label: 'Edit subnet settings', disabled: !chosen, onSelect: () => setDialog('settings') },
            { label: 'Delete subnet', disabled: !chosen, onSelect: () => setDialog('delete') },
          ]}
        />
        <button type="button" class="primary" onClick={() => navigate('#/Subnets/create')}>
          Create subnet
        </button>
      </PageHeader>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <FilterInput label="Filter subnets" placeholder="Filter subnets" value={filter} onChange={setFilter} />
      <table class="table" aria-label="Subnets">
        <thead>
          <tr>
            <SelectHeader />
            <th>Name</th>
            <th>Subnet ID</th>
            <th>State</th>
            <th>VPC</th>
            <th>IPv4 CIDR</th>
            <th>Available IPv4 addresses</th>
            <th>Availability Zone</th>
            <th>Default subnet</th>
            <th>Auto-assign public IPv4 address</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s) => (
            <tr key={s.id} class={selected === s.id ? 'selected' : ''} aria-selected={selected === s.id}>
              <td class="select">
                <input type="radio" name="subnet" aria-label={`Select ${s.id}`} checked={selected === s.id} onChange={() => setSelected(s.id)} />
              </td>
              <td>{s.name || '–'}</td>
              <td class="mono nowrap">{s.id}</td>
              <td>{s.state === 'available' ? 'Available' : s.state}</td>
              <td class="mono nowrap">{s.vpcId}</td>
              <td class="mono">{s.cidr}</td>
              <td>{s.available}</td>
              <td class="nowrap">{s.zone}</td>
              <td>{s.defaultForAz ? 'Yes' : 'No'}</td>
              <td>{s.mapPublicIp ? 'Yes' : 'No'}</td>
            </tr>
          ))}
          <EmptyRow show={!!list && shown.length === 0} colSpan={10}>
            No subnets
          </EmptyRow>
        </tbody>
      </table>
      {chosen ? <SubnetDetails subnet={chosen} /> : <p class="muted details-hint">Select a subnet to see its details.</p>}
      {dialog === 'delete' && chosen && (
        <ConfirmDelete
          title="Delete subnet"
          onClose={() => setDialog(undefined)}
          onDelete={async () => {
            await api.ec2('DeleteSubnet', { SubnetId: chosen.id });
            setSelected(undefined);
            await done(`You successfully deleted ${chosen.id}`);
          }}
        >
          <p>
            Are you sure that you want to delete <strong class="mono">{chosen.id}</strong>?
          </p>
        </ConfirmDelete>
      )}
      {dialog === 'settings' && chosen && <SubnetSettings api={api} subnet={chosen} onClose={() => setDialog(undefined)} onDone={(t) => void done(t)} />}
    </section>
  );
}

function SubnetDetails({ subnet: s }: { subnet: Subnet }) {
  return (
    <section class="details" aria-label={`Details of ${s.id}`}>
      <h2>
        {s.id}
        {s.name ? ` / ${s.name}` : ''}
      </h2>
      <dl class="grid">
        <Field label="Subnet ID">{s.id}</Field>
        <Field label="VPC">{s.vpcId}</Field>
        <Field label="IPv4 CIDR">{s.cidr}</Field>
        <Field label="Available IPv4 addresses">{s.available}</Field>
        <Field label="Availability Zone">{s.zone}</Field>
        <Field label="Default subnet">{s.defaultForAz ? 'Yes' : 'No'}</Field>
        <Field label="Auto-assign public IPv4 address">{s.mapPublicIp ? 'Yes' : 'No'}</Field>
      </dl>
    </section>
  );
}

function SubnetSettings({ api, subnet, onClose, onDone }: { api: PageProps['api']; subnet: Subnet; onClose: () => void; onDone: (t: string) => void }) {
  const [map, setMap] = useState(subnet.mapPublicIp);
  const { error, submit } = useSubmit(async () => {
    await api.ec2('ModifySubnetAttribute', { SubnetId: subnet.id, 'MapPublicIpOnLaunch.Value': map });
    onDone(`You have successfully changed subnet settings for ${subnet.id}`);
  });
  return (
    <Modal title="Edit subnet settings" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <ErrorAlert error={error} />
        <label class="radio">
          <input type="checkbox" checked={map} onChange={(e) => setMap(e.currentTarget.checked)} />
          Enable auto-assign public IPv4 address
        </label>
        <FormActions cancel={onClose} label="Save" />
      </form>
    </Modal>
  );
}

export function CreateSubnetPage({ api, region }: PageProps) {
  const [vpcs, setVpcs] = useState<Vpc[]>([]);
  const [vpcId, setVpcId] = useState('');
  const [name, setName] = useState('');
  const [zone, setZone] = useState('');
  const [cidr, setCidr] = useState('');
  const { error, setError, busy, submit } = useBusySubmit(async () => {
    const r = await api.ec2('CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: cidr,
      AvailabilityZone: zone,
      ...tagSpecParams(1, 'subnet', name ? [{ key: 'Name', value: name }] : []),
    });
    flash.set(`You have successfully created 1 subnet: ${childText(childElement(r, 'subnet'), 'subnetId')}`);
    navigate('#/Subnets');
  });
  useEffect(() => {
    listVpcs(api)
      .then((l) => {
        setVpcs(l);
        setVpcId((cur) => cur || l.find((v) => !v.isDefault)?.id || l[0]?.id || '');
      })
      .catch(setError);
  }, []);
  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/Subnets">Subnets</a> › Create subnet
      </nav>
      <h1>Create subnet</h1>
      <form class="form" onSubmit={submit}>
        <ErrorAlert error={error} />
        <fieldset>
          <legend>VPC</legend>
          <label>
            VPC ID
            <select value={vpcId} onChange={(e) => setVpcId(e.currentTarget.value)} required>
              {vpcs.map((v) => (
                <option value={v.id} key={v.id}>
                  {v.id}
                  {v.name ? ` (${v.name})` : ''} {v.cidr}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Subnet settings</legend>
          <TextField label="Subnet name" value={name} onChange={setName} maxLength={256} />
          <label>
            Availability Zone
            <select value={zone} onChange={(e) => setZone(e.currentTarget.value)}>
              <option value="">No preference</option>
              {zonesOf(region).map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          </label>
          <TextField label="IPv4 subnet CIDR block" value={cidr} onChange={setCidr} required />
        </fieldset>
        <FormActions cancel="#/Subnets" label="Create subnet" disabled={busy || !vpcId} />
      </form>
    </section>
  );
}
