// Instances: the list, Instance state menu (Stop / Start / Reboot / Terminate, the last confirmed),
// Connect, Launch instances, and a details pane for the selected instance. Polls while any
// instance is in a transitional state.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { childText } from '../api.js';
import { listInstances, PENDING_STATES, type Instance } from '../instances-api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, Modal, formatTime, useInterval } from '../ui.js';
import { EmptyRow, FilterInput, PageHeader, SelectHeader, matchesFilter, useLoaded, useSelection } from '../components/list.js';
import { listRules } from '../network-api.js';
import { RulesTable } from './security-groups.js';
import { FormActions, TextField, useSubmit } from '../components/form.js';
import { navigate } from '../nav.js';

const ACTIONS = {
  stop: { action: 'StopInstances', verb: 'Stopping' },
  start: { action: 'StartInstances', verb: 'Starting' },
  reboot: { action: 'RebootInstances', verb: 'Rebooting' },
  terminate: { action: 'TerminateInstances', verb: 'Terminating' },
} as const;

export function InstancesPage({ api }: PageProps) {
  const { value: list, error, setError, busy, load } = useLoaded(() => listInstances(api));
  const [filter, setFilter] = useState('');
  const { selected, setSelected, toggle } = useSelection();
  const [confirmTerminate, setConfirmTerminate] = useState(false);
  const [creatingImage, setCreatingImage] = useState(false);
  const [message, setMessage] = useState<string | undefined>(() => flash.take());

  const pending = (list ?? []).some((i) => PENDING_STATES.has(i.state));
  useInterval(pending, 1000, () => void load());

  const chosen = (list ?? []).filter((i) => selected.has(i.id));
  const one = chosen.length === 1 ? chosen[0] : undefined;
  const shown = (list ?? []).filter((i) => matchesFilter(filter, [i.name, i.id, i.state, i.type, i.zone, i.publicIp, i.keyName]));

  const run = async (kind: keyof typeof ACTIONS) => {
    const ids = chosen.map((i) => i.id);
    const p: Record<string, string> = {};
    ids.forEach((id, n) => (p[`InstanceId.${n + 1}`] = id));
    try {
      await api.ec2(ACTIONS[kind].action, p);
      setMessage(`${ACTIONS[kind].verb} ${ids.join(', ')}`);
      setError(undefined);
    } catch (e) {
      setError(e);
    }
    await load();
  };

  const can = (states: string[]) => chosen.length > 0 && chosen.every((i) => states.includes(i.state));

  return (
    <section>
      <PageHeader title="Instances" count={list?.length} busy={busy} onRefresh={() => void load()}>
        <button type="button" class="secondary" disabled={!one || one.state !== 'running'} onClick={() => one && navigate(`#/Instances/${one.id}/connect`)}>
          Connect
        </button>
        <MenuButton
          label="Actions"
          items={[
            { label: 'Create image', disabled: !one || one.state === 'terminated' || one.rootDeviceType !== 'ebs', onSelect: () => setCreatingImage(true) },
            // AWS: Actions → Security → Get Windows password (Windows instances only)
            { label: 'Get Windows password', disabled: !one || one.platform !== 'windows' || one.state === 'terminated', onSelect: () => one && navigate(`#/Instances/${one.id}/password`) },
          ]}
        />
        <MenuButton
          label="Instance state"
          items={[
            // As the seed says: Stop is disabled for an instance store-backed instance.
            { label: 'Stop instance', disabled: !can(['running', 'pending']) || chosen.some((i) => i.rootDeviceType === 'instance-store'), onSelect: () => void run('stop') },
            { label: 'Start instance', disabled: !can(['stopped']), onSelect: () => void run('start') },
            { label: 'Reboot instance', disabled: !can(['running']), onSelect: () => void run('reboot') },
            { label: 'Terminate instance', disabled: chosen.length === 0 || chosen.every((i) => i.state === 'terminated'), onSelect: () => setConfirmTerminate(true) },
          ]}
        />
        <button type="button" class="primary" onClick={() => navigate('#/Instances/launch')}>
          Launch instances
        </button>
      </PageHeader>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <FilterInput label="Filter instances" placeholder="Find instance by attribute or tag" value={filter} onChange={setFilter} />
      <table class="table" aria-label="Instances">
        <thead>
          <tr>
            <SelectHeader />
            <th>Name</th>
            <th>Instance ID</th>
            <th>Instance state</th>
            <th>Instance type</th>
            <th>Availability Zone</th>
            <th>Public IPv4 address</th>
            <th>Key name</th>
            <th>Launch time</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => (
            <tr key={i.id} class={selected.has(i.id) ? 'selected' : ''} aria-selected={selected.has(i.id)}>
              <td class="select">
                <input type="checkbox" aria-label={`Select ${i.id}`} checked={selected.has(i.id)} onChange={() => toggle(i.id)} />
              </td>
              <td>{i.name || '–'}</td>
              <td class="mono nowrap">
                <button type="button" class="link mono" onClick={() => setSelected(new Set([i.id]))}>
                  {i.id}
                </button>
              </td>
              <td>
                <span class={`state state-${i.state} nowrap`}>{i.state}</span>
              </td>
              <td class="nowrap">{i.type}</td>
              <td class="nowrap">{i.zone}</td>
              <td class="mono nowrap">{i.publicIp || '–'}</td>
              <td>{i.keyName || '–'}</td>
              <td>
                <time dateTime={i.launchTime}>{formatTime(i.launchTime)}</time>
              </td>
            </tr>
          ))}
          <EmptyRow show={!!list && shown.length === 0} colSpan={9}>
            {list?.length ? 'No matches' : 'No instances. Choose Launch instances to start one.'}
          </EmptyRow>
        </tbody>
      </table>
      {one ? <Details api={api} instance={one} key={one.id} /> : <p class="muted details-hint">Select an instance to see its details.</p>}
      {creatingImage && one && (
        <CreateImageDialog
          api={api}
          instance={one}
          onClose={() => setCreatingImage(false)}
          onDone={(text) => {
            setCreatingImage(false);
            setMessage(text);
            void load();
          }}
        />
      )}
      {confirmTerminate && (
        <Modal title="Terminate instance?" onClose={() => setConfirmTerminate(false)}>
          <p>
            On an EBS-backed instance, the root volume is deleted with it. Terminated instances cannot be started again:{' '}
            <strong>{chosen.map((i) => i.id).join(', ')}</strong>
          </p>
          <FormActions
            cancel={() => setConfirmTerminate(false)}
            label="Terminate"
            kind="danger"
            onConfirm={() => {
              setConfirmTerminate(false);
              void run('terminate');
            }}
          />
        </Modal>
      )}
    </section>
  );
}

