// Create key pair: Name, Key pair type (RSA / ED25519), Private key file format (.pem / .ppk),
// optional tags. The private key in CreateKeyPair's answer is handed to the browser as a download
// (NAME.pem / NAME.ppk) at once and then dropped: it is never stored by the page.
import { useState } from 'preact/hooks';
import { childText, tagSpecParams, type ApiClient, type Tag } from '../api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, TagEditor, useId } from '../ui.js';
import { navigate } from '../nav.js';
import { FormActions, useBusySubmit } from '../components/form.js';

/** Saves `text` as a file through the browser's download, keeping no reference afterwards. */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The blob must outlive the click long enough for the download to start.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function CreateKeyPairForm({ api, onCreated, onCancel }: { api: ApiClient; onCreated: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<'rsa' | 'ed25519'>('rsa');
  const [format, setFormat] = useState<'pem' | 'ppk'>('pem');
  const [tags, setTags] = useState<Tag[]>([]);
  const id = useId('ckp');

  const { error, busy, submit } = useBusySubmit(async () => {
    const r = await api.ec2('CreateKeyPair', { KeyName: name, KeyType: type, KeyFormat: format, ...tagSpecParams(1, 'key-pair', tags) });
    const keyName = childText(r, 'keyName');
    download(`${keyName}.${format}`, childText(r, 'keyMaterial'));
    onCreated(keyName);
  });

  return (
    <form class="form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="visually-hidden">
        Key pair
      </h2>
      <ErrorAlert error={error} />
      <label>
        Name
        <input name="keyName" required maxLength={255} value={name} onInput={(e) => setName(e.currentTarget.value)} aria-describedby={`${id}-name-help`} />
      </label>
      <p class="help" id={`${id}-name-help`}>
        The name can include up to 255 ASCII characters. It can't include leading or trailing spaces.
      </p>
      <fieldset>
        <legend>Key pair type</legend>
        <label class="radio">
          <input type="radio" name={`${id}-type`} checked={type === 'rsa'} onChange={() => setType('rsa')} aria-describedby={`${id}-rsa`} />
          RSA
        </label>
        <span class="help" id={`${id}-rsa`}>
          RSA encrypted private and public key pair
        </span>
        <label class="radio">
          <input type="radio" name={`${id}-type`} checked={type === 'ed25519'} onChange={() => setType('ed25519')} aria-describedby={`${id}-ed`} />
          ED25519
        </label>
        <span class="help" id={`${id}-ed`}>
          ED25519 encrypted private and public key pair
        </span>
      </fieldset>
      <fieldset>
        <legend>Private key file format</legend>
        <label class="radio">
          <input type="radio" name={`${id}-format`} checked={format === 'pem'} onChange={() => setFormat('pem')} aria-describedby={`${id}-pem`} />
          .pem
        </label>
        <span class="help" id={`${id}-pem`}>
          For use with OpenSSH
        </span>
        <label class="radio">
          <input type="radio" name={`${id}-format`} checked={format === 'ppk'} onChange={() => setFormat('ppk')} aria-describedby={`${id}-ppk`} />
          .ppk
        </label>
        <span class="help" id={`${id}-ppk`}>
          For use with PuTTY
        </span>
      </fieldset>
      <fieldset>
        <legend>Tags - optional</legend>
        <TagEditor tags={tags} onChange={setTags} />
      </fieldset>
      <FormActions cancel={onCancel} label="Create key pair" disabled={busy} />
    </form>
  );
}

export function CreateKeyPairPage({ api }: PageProps) {
  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/KeyPairs">Key pairs</a> › Create key pair
      </nav>
      <h1>Create key pair</h1>
      <p class="muted">A key pair, a private key and a public key, is the set of security credentials you use to prove your identity when connecting to an instance. The private key file is downloaded by your browser now: this is the only chance to save it.</p>
      <CreateKeyPairForm
        api={api}
        onCancel={() => navigate('#/KeyPairs')}
        onCreated={(name) => {
          flash.set(`Successfully created key pair ${name}`);
          navigate('#/KeyPairs');
        }}
      />
    </section>
  );
}
