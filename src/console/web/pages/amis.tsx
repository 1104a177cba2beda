// AMIs: the images this account can launch (DescribeImages), with Actions → Copy AMI (to another
// Region: CopyImage is sent to the destination Region) and Edit AMI permissions
// (Describe/ModifyImageAttribute launchPermission). Instances → Actions → Create image makes one.
import { useEffect, useState } from 'preact/hooks';
import { ApiClient, childText, items, type Params } from '../api.js';
import type { PageProps } from '../page.js';
import { REGIONS } from '../regions.js';
import { ErrorAlert, Flash, MenuButton, Modal, formatTime, useInterval } from '../ui.js';
import { EmptyRow, PageHeader, SelectHeader, useLoaded } from '../components/list.js';
import { FormActions, TextField, useSubmit } from '../components/form.js';

interface Ami {
  id: string;
  name: string;
  description: string;
  owner: string;
  ownerAlias: string;
  isPublic: boolean;
  state: string;
  rootDeviceType: string;
  rootDeviceName: string;
  created: string;
}

async function listAmis(api: ApiClient, owner: string): Promise<Ami[]> {
  const r = await api.ec2('DescribeImages', owner ? { 'Owner.1': owner } : {});
  return items(r, 'imagesSet').map((i) => ({
    id: childText(i, 'imageId'),
    name: childText(i, 'name'),
    description: childText(i, 'description'),
    owner: childText(i, 'imageOwnerId'),
    ownerAlias: childText(i, 'imageOwnerAlias'),
    isPublic: childText(i, 'isPublic') === 'true',
    state: childText(i, 'imageState'),
    rootDeviceType: childText(i, 'rootDeviceType'),
    rootDeviceName: childText(i, 'rootDeviceName'),
    created: childText(i, 'creationDate'),
  }));
}

export function AmisPage({ api, region }: PageProps) {
  const [owner, setOwner] = useState('');
  const { value: list, error, setError, busy, load } = useLoaded(() => listAmis(api, owner), [owner]);
  const [selected, setSelected] = useState<string | undefined>();
  const [dialog, setDialog] = useState<'copy' | 'permissions' | undefined>();
  const [message, setMessage] = useState<string | undefined>();

  useInterval((list ?? []).some((a) => a.state === 'pending'), 1000, () => void load());
  const chosen = list?.find((a) => a.id === selected);
  const done = (text: string) => {
    setDialog(undefined);
    setMessage(text);
    void load();
  };

  return (
    <section>
      <PageHeader title="Amazon Machine Images (AMIs)" count={list?.length} busy={busy} onRefresh={() => void load()}>
        <MenuButton
          label="Actions"
          items={[
            { label: 'Copy AMI', disabled: !chosen, onSelect: () => setDialog('copy') },
            { label: 'Edit AMI permissions', disabled: !chosen || !!chosen.ownerAlias, onSelect: () => setDialog('permissions') },
          ]}
        />
      </PageHeader>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <label class="inline-label">
        Show
        <select value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          <option value="">All images I can launch</option>
          <option value="self">Owned by me</option>
          <option value="amazon">Amazon images</option>
        </select>
      </label>
      <table class="table" aria-label="AMIs">
        <thead>
          <tr>
            <SelectHeader />
            <th>AMI name</th>
            <th>AMI ID</th>
            <th>Owner</th>
            <th>Visibility</th>
            <th>Status</th>
            <th>Root device type</th>
            <th>Creation date</th>
          </tr>
        </thead>
        <tbody>
          {(list ?? []).map((a) => (
            <tr key={a.id} class={selected === a.id ? 'selected' : ''} aria-selected={selected === a.id}>
              <td class="select">
                <input type="radio" name="ami" aria-label={`Select ${a.id}`} checked={selected === a.id} onChange={() => setSelected(a.id)} />
              </td>
              <td>{a.name}</td>
              <td class="mono nowrap">{a.id}</td>
              <td>{a.ownerAlias || a.owner}</td>
              <td>{a.isPublic ? 'Public' : 'Private'}</td>
              <td>
                <span class={`state state-${a.state}`}>{a.state}</span>
              </td>
              <td>{a.rootDeviceType}</td>
              <td>{formatTime(a.created)}</td>
            </tr>
          ))}
          <EmptyRow show={!!list && list.length === 0} colSpan={8}>
            No AMIs
          </EmptyRow>
        </tbody>
      </table>
      {dialog === 'copy' && chosen && <CopyDialog api={api} region={region} ami={chosen} onClose={() => setDialog(undefined)} onDone={done} />}
      {dialog === 'permissions' && chosen && <PermissionsDialog api={api} ami={chosen} onClose={() => setDialog(undefined)} onDone={done} />}
    </section>
  );
}

