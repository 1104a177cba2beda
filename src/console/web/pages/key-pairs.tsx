// Key Pairs: the list (Name, Type, Created, Fingerprint, ID, tags) with a filter, row selection,
// Actions → Delete (type "Delete" to confirm) and Manage tags.
import { useEffect, useState } from 'preact/hooks';
import { childText, tagsOf, type Tag } from '../api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, Modal, RefreshButton, TagEditor, formatTime } from '../ui.js';
import { saveTags } from '../tags.js';
import { navigate } from '../nav.js';

export interface KeyPair {
  id: string;
  name: string;
  type: string;
  fingerprint: string;
  created: string;
  tags: Tag[];
}

export async function listKeyPairs(api: PageProps['api']): Promise<KeyPair[]> {
  const r = await api.ec2('DescribeKeyPairs');
  return [...r.querySelectorAll('keySet > item')].map((k) => ({
    id: childText(k, 'keyPairId'),
    name: childText(k, 'keyName'),
    type: childText(k, 'keyType'),
    fingerprint: childText(k, 'keyFingerprint'),
    created: childText(k, 'createTime'),
    tags: tagsOf(k),
  }));
}

const tagText = (tags: Tag[]) => tags.map((t) => (t.value ? `${t.key}=${t.value}` : t.key)).join(', ');

export function KeyPairsPage({ api }: PageProps) {
  const [keys, setKeys] = useState<KeyPair[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<'delete' | 'tags' | undefined>();
  const [message, setMessage] = useState<string | undefined>(() => flash.take());

  const load = async () => {
    setBusy(true);
    try {
      const list = await listKeyPairs(api);
      setKeys(list);
      setSelected((s) => new Set([...s].filter((id) => list.some((k) => k.id === id))));
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(), []);

  const needle = filter.trim().toLowerCase();
  const shown = (keys ?? []).filter(
    (k) => !needle || [k.name, k.id, k.type, k.fingerprint, tagText(k.tags)].some((f) => f.toLowerCase().includes(needle)),
  );
  const chosen = (keys ?? []).filter((k) => selected.has(k.id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const allShownSelected = shown.length > 0 && shown.every((k) => selected.has(k.id));

  return (
    <section>
      <div class="page-header">
        <h1>
          Key pairs <span class="count">({keys?.length ?? '…'})</span>
        </h1>
        <div class="toolbar">
          <RefreshButton onClick={() => void load()} busy={busy} />
          <MenuButton
            label="Actions"
            items={[
              { label: 'Delete', disabled: chosen.length === 0, onSelect: () => setDialog('delete') },
              { label: 'Manage tags', disabled: chosen.length !== 1, onSelect: () => setDialog('tags') },
            ]}
          />
          <button type="button" class="secondary" onClick={() => navigate('#/KeyPairs/import')}>
            Import key pair
          </button>
          <button type="button" class="primary" onClick={() => navigate('#/KeyPairs/create')}>
            Create key pair
          </button>
        </div>
      </div>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <input type="search" class="filter" placeholder="Filter key pairs" aria-label="Filter key pairs" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      <table class="table" aria-label="Key pairs">
        <thead>
          <tr>
            <th class="select">
              <input
                type="checkbox"
                aria-label="Select all key pairs"
                checked={allShownSelected}
                onChange={() => setSelected(allShownSelected ? new Set() : new Set(shown.map((k) => k.id)))}
              />
            </th>
            <th>Name</th>
            <th>Type</th>
            <th>Created</th>
            <th>Fingerprint</th>
            <th>ID</th>
            <th>Tags</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((k) => (
            <tr key={k.id} aria-selected={selected.has(k.id)} class={selected.has(k.id) ? 'selected' : ''}>
              <td class="select">
                <input type="checkbox" aria-label={`Select ${k.name}`} checked={selected.has(k.id)} onChange={() => toggle(k.id)} />
              </td>
              <td class="nowrap">{k.name}</td>
              <td>{k.type}</td>
              <td>
                <time dateTime={k.created}>{formatTime(k.created)}</time>
              </td>
              <td class="mono fingerprint">{k.fingerprint}</td>
              <td class="mono nowrap">{k.id}</td>
              <td>{tagText(k.tags)}</td>
            </tr>
          ))}
          {keys && shown.length === 0 && (
            <tr>
              <td colSpan={7} class="empty">
                {keys.length ? 'No matches' : 'No key pairs to display'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {dialog === 'delete' && (
        <DeleteDialog
          api={api}
          keys={chosen}
          onClose={() => setDialog(undefined)}
          onDone={(text) => {
            setDialog(undefined);
            setMessage(text);
            setSelected(new Set());
            void load();
          }}
        />
      )}
      {dialog === 'tags' && chosen[0] && (
        <TagsDialog
          api={api}
          keyPair={chosen[0]}
          onClose={() => setDialog(undefined)}
          onDone={() => {
            setDialog(undefined);
            setMessage(`Successfully saved tags for ${chosen[0]!.name}`);
            void load();
          }}
        />
      )}
    </section>
  );
}

function DeleteDialog({ api, keys, onClose, onDone }: { api: PageProps['api']; keys: KeyPair[]; onClose: () => void; onDone: (t: string) => void }) {
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const names = keys.map((k) => k.name).join(', ');
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      for (const k of keys) await api.ec2('DeleteKeyPair', { KeyPairId: k.id });
      onDone(`Successfully deleted ${keys.length === 1 ? `key pair ${names}` : `key pairs ${names}`}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title={keys.length === 1 ? `Delete ${names}?` : `Delete ${keys.length} key pairs?`} onClose={onClose}>
      <form onSubmit={submit} class="form">
        <p>
          Are you sure you want to delete the key pair{keys.length === 1 ? '' : 's'} <strong>{names}</strong>? Instances already launched with it keep their public key; you can no
          longer launch instances with it.
        </p>
        <ErrorAlert error={error} />
        <label>
          To confirm deletion, type Delete in the field
          <input value={confirm} autocomplete="off" placeholder="Delete" onInput={(e) => setConfirm(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={confirm !== 'Delete' || busy}>
            Delete
          </button>
        </div>
      </form>
    </Modal>
  );
}

function TagsDialog({ api, keyPair, onClose, onDone }: { api: PageProps['api']; keyPair: KeyPair; onClose: () => void; onDone: () => void }) {
  const [tags, setTags] = useState<Tag[]>(keyPair.tags.map((t) => ({ ...t })));
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await saveTags(api, keyPair.id, keyPair.tags, tags);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal title="Manage tags" onClose={onClose}>
      <form onSubmit={submit} class="form">
        <p>
          Tags of key pair <strong>{keyPair.name}</strong> ({keyPair.id}).
        </p>
        <ErrorAlert error={error} />
        <TagEditor tags={tags} onChange={setTags} />
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary">
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
