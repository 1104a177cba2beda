// Security Groups: the list (optionally of one VPC), the details page of a group with its Inbound
// rules / Outbound rules tabs, "Edit inbound rules" / "Edit outbound rules" (the rules editor,
// saved as Revoke / Modify / Authorize calls), Create security group and Actions → Delete.
import { useEffect, useState } from 'preact/hooks';
import { childText, tagSpecParams, type Tag } from '../api.js';
import { listRules, listSecurityGroups, listVpcs, portRangeLabel, protocolLabel, ruleTypeOf, type Rule, type SecurityGroup, type Vpc } from '../network-api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, Modal, TagEditor } from '../ui.js';
import { EmptyRow, FilterInput, PageHeader, SelectHeader, matchesFilter, useLoaded } from '../components/list.js';
import { FormActions, TextField, useBusySubmit, useSubmit } from '../components/form.js';
import { RulesEditor, newRow, permissionParams, rowOf, saveRules, type RuleRow } from '../components/rules-editor.js';
import { navigate } from '../nav.js';
import { Field } from './vpcs.js';

export function SecurityGroupsPage({ api, vpcId }: PageProps & { vpcId?: string }) {
  const { value: list, error, setError, busy, load } = useLoaded(() => listSecurityGroups(api, vpcId ? { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId } : {}));
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  const [message, setMessage] = useState<string | undefined>(() => flash.take());
  const chosen = list?.find((g) => g.id === selected);
  const shown = (list ?? []).filter((g) => matchesFilter(filter, [g.id, g.name, g.vpcId, g.description, tagName(g.tags)]));
  return (
    <section>
      <PageHeader title={vpcId ? `Security Groups of ${vpcId}` : 'Security Groups'} count={list?.length} busy={busy} onRefresh={() => void load()}>
        <MenuButton
          label="Actions"
          items={[
            { label: 'Edit inbound rules', disabled: !chosen, onSelect: () => chosen && navigate(`#/SecurityGroups/${chosen.id}/inbound`) },
            { label: 'Edit outbound rules', disabled: !chosen, onSelect: () => chosen && navigate(`#/SecurityGroups/${chosen.id}/outbound`) },
            { label: 'Delete security groups', disabled: !chosen, onSelect: () => setDeleting(true) },
          ]}
        />
        <button type="button" class="primary" onClick={() => navigate('#/SecurityGroups/create')}>
          Create security group
        </button>
      </PageHeader>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <FilterInput label="Filter security groups" placeholder="Find security groups by attribute or tag" value={filter} onChange={setFilter} />
      <table class="table" aria-label="Security Groups">
        <thead>
          <tr>
            <SelectHeader />
            <th>Name</th>
            <th>Security group ID</th>
            <th>Security group name</th>
            <th>VPC ID</th>
            <th>Description</th>
            <th>Owner</th>
            <th>Inbound rules count</th>
            <th>Outbound rules count</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((g) => (
            <tr key={g.id} class={selected === g.id ? 'selected' : ''} aria-selected={selected === g.id}>
              <td class="select">
                <input type="radio" name="sg" aria-label={`Select ${g.id}`} checked={selected === g.id} onChange={() => setSelected(g.id)} />
              </td>
              <td>{tagName(g.tags) || '–'}</td>
              <td class="mono nowrap">
                <a href={`#/SecurityGroups/${g.id}`}>{g.id}</a>
              </td>
              <td>{g.name}</td>
              <td class="mono nowrap">{g.vpcId}</td>
              <td>{g.description}</td>
              <td class="mono">{g.ownerId}</td>
              <td>{g.inboundCount} Permission entr{g.inboundCount === 1 ? 'y' : 'ies'}</td>
              <td>{g.outboundCount} Permission entr{g.outboundCount === 1 ? 'y' : 'ies'}</td>
            </tr>
          ))}
          <EmptyRow show={!!list && shown.length === 0} colSpan={9}>
            No security groups
          </EmptyRow>
        </tbody>
      </table>
      {deleting && chosen && (
        <DeleteGroup
          api={api}
          group={chosen}
          onClose={() => setDeleting(false)}
          onDone={async () => {
            setDeleting(false);
            setSelected(undefined);
            setMessage(`Successfully deleted security group: ${chosen.id}`);
            await load();
          }}
        />
      )}
    </section>
  );
}

const tagName = (tags: Tag[]) => tags.find((t) => t.key === 'Name')?.value ?? '';

