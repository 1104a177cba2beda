// Key Pairs: the list (Name, Type, Created, Fingerprint, ID, tags) with a filter, row selection,
// Actions → Delete (type "Delete" to confirm) and Manage tags.
import { useState } from 'preact/hooks';
import { childText, tagsOf, type Tag } from '../api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, Flash, MenuButton, Modal, TagEditor, formatTime } from '../ui.js';
import { EmptyRow, FilterInput, PageHeader, matchesFilter, useLoaded, useSelection } from '../components/list.js';
import { FormActions, useSubmit } from '../components/form.js';
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
  const [filter, setFilter] = useState('');
  const { selected, setSelected, toggle } = useSelection();
  const [dialog, setDialog] = useState<'delete' | 'tags' | undefined>();
  const [message, setMessage] = useState<string | undefined>(() => flash.take());

  const { value: keys, error, setError, busy, load } = useLoaded(
    () => listKeyPairs(api),
    [],
    (list) => setSelected((s) => new Set([...s].filter((id) => list.some((k) => k.id === id)))),
  );

  const shown = (keys ?? []).filter((k) => matchesFilter(filter, [k.name, k.id, k.type, k.fingerprint, tagText(k.tags)]));
  const chosen = (keys ?? []).filter((k) => selected.has(k.id));
  const allShownSelected = shown.length > 0 && shown.every((k) => selected.has(k.id));

  return (
    <section>
      <PageHeader title="Key pairs" count={keys?.length} busy={busy} onRefresh={() => void load()}>
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
      </PageHeader>
      <Flash text={message} onDismiss={() => setMessage(undefined)} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <FilterInput label="Filter key pairs" placeholder="Filter key pairs" value={filter} onChange={setFilter} />
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
          <EmptyRow show={!!keys && shown.length === 0} colSpan={7}>
            {keys?.length ? 'No matches' : 'No key pairs to display'}
          </EmptyRow>
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
        <FormActions cancel={onClose} label="Delete" kind="danger" disabled={confirm !== 'Delete' || busy} />
      </form>
    </Modal>
  );
}

function TagsDialog({ api, keyPair, onClose, onDone }: { api: PageProps['api']; keyPair: KeyPair; onClose: () => void; onDone: () => void }) {
  const [tags, setTags] = useState<Tag[]>(keyPair.tags.map((t) => ({ ...t })));
  const { error, submit } = useSubmit(async () => {
    await saveTags(api, keyPair.id, keyPair.tags, tags);
    onDone();
  });
  return (
    <Modal title="Manage tags" onClose={onClose}>
      <form onSubmit={submit} class="form">
        <p>
          Tags of key pair <strong>{keyPair.name}</strong> ({keyPair.id}).
        </p>
        <ErrorAlert error={error} />
        <TagEditor tags={tags} onChange={setTags} />
        <FormActions cancel={onClose} label="Save" />
      </form>
    </Modal>
  );
}
