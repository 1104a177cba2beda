// Volumes: the list (state, size, AZ, attachment) and Actions → Detach volume, Attach volume
// (instance + device name), Create snapshot. Polls while a volume or attachment is changing.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, childText, items, tagsOf, type Tag } from '../api.js';
import { listInstances, type Instance } from '../instances-api.js';
import type { PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, Modal, RefreshButton, formatTime, useInterval } from '../ui.js';

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
  const [list, setList] = useState<Volume[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState(focus ?? '');
  const [selected, setSelected] = useState<string | undefined>(focus);
  const [dialog, setDialog] = useState<'detach' | 'attach' | 'snapshot' | undefined>();
  const [message, setMessage] = useState<string | undefined>();

  const load = async () => {
    setBusy(true);
    try {
      setList(await listVolumes(api));
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(), []);
  const pending = (list ?? []).some((v) => BUSY.has(v.state) || v.attachments.some((a) => BUSY.has(a.state)));
  useInterval(pending, 1000, () => void load());

  const chosen = list?.find((v) => v.id === selected);
  const needle = filter.trim().toLowerCase();
  const shown = (list ?? []).filter(
    (v) => !needle || [v.id, v.name, v.state, v.zone, ...v.attachments.map((a) => a.instanceId)].some((f) => f.toLowerCase().includes(needle)),
  );
  const done = (text: string) => {
    setDialog(undefined);
    setMessage(text);
    void load();
  };

  return (
    <section>
      <div class="page-header">
        <h1>
          Volumes <span class="count">({list?.length ?? '…'})</span>
        </h1>
        <div class="toolbar">
          <RefreshButton onClick={() => void load()} busy={busy} />
          <MenuButton
            label="Actions"
            items={[
              { label: 'Detach volume', disabled: !chosen || chosen.attachments.length === 0, onSelect: () => setDialog('detach') },
              { label: 'Attach volume', disabled: !chosen || chosen.state !== 'available', onSelect: () => setDialog('attach') },
              { label: 'Create snapshot', disabled: !chosen, onSelect: () => setDialog('snapshot') },
            ]}
          />
        </div>
      </div>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <input type="search" class="filter" placeholder="Filter volumes" aria-label="Filter volumes" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      <table class="table" aria-label="Volumes">
        <thead>
          <tr>
            <th class="select">
              <span class="visually-hidden">Select</span>
            </th>
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
          {list && shown.length === 0 && (
            <tr>
              <td colSpan={10} class="empty">
                No volumes
              </td>
            </tr>
          )}
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
  const [error, setError] = useState<unknown>();
  const go = async () => {
    try {
      await api.ec2('DetachVolume', { VolumeId: volume.id });
      onDone(`Detaching volume ${volume.id}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Modal title="Detach volume" onClose={onClose}>
      <p>
        Are you sure that you want to detach <strong class="mono">{volume.id}</strong> from {volume.attachments.map((a) => `${a.instanceId} (${a.device})`).join(', ')}?
      </p>
      <ErrorAlert error={error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="primary" onClick={() => void go()}>
          Yes, Detach
        </button>
      </div>
    </Modal>
  );
}

function AttachDialog({ api, volume, onClose, onDone }: DialogProps) {
  const [instances, setInstances] = useState<Instance[]>([]);
  const [instanceId, setInstanceId] = useState('');
  const [device, setDevice] = useState('/dev/sdf');
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    listInstances(api)
      .then((l) => {
        const here = l.filter((i) => i.zone === volume.zone && i.state !== 'terminated' && i.state !== 'shutting-down');
        setInstances(here);
        setInstanceId(here[0]?.id ?? '');
      })
      .catch(setError);
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api.ec2('AttachVolume', { VolumeId: volume.id, InstanceId: instanceId, Device: device });
      onDone(`Attaching volume ${volume.id} to ${instanceId} as ${device}`);
    } catch (err) {
      setError(err);
    }
  };
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
        <label>
          Device name
          <input value={device} onInput={(e) => setDevice(e.currentTarget.value)} required />
        </label>
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary">
            Attach
          </button>
        </div>
      </form>
    </Modal>
  );
}

function SnapshotDialog({ api, volume, onClose, onDone }: DialogProps) {
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await api.ec2('CreateSnapshot', { VolumeId: volume.id, Description: description });
      onDone(`Successfully created snapshot ${childText(r, 'snapshotId')} from volume ${volume.id}`);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'InvalidAction' ? new ApiError(err.code, `${err.message} (snapshots are not available yet)`, err.status) : err);
    }
  };
  return (
    <Modal title="Create snapshot" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <p>
          Volume <strong class="mono">{volume.id}</strong>
        </p>
        <ErrorAlert error={error} />
        <label>
          Description
          <input value={description} maxLength={255} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary">
            Create snapshot
          </button>
        </div>
      </form>
    </Modal>
  );
}