function DeleteGroup({ api, group, onClose, onDone }: { api: PageProps['api']; group: SecurityGroup; onClose: () => void; onDone: () => Promise<void> }) {
  const { error, run } = useSubmit(async () => {
    await api.ec2('DeleteSecurityGroup', { GroupId: group.id });
    await onDone();
  });
  return (
    <Modal title="Delete security groups" onClose={onClose}>
      <p>
        Are you sure you want to delete the following security group? <strong class="mono">{group.id}</strong> ({group.name})
      </p>
      <ErrorAlert error={error} />
      <FormActions cancel={onClose} label="Delete" kind="danger" onConfirm={() => void run()} />
    </Modal>
  );
}

/** A rules table as the details page and the instance's Security tab show it. */
export function RulesTable({ rules, egress, label }: { rules: Rule[]; egress: boolean; label: string }) {
  return (
    <table class="table compact" aria-label={label}>
      <thead>
        <tr>
          <th>Security group rule ID</th>
          <th>Type</th>
          <th>Protocol</th>
          <th>Port range</th>
          <th>{egress ? 'Destination' : 'Source'}</th>
          <th>Description</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr key={r.id}>
            <td class="mono">{r.id}</td>
            <td>{ruleTypeOf(r.protocol, r.fromPort, r.toPort).label}</td>
            <td>{protocolLabel(r.protocol)}</td>
            <td>{portRangeLabel(r.protocol, r.fromPort, r.toPort)}</td>
            <td class="mono">{r.peer}</td>
            <td>{r.description || '–'}</td>
          </tr>
        ))}
        <EmptyRow show={rules.length === 0} colSpan={6}>
          No security group rules found
        </EmptyRow>
      </tbody>
    </table>
  );
}

async function loadGroup(api: PageProps['api'], id: string): Promise<{ group: SecurityGroup; rules: Rule[] }> {
  const [group] = await listSecurityGroups(api, { 'GroupId.1': id });
  return { group: group!, rules: await listRules(api, [id]) };
}

export function SecurityGroupDetailsPage({ api, groupId }: PageProps & { groupId: string }) {
  const { value, error, setError, busy, load } = useLoaded(() => loadGroup(api, groupId));
  const [tab, setTab] = useState<'inbound' | 'outbound'>('inbound');
  const [message, setMessage] = useState<string | undefined>(() => flash.take());
  const g = value?.group;
  const rules = (value?.rules ?? []).filter((r) => r.egress === (tab === 'outbound'));
  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/SecurityGroups">Security Groups</a> › {groupId}
      </nav>
      <div class="page-header">
        <h1>
          {groupId}
          {g ? ` - ${g.name}` : ''}
        </h1>
        <div class="toolbar">
          <MenuButton
            label="Actions"
            items={[
              { label: 'Edit inbound rules', onSelect: () => navigate(`#/SecurityGroups/${groupId}/inbound`) },
              { label: 'Edit outbound rules', onSelect: () => navigate(`#/SecurityGroups/${groupId}/outbound`) },
            ]}
          />
        </div>
      </div>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      {g && (
        <section class="details" aria-label="Details">
          <h2>Details</h2>
          <dl class="grid">
            <Field label="Security group name">{g.name}</Field>
            <Field label="Security group ID">{g.id}</Field>
            <Field label="Description">{g.description}</Field>
            <Field label="VPC ID">{g.vpcId}</Field>
            <Field label="Owner">{g.ownerId}</Field>
            <Field label="Inbound rules count">{`${g.inboundCount} Permission entries`}</Field>
            <Field label="Outbound rules count">{`${g.outboundCount} Permission entries`}</Field>
          </dl>
        </section>
      )}
      <div role="tablist" class="tabs">
        <button type="button" role="tab" class="tab-button" aria-selected={tab === 'inbound'} onClick={() => setTab('inbound')}>
          Inbound rules
        </button>
        <button type="button" role="tab" class="tab-button" aria-selected={tab === 'outbound'} onClick={() => setTab('outbound')}>
          Outbound rules
        </button>
      </div>
      <div class="page-header">
        <h2>
          {tab === 'inbound' ? 'Inbound rules' : 'Outbound rules'} <span class="count">({rules.length})</span>
        </h2>
        <div class="toolbar">
          <button type="button" class="icon" aria-label="Refresh" onClick={() => void load()} aria-busy={busy}>
            ⟳
          </button>
          <button type="button" class="secondary" onClick={() => navigate(`#/SecurityGroups/${groupId}/${tab}`)}>
            {tab === 'inbound' ? 'Edit inbound rules' : 'Edit outbound rules'}
          </button>
        </div>
      </div>
      <RulesTable rules={rules} egress={tab === 'outbound'} label={tab === 'inbound' ? 'Inbound rules' : 'Outbound rules'} />
    </section>
  );
}

