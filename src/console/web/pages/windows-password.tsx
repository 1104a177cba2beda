// Instances → Actions → Security → Get Windows password, as in AWS's console: the private key file
// (Upload private key file, or pasted) decrypts GetPasswordData's answer in this tab. The key is
// never sent anywhere and never stored: it lives in this component's state until the page closes.
import { useEffect, useState } from 'preact/hooks';
import { childText } from '../api.js';
import { listInstances, type Instance } from '../instances-api.js';
import type { PageProps } from '../page.js';
import { decryptPkcs1v15, readRsaPrivateKey } from '../rsa-pkcs1.js';
import { CopyText, ErrorAlert } from '../ui.js';

export function WindowsPasswordPage({ api, instanceId }: PageProps & { instanceId: string }) {
  const [instance, setInstance] = useState<Instance | undefined>();
  const [keyText, setKeyText] = useState('');
  const [password, setPassword] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    void listInstances(api, { 'InstanceId.1': instanceId }).then(([i]) => setInstance(i), setError);
  }, [instanceId]);

  const decrypt = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setNotice(undefined);
    setPassword(undefined);
    try {
      // Only the instance id goes to the server; the key is used here.
      const data = childText(await api.ec2('GetPasswordData', { InstanceId: instanceId }), 'passwordData');
      if (!data) {
        setNotice('Password not available yet. Please wait at least 4 minutes after launching an instance before trying to retrieve the auto-generated password.');
        return;
      }
      setPassword(decryptPkcs1v15(readRsaPrivateKey(keyText), data));
    } catch (err) {
      setError(err);
    }
  };

  const upload = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setKeyText(await file.text());
  };

  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/Instances">Instances</a> › {instanceId} › Get Windows password
      </nav>
      <h1>Get Windows password</h1>
      <p>Use your private key to retrieve and decrypt the initial Windows administrator password for this instance.</p>
      <ErrorAlert error={error} />
      {instance && instance.platform !== 'windows' && (
        <div class="alert alert-warning" role="status">
          This instance is not a Windows instance: it has no Windows password.
        </div>
      )}
      <form onSubmit={(e) => void decrypt(e)} class="form" aria-label="Get Windows password">
        <dl>
          <dt>Instance ID</dt>
          <dd class="mono">{instanceId}</dd>
          <dt>Key pair associated with this instance</dt>
          <dd>{instance?.keyName || '-'}</dd>
        </dl>
        <label>
          Upload private key file
          <input type="file" accept=".pem,.key,text/plain" onChange={(e) => void upload(e)} />
        </label>
        <label>
          Private key contents
          <textarea
            rows={8}
            spellcheck={false}
            autoComplete="off"
            value={keyText}
            placeholder="-----BEGIN RSA PRIVATE KEY-----"
            onInput={(e) => setKeyText(e.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <a class="button secondary" href="#/Instances">
            Cancel
          </a>
          <button type="submit" class="primary" disabled={!keyText.trim()}>
            Decrypt password
          </button>
        </div>
      </form>
      {notice && (
        <div class="alert alert-info" role="status">
          {notice}
        </div>
      )}
      {password !== undefined && (
        <section class="connect" aria-label="Windows password">
          <dl>
            <dt>Private IP address</dt>
            <dd class="mono">{instance?.privateIp}</dd>
            <dt>User name</dt>
            <dd class="mono">Administrator</dd>
            <dt>Password</dt>
            <dd>
              <CopyText label="password" text={password} />
            </dd>
          </dl>
        </section>
      )}
    </section>
  );
}
