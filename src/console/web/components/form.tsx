// The pieces every dialog and form repeats: its submit handler with an error state, a labelled
// text field and the Cancel / confirm button row.
import { useState } from 'preact/hooks';

/** Wraps a form's action (`submit` for onSubmit, `run` for a button): keeps what it throws for <ErrorAlert>. */
export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<unknown>();
  const run = async () => {
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    return run();
  };
  return { error, setError, run, submit };
}

/**
 * For a form that leaves when done (a page, or a form whose owner closes it): the submit button
 * stays disabled while the request runs and after it succeeds; an error clears busy again.
 */
export function useBusySubmit(action: () => Promise<void>) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return { error, setError, busy, submit };
}

type InputProps = { required?: boolean; maxLength?: number; name?: string };

export function TextField({ label, value, onChange, ...input }: { label: string; value: string; onChange: (v: string) => void } & InputProps) {
  return (
    <label>
      {label}
      <input value={value} {...input} onInput={(e) => onChange(e.currentTarget.value)} />
    </label>
  );
}

/**
 * Cancel (a button, or a link when `cancel` is a route) and the confirming button: a submit
 * button, or with `onConfirm` a plain button for dialogs without a form.
 */
export function FormActions({
  cancel,
  label,
  kind = 'primary',
  disabled,
  onConfirm,
}: {
  cancel: (() => void) | string;
  label: string;
  kind?: 'primary' | 'danger';
  disabled?: boolean;
  onConfirm?: () => void;
}) {
  return (
    <div class="actions">
      {typeof cancel === 'string' ? (
        <a class="button secondary" href={cancel}>
          Cancel
        </a>
      ) : (
        <button type="button" class="secondary" onClick={cancel}>
          Cancel
        </button>
      )}
      {onConfirm ? (
        <button type="button" class={kind} disabled={disabled} onClick={onConfirm}>
          {label}
        </button>
      ) : (
        <button type="submit" class={kind} disabled={disabled}>
          {label}
        </button>
      )}
    </div>
  );
}
