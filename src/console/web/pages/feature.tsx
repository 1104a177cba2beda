// Read-only pages (Snapshots, Launch Templates): a list from the feature's Describe action, or
// "not available yet" when this server answers InvalidAction.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, childText, items, path, type Params } from '../api.js';
import type { PageProps } from '../page.js';
import { ErrorAlert, RefreshButton, formatTime } from '../ui.js';

interface Column {
  header: string;
  value: (el: Element) => string;
}

interface Feature {
  title: string;
  action: string;
  params: Params;
  list: (root: Element) => Element[];
  columns: Column[];
}

const text = (...names: string[]) => (el: Element) => path(el, ...names);
const time = (name: string) => (el: Element) => formatTime(childText(el, name));
const nameTag = (el: Element) => items(el, 'tagSet').find((t) => childText(t, 'key') === 'Name')?.querySelector('value')?.textContent ?? '';

const FEATURES: Record<string, Feature> = {
  snapshots: {
    title: 'Snapshots',
    action: 'DescribeSnapshots',
    params: { 'Owner.1': 'self' },
    list: (r) => items(r, 'snapshotSet'),
    columns: [
      { header: 'Name', value: nameTag },
      { header: 'Snapshot ID', value: text('snapshotId') },
      { header: 'Volume ID', value: text('volumeId') },
      { header: 'Volume size', value: (el) => `${childText(el, 'volumeSize')} GiB` },
      { header: 'Description', value: text('description') },
      { header: 'Snapshot status', value: text('status') },
      { header: 'Started', value: time('startTime') },
      { header: 'Progress', value: text('progress') },
    ],
  },
  'launch-templates': {
    title: 'Launch Templates',
    action: 'DescribeLaunchTemplates',
    params: {},
    list: (r) => items(r, 'launchTemplates'),
    columns: [
      { header: 'Launch template ID', value: text('launchTemplateId') },
      { header: 'Launch template name', value: text('launchTemplateName') },
      { header: 'Default version', value: text('defaultVersionNumber') },
      { header: 'Latest version', value: text('latestVersionNumber') },
      { header: 'Create time', value: time('createTime') },
    ],
  },
};

const notBuilt = (e: unknown) => e instanceof ApiError && e.code === 'InvalidAction';

export function FeaturePage({ api, feature }: PageProps & { feature: keyof typeof FEATURES }) {
  const f = FEATURES[feature]!;
  const [rows, setRows] = useState<Element[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [unavailable, setUnavailable] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    try {
      const r = await api.ec2(f.action, f.params);
      setRows(f.list(r));
      setError(undefined);
    } catch (e) {
      if (notBuilt(e)) setUnavailable(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(), [feature]);

  return (
    <section>
      <div class="page-header">
        <h1>
          {f.title} {rows && <span class="count">({rows.length})</span>}
        </h1>
        <div class="toolbar">
          <RefreshButton onClick={() => void load()} busy={busy} />
        </div>
      </div>
      <ErrorAlert error={error} />
      {unavailable ? (
        <div class="alert alert-info" role="status">
          {f.title} are not available yet on this server: it does not know <code>{f.action}</code>.
        </div>
      ) : (
        <table class="table" aria-label={f.title}>
          <thead>
            <tr>
              {f.columns.map((c) => (
                <th key={c.header}>{c.header}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((r, i) => (
              <tr key={i}>
                {f.columns.map((c) => (
                  <td key={c.header}>{c.value(r) || '–'}</td>
                ))}
              </tr>
            ))}
            {rows && rows.length === 0 && (
              <tr>
                <td colSpan={f.columns.length} class="empty">
                  Nothing to display
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