const row = (label: string, value: ComponentChildren) => (
  <div class="field" key={label}>
    <dt>{label}</dt>
    <dd>{value || '–'}</dd>
  </div>
);

type DetailsTab = 'details' | 'security' | 'networking';

function Details({ api, instance: i }: { api: PageProps['api']; instance: Instance }) {
  const [tab, setTab] = useState<DetailsTab>('details');
  const tabButton = (id: DetailsTab, label: string) => (
    <button type="button" role="tab" class="tab-button" aria-selected={tab === id} onClick={() => setTab(id)}>
      {label}
    </button>
  );
  return (
    <section class="details" aria-label={`Details of ${i.id}`}>
      <h2>Instance: {i.id}{i.name ? ` (${i.name})` : ''}</h2>
      <div role="tablist" class="tabs">
        {tabButton('details', 'Details')}
        {tabButton('security', 'Security')}
        {tabButton('networking', 'Networking')}
      </div>
      {tab === 'details' ? <DetailsTab instance={i} /> : tab === 'security' ? <SecurityTab api={api} instance={i} /> : <NetworkingTab instance={i} />}
    </section>
  );
}

function DetailsTab({ instance: i }: { instance: Instance }) {
  return (
    <>
      <dl class="grid">
        {row('Instance ID', i.id)}
        {row('Instance state', i.state)}
        {row('Instance type', i.type)}
        {row('AMI ID', i.imageId)}
        {row('Availability Zone', i.zone)}
        {row('Key pair name', i.keyName)}
        {row('Public IPv4 address', i.publicIp)}
        {row('Private IPv4 address', i.privateIp)}
        {row('Launch time', formatTime(i.launchTime))}
        {row('Root device name', i.rootDeviceName)}
        {row('Root device type', i.rootDeviceType)}
        {row('IMDSv2', i.httpTokens === 'required' ? 'Required' : i.httpTokens ? 'Optional' : '')}
      </dl>
      <h3>Block devices</h3>
      {i.blockDevices.length ? (
        <table class="table compact" aria-label="Block devices">
          <thead>
            <tr>
              <th>Device name</th>
              <th>Volume ID</th>
              <th>Attachment status</th>
            </tr>
          </thead>
          <tbody>
            {i.blockDevices.map((b) => (
              <tr key={b.deviceName}>
                <td class="mono">{b.deviceName}</td>
                <td class="mono">
                  <a href={`#/Volumes/${b.volumeId}`}>{b.volumeId}</a>
                </td>
                <td>{b.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No block devices{i.rootDeviceType === 'instance-store' ? ' (instance store root device)' : ''}.</p>
      )}
      {i.tags.length > 0 && (
        <>
          <h3>Tags</h3>
          <ul class="tags">
            {i.tags.map((t) => (
              <li key={t.key}>
                <code>{t.key}</code> = <code>{t.value}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** Security: the instance's groups and their inbound and outbound rules (DescribeSecurityGroupRules). */
function SecurityTab({ api, instance: i }: { api: PageProps['api']; instance: Instance }) {
  const { value: rules, error } = useLoaded(() => listRules(api, i.groups.map((g) => g.id)), [i.id, i.groups.map((g) => g.id).join()]);
  return (
    <section aria-label="Security details">
      <dl class="grid">
        {row(
          'Security groups',
          i.groups.map((g) => (
            <span key={g.id} class="nowrap">
              <a href={`#/SecurityGroups/${g.id}`}>{g.id}</a> ({g.name}){' '}
            </span>
          )),
        )}
        {row('Key pair name', i.keyName)}
      </dl>
      <ErrorAlert error={error} />
      <h3>Inbound rules</h3>
      <RulesTable rules={(rules ?? []).filter((r) => !r.egress)} egress={false} label="Inbound rules" />
      <h3>Outbound rules</h3>
      <RulesTable rules={(rules ?? []).filter((r) => r.egress)} egress={true} label="Outbound rules" />
    </section>
  );
}

/** Networking: VPC, subnet, addresses and the network interfaces. */
function NetworkingTab({ instance: i }: { instance: Instance }) {
  return (
    <section aria-label="Networking details">
      <dl class="grid">
        {row('Public IPv4 address', i.publicIp)}
        {row('Private IPv4 addresses', i.privateIp)}
        {row('Public IPv4 DNS', i.publicDnsName)}
        {row('Private IP DNS name (IPv4 only)', i.privateDnsName)}
        {row('VPC ID', i.vpcId && <a href={`#/Vpcs`}>{i.vpcId}</a>)}
        {row('Subnet ID', i.subnetId && <a href={i.vpcId ? `#/Subnets/vpc/${i.vpcId}` : '#/Subnets'}>{i.subnetId}</a>)}
        {row('Availability Zone', i.zone)}
      </dl>
      <h3>Network interfaces</h3>
      <table class="table compact" aria-label="Network interfaces">
        <thead>
          <tr>
            <th>Interface ID</th>
            <th>Description</th>
            <th>Device index</th>
            <th>IPv4 Public IP</th>
            <th>Private IPv4 address</th>
            <th>MAC address</th>
            <th>Subnet ID</th>
            <th>Security groups</th>
            <th>Source/dest. check</th>
          </tr>
        </thead>
        <tbody>
          {i.interfaces.map((n) => (
            <tr key={n.id}>
              <td class="mono">{n.id}</td>
              <td>{n.description || '–'}</td>
              <td>{n.deviceIndex}</td>
              <td class="mono">{n.publicIp || '–'}</td>
              <td class="mono">{n.privateIp}</td>
              <td class="mono">{n.mac}</td>
              <td class="mono">{n.subnetId}</td>
              <td>{n.groups.map((g) => g.name).join(', ')}</td>
              <td>{n.sourceDestCheck === 'false' ? 'false' : 'true'}</td>
            </tr>
          ))}
          <EmptyRow show={i.interfaces.length === 0} colSpan={9}>
            No network interfaces
          </EmptyRow>
        </tbody>
      </table>
    </section>
  );
}

function CreateImageDialog({ api, instance, onClose, onDone }: { api: PageProps['api']; instance: Instance; onClose: () => void; onDone: (t: string) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [reboot, setReboot] = useState(true);
  const { error, submit } = useSubmit(async () => {
    const r = await api.ec2('CreateImage', { InstanceId: instance.id, Name: name, Description: description, NoReboot: !reboot });
    onDone(`Successfully created image ${childText(r, 'imageId')} from ${instance.id}`);
  });
  return (
    <Modal title="Create image" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <p>
          From instance <strong class="mono">{instance.id}</strong>
        </p>
        <ErrorAlert error={error} />
        <TextField label="Image name" value={name} onChange={setName} required maxLength={128} />
        <TextField label="Image description - optional" value={description} onChange={setDescription} maxLength={255} />
        <label class="radio">
          <input type="checkbox" checked={reboot} onChange={(e) => setReboot(e.currentTarget.checked)} />
          Reboot instance
        </label>
        <FormActions cancel={onClose} label="Create image" />
      </form>
    </Modal>
  );
}
