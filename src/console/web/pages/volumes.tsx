// Volumes: the list (state, size, AZ, attachment) and Actions → Detach volume, Attach volume
// (instance + device name), Create snapshot. Polls while a volume or attachment is changing.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, childText, items, tagsOf, type Tag } from '../api.js';
import { listInstances, type Instance } from '../instances-api.js';
import type { PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, Modal, formatTime, useInterval } from '../ui.js';
import { EmptyRow, FilterInput, PageHeader, SelectHeader, matchesFilter, useLoaded } from '../components/list.js';
import { FormActions, TextField, useSubmit } from '../components/form.js';

interface Attachment {
  instanceId: string;
  device: string;
  state: string;
}

interface Volume {
  id: string;
  name: string;
  type: string;
  size: string;
  state: string;
  zone: string;
  snapshotId: string;
  created: string;
  attachments: Attachment[];
  tags: Tag[];
}

const BUSY = new Set(['creating', 'deleting', 'attaching', 'detaching']);

async function listVolumes(api: PageProps['api']): Promise<Volume[]> {
  const r = await api.ec2('DescribeVolumes');
  return items(r, 'volumeSet').map((v) => {
    const tags = tagsOf(v);
    return {
      id: childText(v, 'volumeId'),
      name: tags.find((t) => t.key === 'Name')?.value ?? '',
      type: childText(v, 'volumeType'),
      size: childText(v, 'size'),
      state: childText(v, 'status'),
      zone: childText(v, 'availabilityZone'),
      snapshotId: childText(v, 'snapshotId'),
      created: childText(v, 'createTime'),
      attachments: items(v, 'attachmentSet').map((a) => ({ instanceId: childText(a, 'instanceId'), device: childText(a, 'device'), state: childText(a, 'status') })),
      tags,
    };
  });
}

export function VolumesPage({ api, focus }: PageProps & { focus?: string }) {
  const { value: list, error, setError, busy, load } = useLoaded(() => listVolumes(api));
  const [filter, setFilter] = useState(focus ?? '');
  const [selected, setSelected] = useState<string | undefined>(focus);
  const [dialog, setDialog] = useState<'detach' | 'attach' | 'snapshot' | undefined>();
  const [message, setMessage] = useState<string | undefined>();

  const pending = (list ?? []).some((v) => BUSY.has(v.state) || v.attachments.some((a) => BUSY.has(a.state)));
  useInterval(pending, 1000, () => void load());

  const chosen = list?.find((v) => v.id === selected);
  const shown = (list ?? []).filter((v) => matchesFilter(filter, [v.id, v.name, v.state, v.zone, ...v.attachments.map((a) => a.instanceId)]));
  const done = (text: string) => {
    setDialog(undefined);
    setMessage(text);
    void load();
  };

  return (
    <section>
      <PageHeader title="Volumes" count={list?.length} busy={busy} onRefresh={() => void load()}>
        <MenuButton
          label="Actions"
          items={[
            { label: 'Detach volume', disabled: !chosen || chosen.attachments.length === 0, onSelect: () => setDialog('detach') },
            { label: 'Attach volume', disabled: !chosen || chosen.state !== 'available', onSelect: () => setDialog('attach') },
            { label: 'Create snapshot', disabled: !chosen, onSelect: () => setDialog('snapshot') },
          ]}
        />
      </PageHeader>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <FilterInput label="Filter volumes" placeholder="Filter volumes" value={filter} onChange={setFilter} />
      <table class="table" aria-label="Volumes">
        <thead>
          <tr>
            <SelectHeader />
            <th>Name</th>
            <th>Volume ID</th>
            <th>Type</th>
            <th>Size</th>
            <th>Volume state</th>
            <th>Snapshot</th>
            <th>Created</th>
            <th>Availability Zone</th>
            <th>Attached resources</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((v) => (
            <tr key={v.id} class={selected === v.id ? 'selected' : ''} aria-selected={selected === v.id}>
              <td class="select">
                <input type="radio" name="volume" aria-label={`Select ${v.id}`} checked={selected === v.id} onChange={() => setSelected(v.id)} />
              </td>
              <td>{v.name || '–'}</td>
              <td class="mono nowrap">{v.id}</td>
              <td>{v.type}</td>
              <td class="nowrap">{v.size} GiB</td>
              <td>
                <span class={`state state-${v.state}`}>{v.state}</span>
              </td>
              <td class="mono">{v.snapshotId || '–'}</td>
              <td>{formatTime(v.created)}</td>
              <td>{v.zone}</td>
              <td>{v.attachments.map((a) => `${a.instanceId}:${a.device} (${a.state})`).join(', ') || '–'}</td>
            </tr>
          ))}
          <EmptyRow show={!!list && shown.length === 0} colSpan={10}>
            No volumes
          </EmptyRow>
        </tbody>
      </table>
      {dialog === 'detach' && chosen && <DetachDialog api={api} volume={chosen} onClose={() => setDialog(undefined)} onDone={done} />}
      {dialog === 'attach' && chosen && <AttachDialog api={api} volume={chosen} onClose={() => setDialog(undefined)} onDone={done} />}
      {dialog === 'snapshot' && chosen && <SnapshotDialog api={api} volume={chosen} onClose={() => setDialog(undefined)} onDone={done} />}
    </section>
  );
}

