// Small shared pieces: error alert, modal dialog (native <dialog>), dropdown menu, tag editor,
// table selection and the auto-refresh hook.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Tag } from './api.js';

export function ErrorAlert({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="alert alert-error" role="alert">
      <strong class="error-code">{code}</strong>: <span class="error-message">{message}</span>
      {onDismiss && (
        <button type="button" class="link dismiss" aria-label="Dismiss error" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}

export function Flash({ text, onDismiss }: { text: string | undefined; onDismiss: () => void }) {
  if (!text) return null;
  return (
    <div class="alert alert-success" role="status">
      {text}
      <button type="button" class="link dismiss" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

let nextId = 0;
export const useId = (prefix: string): string => useState(() => `${prefix}-${++nextId}`)[0];

/** A modal dialog (native <dialog>: focus is trapped, Escape closes it). */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId('dlg');
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    const cancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    d.addEventListener('cancel', cancel);
    return () => d.removeEventListener('cancel', cancel);
  }, []);
  return (
    <dialog ref={ref} class="modal" aria-labelledby={titleId}>
      <header class="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div class="modal-body">{children}</div>
    </dialog>
  );
}

export interface MenuItem {
  label: string;
  disabled?: boolean;
  onSelect: () => void;
}

/** A button opening a menu (ARIA menu button pattern: arrows move, Escape closes). */
export function MenuButton({ label, items, disabled }: { label: string; items: MenuItem[]; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const menuId = useId('menu');
  useEffect(() => {
    if (!open) return;
    const first = box.current?.querySelector<HTMLButtonElement>('[role=menuitem]:not([disabled])');
    first?.focus();
    const outside = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  const onKey = (e: KeyboardEvent) => {
    const entries = [...(box.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]:not([disabled])') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      setOpen(false);
      box.current?.querySelector<HTMLButtonElement>('button')?.focus();
    } else if (e.key === 'ArrowDown' && entries.length) {
      e.preventDefault();
      entries[(at + 1) % entries.length]!.focus();
    } else if (e.key === 'ArrowUp' && entries.length) {
      e.preventDefault();
      entries[(at - 1 + entries.length) % entries.length]!.focus();
    }
  };
  return (
    <div class="menu-button" ref={box} onKeyDown={onKey}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} aria-controls={menuId} disabled={disabled} onClick={() => setOpen(!open)}>
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul class="menu" role="menu" id={menuId} aria-label={label}>
          {items.map((it) => (
            <li role="none" key={it.label}>
              <button
                type="button"
                role="menuitem"
                disabled={it.disabled}
                onClick={() => {
                  setOpen(false);
                  it.onSelect();
                }}
              >
                {it.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Key/value rows with Add new tag / Remove (AWS's tag editor). */
export function TagEditor({ tags, onChange }: { tags: Tag[]; onChange: (tags: Tag[]) => void }) {
  const set = (i: number, patch: Partial<Tag>) => onChange(tags.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <div class="tag-editor">
      {tags.length === 0 && <p class="muted">No tags associated with the resource.</p>}
      {tags.map((t, i) => (
        <div class="tag-row" key={i}>
          <label>
            Key
            <input value={t.key} onInput={(e) => set(i, { key: e.currentTarget.value })} aria-label={`Tag ${i + 1} key`} />
          </label>
          <label>
            Value - optional
            <input value={t.value} onInput={(e) => set(i, { value: e.currentTarget.value })} aria-label={`Tag ${i + 1} value`} />
          </label>
          <button type="button" class="secondary" onClick={() => onChange(tags.filter((_, j) => j !== i))} aria-label={`Remove tag ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" class="secondary" onClick={() => onChange([...tags, { key: '', value: '' }])}>
        Add new tag
      </button>
    </div>
  );
}

/** Calls `tick` every `ms` while `active` (pages poll while something is pending). */
export function useInterval(active: boolean, ms: number, tick: () => void): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => saved.current(), ms);
    return () => clearInterval(t);
  }, [active, ms]);
}

export function RefreshButton({ onClick, busy }: { onClick: () => void; busy: boolean }) {
  return (
    <button type="button" class="icon" aria-label="Refresh" title="Refresh" onClick={onClick} aria-busy={busy}>
      ⟳
    </button>
  );
}

export const formatTime = (iso: string): string => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
};

export function CopyText({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="copy-text">
      <code>{text}</code>
      <button
        type="button"
        class="secondary small"
        aria-label={`Copy ${label}`}
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => {});
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
