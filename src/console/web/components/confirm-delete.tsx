// AWS's delete confirmation for VPC resources: "To confirm deletion, type delete in the field."
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ErrorAlert, Modal } from '../ui.js';
import { FormActions, useSubmit } from './form.js';

export function ConfirmDelete({ title, word = 'delete', onClose, onDelete, children }: { title: string; word?: string; onClose: () => void; onDelete: () => Promise<void>; children: ComponentChildren }) {
  const [typed, setTyped] = useState('');
  const { error, run } = useSubmit(onDelete);
  return (
    <Modal title={title} onClose={onClose}>
      {children}
      <ErrorAlert error={error} />
      <label>
        To confirm deletion, type <em>{word}</em> in the field.
        <input value={typed} placeholder={word} onInput={(e) => setTyped(e.currentTarget.value)} />
      </label>
      <FormActions cancel={onClose} label="Delete" kind="danger" disabled={typed !== word} onConfirm={() => void run()} />
    </Modal>
  );
}