type DialogProps = { api: ApiClient; ami: Ami; onClose: () => void; onDone: (t: string) => void };

function CopyDialog({ api, region, ami, onClose, onDone }: DialogProps & { region: string }) {
  const [destination, setDestination] = useState(region);
  const [name, setName] = useState(ami.name);
  const [description, setDescription] = useState(`[Copied ${ami.id} from ${region}] ${ami.name}`);
  const { error, submit } = useSubmit(async () => {
    // CopyImage runs in the destination Region and names the source.
    const there = new ApiClient(destination, api.credentials);
    const r = await there.ec2('CopyImage', { SourceImageId: ami.id, SourceRegion: region, Name: name, Description: description });
    onDone(`Copying ${ami.id} to ${destination} as ${childText(r, 'imageId')}`);
  });
  return (
    <Modal title="Copy AMI" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <ErrorAlert error={error} />
        <TextField label="AMI copy name" value={name} onChange={setName} required />
        <TextField label="Description" value={description} onChange={setDescription} />
        <label>
          Destination Region
          <select value={destination} onChange={(e) => setDestination(e.currentTarget.value)}>
            {REGIONS.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name} ({r.code})
              </option>
            ))}
          </select>
        </label>
        <FormActions cancel={onClose} label="Copy AMI" />
      </form>
    </Modal>
  );
}

function PermissionsDialog({ api, ami, onClose, onDone }: DialogProps) {
  const [loaded, setLoaded] = useState<{ isPublic: boolean; accounts: string[] } | undefined>();
  const [isPublic, setPublic] = useState(false);
  const [accounts, setAccounts] = useState<string[]>([]);
  const [adding, setAdding] = useState('');
  const { error, setError, submit } = useSubmit(async () => {
    if (!loaded) return;
    const p: Params = { ImageId: ami.id, Attribute: 'launchPermission' };
    let add = 0;
    let remove = 0;
    if (isPublic && !loaded.isPublic) p[`LaunchPermission.Add.${++add}.Group`] = 'all';
    if (!isPublic && loaded.isPublic) p[`LaunchPermission.Remove.${++remove}.Group`] = 'all';
    for (const a of accounts.filter((x) => !loaded.accounts.includes(x))) p[`LaunchPermission.Add.${++add}.UserId`] = a;
    for (const a of loaded.accounts.filter((x) => !accounts.includes(x))) p[`LaunchPermission.Remove.${++remove}.UserId`] = a;
    if (add + remove > 0) await api.ec2('ModifyImageAttribute', p);
    onDone(`Saved the permissions of ${ami.id}`);
  });
  useEffect(() => {
    api
      .ec2('DescribeImageAttribute', { ImageId: ami.id, Attribute: 'launchPermission' })
      .then((r) => {
        const perms = items(r, 'launchPermission');
        const state = { isPublic: perms.some((p) => childText(p, 'group') === 'all'), accounts: perms.map((p) => childText(p, 'userId')).filter(Boolean) };
        setLoaded(state);
        setPublic(state.isPublic);
        setAccounts(state.accounts);
      })
      .catch(setError);
  }, []);
  return (
    <Modal title="Edit AMI permissions" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <ErrorAlert error={error} />
        <fieldset>
          <legend>AMI availability</legend>
          <label class="radio">
            <input type="radio" name="availability" checked={isPublic} onChange={() => setPublic(true)} />
            Public
          </label>
          <label class="radio">
            <input type="radio" name="availability" checked={!isPublic} onChange={() => setPublic(false)} />
            Private
          </label>
        </fieldset>
        <fieldset>
          <legend>Shared accounts</legend>
          {accounts.length === 0 && <p class="muted">Not shared with any account.</p>}
          <ul class="plain">
            {accounts.map((a) => (
              <li key={a}>
                <span class="mono">{a}</span>{' '}
                <button type="button" class="secondary small" aria-label={`Remove account ${a}`} onClick={() => setAccounts(accounts.filter((x) => x !== a))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <div class="inline">
            <label>
              AWS account ID
              <input value={adding} inputMode="numeric" pattern="\d{12}" onInput={(e) => setAdding(e.currentTarget.value.trim())} />
            </label>
            <button
              type="button"
              class="secondary"
              disabled={!/^\d{12}$/.test(adding)}
              onClick={() => {
                if (!accounts.includes(adding)) setAccounts([...accounts, adding]);
                setAdding('');
              }}
            >
              Share AMI
            </button>
          </div>
        </fieldset>
        <FormActions cancel={onClose} label="Save changes" disabled={!loaded} />
      </form>
    </Modal>
  );
}
