// Import key pair: Name, Public key contents (pasted, or read from a file chosen with Browse).
import { useState } from 'preact/hooks';
import { tagSpecParams, utf8Base64, type Tag } from '../api.js';
import { flash, type PageProps } from '../page.js';
import { ErrorAlert, TagEditor } from '../ui.js';
import { navigate } from '../nav.js';
import { FormActions, TextField, useBusySubmit } from '../components/form.js';

export function ImportKeyPairPage({ api }: PageProps) {
  const [name, setName] = useState('');
  const [material, setMaterial] = useState('');
  const [tags, setTags] = useState<Tag[]>([]);

  const pick = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    setMaterial(await file.text());
    // A convenience: an empty Name takes the file's base name.
    if (!name) setName(file.name.replace(/\.[^.]*$/, ''));
  };

  const { error, busy, submit } = useBusySubmit(async () => {
    // PublicKeyMaterial is a Blob in the API: base64 of the file's bytes.
    await api.ec2('ImportKeyPair', { KeyName: name, PublicKeyMaterial: utf8Base64(material), ...tagSpecParams(1, 'key-pair', tags) });
    flash.set(`Successfully imported key pair ${name}`);
    navigate('#/KeyPairs');
  });

  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/KeyPairs">Key pairs</a> › Import key pair
      </nav>
      <h1>Import key pair</h1>
      <form class="form" onSubmit={submit}>
        <ErrorAlert error={error} />
        <TextField label="Name" name="keyName" required maxLength={255} value={name} onChange={setName} />
        <div class="file-row">
          <label class="button secondary file-button">
            Browse
            <input type="file" class="visually-hidden" accept=".pub,.pem,.txt,text/plain" onChange={pick} />
          </label>
          <span class="help">Choose a public key file (for example id_ed25519.pub), or paste its contents below.</span>
        </div>
        <label>
          Public key contents
          <textarea name="publicKey" rows={8} class="mono" required value={material} onInput={(e) => setMaterial(e.currentTarget.value)} />
        </label>
        <p class="help">OpenSSH public key (ssh-rsa, ssh-ed25519), RFC 4716, base64 DER or PEM. RSA 1024–16384 bits or ED25519.</p>
        <fieldset>
          <legend>Tags - optional</legend>
          <TagEditor tags={tags} onChange={setTags} />
        </fieldset>
        <FormActions cancel="#/KeyPairs" label="Import key pair" disabled={busy} />
      </form>
    </section>
  );
}