export function EditRulesPage({ api, groupId, egress }: PageProps & { groupId: string; egress: boolean }) {
  const [before, setBefore] = useState<Rule[]>();
  const [rows, setRows] = useState<RuleRow[]>([]);
  const title = egress ? 'Edit outbound rules' : 'Edit inbound rules';
  const { error, setError, busy, submit } = useBusySubmit(async () => {
    await saveRules(api, groupId, egress, before ?? [], rows);
    flash.set(`${egress ? 'Outbound' : 'Inbound'} security group rules successfully modified on security group (${groupId})`);
    navigate(`#/SecurityGroups/${groupId}`);
  });
  useEffect(() => {
    listRules(api, [groupId])
      .then((all) => {
        const mine = all.filter((r) => r.egress === egress);
        setBefore(mine);
        setRows(mine.map(rowOf));
      })
      .catch(setError);
  }, []);
  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/SecurityGroups">Security Groups</a> › <a href={`#/SecurityGroups/${groupId}`}>{groupId}</a> › {title}
      </nav>
      <h1>{title}</h1>
      <p class="muted">
        {egress ? 'Outbound' : 'Inbound'} rules control the {egress ? 'outgoing' : 'incoming'} traffic that's allowed {egress ? 'to leave' : 'to reach'} the instance.
      </p>
      <form class="form rules" onSubmit={submit}>
        <ErrorAlert error={error} />
        <RulesEditor rows={rows} onChange={setRows} egress={egress} />
        <FormActions cancel={`#/SecurityGroups/${groupId}`} label="Save rules" disabled={busy || !before} />
      </form>
    </section>
  );
}

export function CreateSecurityGroupPage({ api }: PageProps) {
  const [vpcs, setVpcs] = useState<Vpc[]>([]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [vpcId, setVpcId] = useState('');
  const [inbound, setInbound] = useState<RuleRow[]>([]);
  // AWS's default: one outbound rule, All traffic to 0.0.0.0/0 (CreateSecurityGroup adds it).
  const [outbound, setOutbound] = useState<RuleRow[]>([newRow('All traffic', '0.0.0.0/0')]);
  const [tags, setTags] = useState<Tag[]>([]);
  const { error, setError, busy, submit } = useBusySubmit(async () => {
    const r = await api.ec2('CreateSecurityGroup', { GroupName: name, GroupDescription: description, VpcId: vpcId, ...tagSpecParams(1, 'security-group', tags) });
    const id = childText(r, 'groupId');
    if (inbound.length) await api.ec2('AuthorizeSecurityGroupIngress', { GroupId: id, ...permissionParams(inbound) });
    // The group starts with All traffic to 0.0.0.0/0; make the outbound rules what the form says.
    const defaults = (await listRules(api, [id])).filter((x) => x.egress);
    const kept = outbound.map((row) => {
      const same = defaults.find((d) => JSON.stringify({ ...rowOf(d), ruleId: undefined, description: row.description }) === JSON.stringify({ ...row, ruleId: undefined }));
      return same && !row.description ? { ...row, ruleId: same.id } : row;
    });
    await saveRules(api, id, true, defaults, kept);
    flash.set(`Security group (${id} | ${name}) was created successfully`);
    navigate(`#/SecurityGroups/${id}`);
  });
  useEffect(() => {
    listVpcs(api)
      .then((l) => {
        setVpcs(l);
        setVpcId((cur) => cur || l.find((v) => v.isDefault)?.id || l[0]?.id || '');
      })
      .catch(setError);
  }, []);
  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/SecurityGroups">Security Groups</a> › Create security group
      </nav>
      <h1>Create security group</h1>
      <form class="form rules" onSubmit={submit}>
        <ErrorAlert error={error} />
        <fieldset>
          <legend>Basic details</legend>
          <TextField label="Security group name" value={name} onChange={setName} required maxLength={255} />
          <TextField label="Description" value={description} onChange={setDescription} required maxLength={255} />
          <label>
            VPC
            <select value={vpcId} onChange={(e) => setVpcId(e.currentTarget.value)} required>
              {vpcs.map((v) => (
                <option value={v.id} key={v.id}>
                  {v.id}
                  {v.name ? ` (${v.name})` : ''}
                  {v.isDefault ? ' (default)' : ''}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Inbound rules</legend>
          <RulesEditor rows={inbound} onChange={setInbound} egress={false} />
        </fieldset>
        <fieldset>
          <legend>Outbound rules</legend>
          <RulesEditor rows={outbound} onChange={setOutbound} egress={true} />
        </fieldset>
        <fieldset>
          <legend>Tags - optional</legend>
          <TagEditor tags={tags} onChange={setTags} />
        </fieldset>
        <FormActions cancel="#/SecurityGroups" label="Create security group" disabled={busy || !vpcId} />
      </form>
    </section>
  );
}
