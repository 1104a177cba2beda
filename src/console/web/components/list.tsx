// The pieces every list page repeats: loading the list (busy/error state), the page header with
// its count and Refresh button, the filter box, row selection and the table's fixed cells.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { RefreshButton } from '../ui.js';

/** Loads with `fetch` on mount (and when `deps` change); `load` reloads, keeping the last list on error. */
export function useLoaded<T>(fetch: () => Promise<T>, deps: readonly unknown[] = [], onLoaded?: (value: T) => void) {
  const [value, setValue] = useState<T | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    try {
      const v = await fetch();
      setValue(() => v);
      onLoaded?.(v);
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(), deps);
  return { value, error, setError, busy, load };
}

export function PageHeader({ title, count, busy, onRefresh, children }: { title: string; count: number | undefined; busy: boolean; onRefresh: () => void; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>
        {title} <span class="count">({count ?? '…'})</span>
      </h1>
      <div class="toolbar">
        <RefreshButton onClick={onRefresh} busy={busy} />
        {children}
      </div>
    </div>
  );
}

export function FilterInput({ label, placeholder, value, onChange }: { label: string; placeholder: string; value: string; onChange: (v: string) => void }) {
  return <input type="search" class="filter" placeholder={placeholder} aria-label={label} value={value} onInput={(e) => onChange(e.currentTarget.value)} />;
}

/** Whether any of `fields` contains the filter text (case-insensitive); an empty filter keeps all. */
export function matchesFilter(filter: string, fields: string[]): boolean {
  const needle = filter.trim().toLowerCase();
  return !needle || fields.some((f) => f.toLowerCase().includes(needle));
}

/** A set of selected ids with a toggle (the checkbox column). */
export function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return { selected, setSelected, toggle };
}

/** The header cell of a radio/checkbox column that has no select-all box. */
export function SelectHeader() {
  return (
    <th class="select">
      <span class="visually-hidden">Select</span>
    </th>
  );
}

/** The row a table shows in place of its rows when there are none (`show` once the list has loaded). */
export function EmptyRow({ show, colSpan, children }: { show: boolean; colSpan: number; children: ComponentChildren }) {
  if (!show) return null;
  return (
    <tr>
      <td colSpan={colSpan} class="empty">
        {children}
      </td>
    </tr>
  );
}