type DialogProps = { api: PageProps['api']; volume: Volume; onClose: () => void; onDone: (t: string) => void };

function DetachDialog({ api, volume, onClose, onDone }: DialogProps) {
  const { error, run } = useSubmit(async () => {
    await api.ec2('DetachVolume', { VolumeId: volume.id });
    onDone(`Detaching volume ${volume.id}`);
  });
  return (
    <Modal title="Detach volume" onClose={onClose}>
      <p>
        Are you sure that you want to detach <strong class="mono">{volume.id}</strong> from {volume.attachments.map((a) => `${a.instanceId} (${a.device})`).join(', ')}?
      </p>
      <ErrorAlert error={error} />
      <FormActions cancel={onClose} label="Yes, Detach" onConfirm={() => void run()} />
    </Modal>
  );
}

function AttachDialog({ api, volume, onClose, onDone }: DialogProps) {
  const [instances, setInstances] = useState<Instance[]>([]);
  const [instanceId, setInstanceId] = useState('');
  const [device, setDevice] = useState('/dev/sdf');
  const { error, setError, submit } = useSubmit(async () => {
    await api.ec2('AttachVolume', { VolumeId: volume.id, InstanceId: instanceId, Device: device });
    onDone(`Attaching volume ${volume.id} to ${instanceId} as ${device}`);
  });
  useEffect(() => {
    listInstances(api)
      .then((l) => {
        const here = l.filter((i) => i.zone === volume.zone && i.state !== 'terminated' && i.state !== 'shutting-down');
        setInstances(here);
        setInstanceId(here[0]?.id ?? '');
      })
      .catch(setError);
  }, []);
  return (
    <Modal title="Attach volume" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <p>
          Volume <strong class="mono">{volume.id}</strong> in {volume.zone}
        </p>
        <ErrorAlert error={error} />
        <label>
          Instance
          <select value={instanceId} onChange={(e) => setInstanceId(e.currentTarget.value)} required>
            {instances.map((i) => (
              <option value={i.id} key={i.id}>
                {i.id}
                {i.name ? ` (${i.name})` : ''} – {i.state}
              </option>
            ))}
          </select>
        </label>
        <TextField label="Device name" value={device} onChange={setDevice} required />
        <FormActions cancel={onClose} label="Attach" />
      </form>
    </Modal>
  );
}

function SnapshotDialog({ api, volume, onClose, onDone }: DialogProps) {
  const [description, setDescription] = useState('');
  const { error, submit } = useSubmit(async () => {
    try {
      const r = await api.ec2('CreateSnapshot', { VolumeId: volume.id, Description: description });
      onDone(`Successfully created snapshot ${childText(r, 'snapshotId')} from volume ${volume.id}`);
    } catch (err) {
      throw err instanceof ApiError && err.code === 'InvalidAction' ? new ApiError(err.code, `${err.message} (snapshots are not available yet)`, err.status) : err;
    }
  });
  return (
    <Modal title="Create snapshot" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <p>
          Volume <strong class="mono">{volume.id}</strong>
        </p>
        <ErrorAlert error={error} />
        <TextField label="Description" value={description} onChange={setDescription} maxLength={255} />
        <FormActions cancel={onClose} label="Create snapshot" />
      </form>
    </Modal>
  );
}


