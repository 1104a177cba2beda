// Your VPCs: the list with a details pane, Create VPC (Name tag, IPv4 CIDR, tenancy, tags) and
// Actions → Delete VPC (typed confirmation; DeleteVpc).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { childText, tagSpecParams, type Tag } from '../api.js';
import { listVpcs, type Vpc } from '../network-api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, TagEditor } from '../ui.js';
import { EmptyRow, FilterInput, PageHeader, SelectHeader, matchesFilter, useLoaded } from '../components/list.js';
import { FormActions, TextField, useBusySubmit } from '../components/form.js';
import { ConfirmDelete } from '../components/confirm-delete.js';
import { navigate } from '../nav.js';

export function VpcsPage({ api }: PageProps) {
  const { value: list, error, setError, busy, load } = useLoaded(() => listVpcs(api));
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  const [message, setMessage] = useState<string | undefined>(() => flash.take());
  const chosen = list?.find((v) => v.id === selected);
  const shown = (list ?? []).filter((v) => matchesFilter(filter, [v.id, v.name, v.cidr]));
  return (
    <section>
      <PageHeader title="Your VPCs" count={list?.length} busy={busy} onRefresh={() => void load()}>
        <MenuButton label="Actions" items={[{ label: 'Delete VPC', disabled: !chosen, onSelect: () => setDeleting(true) }]} />
        <button type="button" class="primary" onClick={() => navigate('#/Vpcs/create')}>
          Create VPC
        </button>
      </PageHeader>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <FilterInput label="Filter VPCs" placeholder="Filter VPCs" value={filter} onChange={setFilter} />
      <table class="table" aria-label="VPCs">
        <thead>
          <tr>
            <SelectHeader />
            <th>Name</th>
            <th>VPC ID</th>
            <th>State</th>
            <th>IPv4 CIDR</th>
            <th>DHCP option set</th>
            <th>Tenancy</th>
            <th>Default VPC</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((v) => (
            <tr key={v.id} class={selected === v.id ? 'selected' : ''} aria-selected={selected === v.id}>
              <td class="select">
                <input type="radio" name="vpc" aria-label={`Select ${v.id}`} checked={selected === v.id} onChange={() => setSelected(v.id)} />
              </td>
              <td>{v.name || '–'}</td>
              <td class="mono nowrap">{v.id}</td>
              <td>
                <span class={`state state-${v.state}`}>{v.state === 'available' ? 'Available' : v.state}</span>
              </td>
              <td class="mono">{v.cidr}</td>
              <td class="mono">{v.dhcpOptionsId}</td>
              <td>{v.tenancy}</td>
              <td>{v.isDefault ? 'Yes' : 'No'}</td>
            </tr>
          ))}
          <EmptyRow show={!!list && shown.length === 0} colSpan={8}>
            No VPCs
          </EmptyRow>
        </tbody>
      </table>
      {chosen ? <VpcDetails vpc={chosen} /> : <p class="muted details-hint">Select a VPC to see its details.</p>}
      {deleting && chosen && (
        <ConfirmDelete
          title="Delete VPC"
          onClose={() => setDeleting(false)}
          onDelete={async () => {
            await api.ec2('DeleteVpc', { VpcId: chosen.id });
            setDeleting(false);
            setSelected(undefined);
            setMessage(`You successfully deleted ${chosen.id}`);
            await load();
          }}
        >
          <p>
            Are you sure that you want to delete <strong class="mono">{chosen.id}</strong>? Its subnets, security groups (other than the default), network interfaces and gateways must be deleted first.
          </p>
        </ConfirmDelete>
      )}
    </section>
  );
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <dt>{label}</dt>
      <dd>{children || '–'}</dd>
    </div>
  );
}

function VpcDetails({ vpc: v }: { vpc: Vpc }) {
  return (
    <section class="details" aria-label={`Details of ${v.id}`}>
      <h2>
        {v.id}
        {v.name ? ` / ${v.name}` : ''}
      </h2>
      <dl class="grid">
        <Field label="VPC ID">{v.id}</Field>
        <Field label="State">{v.state}</Field>
        <Field label="IPv4 CIDR">{v.cidr}</Field>
        <Field label="DHCP option set">{v.dhcpOptionsId}</Field>
        <Field label="Tenancy">{v.tenancy}</Field>
        <Field label="Default VPC">{v.isDefault ? 'Yes' : 'No'}</Field>
      </dl>
      <p>
        <a href={`#/Subnets/vpc/${v.id}`}>Subnets of this VPC</a> · <a href={`#/SecurityGroups/vpc/${v.id}`}>Security groups of this VPC</a>
      </p>
    </section>
  );
}

export function CreateVpcPage({ api }: PageProps) {
  const [name, setName] = useState('');
  const [cidr, setCidr] = useState('10.0.0.0/16');
  const [tenancy, setTenancy] = useState('default');
  const [tags, setTags] = useState<Tag[]>([]);
  const { error, busy, submit } = useBusySubmit(async () => {
    const all = [...(name ? [{ key: 'Name', value: name }] : []), ...tags];
    const r = await api.ec2('CreateVpc', { CidrBlock: cidr, InstanceTenancy: tenancy, ...tagSpecParams(1, 'vpc', all) });
    flash.set(`You successfully created ${childText(childElement(r, 'vpc'), 'vpcId')}`);
    navigate('#/Vpcs');
  });
  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/Vpcs">Your VPCs</a> › Create VPC
      </nav>
      <h1>Create VPC</h1>
      <form class="form" onSubmit={submit}>
        <ErrorAlert error={error} />
        <fieldset>
          <legend>VPC settings</legend>
          <TextField label="Name tag - optional" value={name} onChange={setName} maxLength={256} />
          <TextField label="IPv4 CIDR" value={cidr} onChange={setCidr} required />
          <label>
            Tenancy
            <select value={tenancy} onChange={(e) => setTenancy(e.currentTarget.value)}>
              <option value="default">Default</option>
              <option value="dedicated">Dedicated</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Tags</legend>
          <TagEditor tags={tags} onChange={setTags} />
        </fieldset>
        <FormActions cancel="#/Vpcs" label="Create VPC" disabled={busy} />
      </form>
    </section>
  );
}

/** The first child element named `name` (the answer's <vpc>, <subnet>). */
export function childElement(el: Element, name: string): Element | undefined {
  return Array.from(el.children).find((c) => c.localName === name);
}
