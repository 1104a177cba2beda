// Connect to instance, with AWS's tabs: EC2 Instance Connect (user name prefilled with the image's
// default user; Connect opens the terminal page in a new tab, over a WebSocket presigned with the
// console's credentials) and SSH client: AWS's instructions (chmod 400, ssh -i) with the instance's
// key name, the image's default user and the address (and port, when it is not 22) of the
// instance's SSH endpoint, as `ec2lite ssh` finds it.
import { useEffect, useState } from 'preact/hooks';
import { defaultUserFor, listImages, listInstances, type Instance } from '../instances-api.js';
import type { PageProps } from '../page.js';
import { CopyText, ErrorAlert } from '../ui.js';

interface SshInfo {
  host: string;
  port: number;
  user: string;
}

async function sshInfo(id: string): Promise<SshInfo | undefined> {
  const res = await fetch(`/_ec2lite/instances/${encodeURIComponent(id)}/ssh`, { credentials: 'omit', cache: 'no-store' });
  return res.ok ? ((await res.json()) as SshInfo) : undefined;
}

export function ConnectPage({ api, instanceId }: PageProps & { instanceId: string }) {
  const [instance, setInstance] = useState<Instance | undefined>();
  const [user, setUser] = useState('');
  const [info, setInfo] = useState<SshInfo | undefined>();
  const [error, setError] = useState<unknown>();
  const [tab, setTab] = useState<'eic' | 'ssh'>('eic');
  const [eicUser, setEicUser] = useState<string | undefined>();

  useEffect(() => {
    void (async () => {
      try {
        const [i] = await listInstances(api, { 'InstanceId.1': instanceId });
        setInstance(i);
        const [images, ssh] = await Promise.all([listImages(api), i?.state === 'running' ? sshInfo(instanceId) : undefined]);
        setInfo(ssh);
        setUser(ssh?.user || defaultUserFor(images.find((im) => im.id === i?.imageId)));
      } catch (e) {
        setError(e);
      }
    })();
  }, [instanceId]);

  const key = instance?.keyName ? `${instance.keyName}.pem` : 'your-key.pem';
  const address = info?.host || instance?.publicIp || '';
  const port = info && info.port !== 22 ? ` -p ${info.port}` : '';
  const sshCommand = `ssh -i "${key}"${port} ${user}@${address}`;
  const windows = instance?.platform === 'windows';

  /** EC2 Instance Connect: the terminal page in a new tab, with a WebSocket query signed here (valid 60 s). */
  const openTerminal = async () => {
    try {
      const query = await api.presign('ec2-instance-connect', '/_ec2lite/terminal', { InstanceId: instanceId, User: eicUser ?? user });
      window.open(`/console/terminal.html#${query}`, '_blank');
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="#/Instances">Instances</a> › {instanceId} › Connect to instance
      </nav>
      <h1>Connect to instance</h1>
      <ErrorAlert error={error} />
      <p>
        Connect to your instance <span class="mono">{instanceId}</span> using any of these options
      </p>
      <div role="tablist" class="tabs">
        <button type="button" role="tab" aria-selected={tab === 'eic'} class="tab-button" onClick={() => setTab('eic')}>
          EC2 Instance Connect
        </button>
        <button type="button" role="tab" aria-selected={tab === 'ssh'} class="tab-button" onClick={() => setTab('ssh')}>
          SSH client
        </button>
      </div>
      {instance && instance.state !== 'running' && (
        <div class="alert alert-warning" role="status">
          The instance is {instance.state}: start it before connecting.
        </div>
      )}
      {instance && tab === 'eic' && (
        <section class="connect form" aria-label="EC2 Instance Connect">
          {windows && (
            <div class="alert alert-warning" role="status">
              EC2 Instance Connect does not support Windows instances: use Get Windows password and an RDP client.
            </div>
          )}
          <dl>
            <dt>Instance ID</dt>
            <dd class="mono">{instanceId}</dd>
            <dt>Connection type</dt>
            <dd>Connect using EC2 Instance Connect</dd>
            <dt>Public IPv4 address</dt>
            <dd class="mono">{instance.publicIp || '-'}</dd>
          </dl>
          <label>
            Username
            <input value={eicUser ?? user} onInput={(e) => setEicUser(e.currentTarget.value)} autoComplete="off" spellcheck={false} />
          </label>
          <p class="help">
            Note: In most cases, the default username, {user || 'ec2-user'}, is correct. However, read your AMI usage instructions to check if the AMI owner has changed the default AMI username.
          </p>
          <div class="actions">
            <a class="button secondary" href="#/Instances">
              Cancel
            </a>
            <button type="button" class="primary" disabled={instance.state !== 'running' || windows || !(eicUser ?? user)} onClick={() => void openTerminal()}>
              Connect
            </button>
          </div>
        </section>
      )}
      {instance && tab === 'ssh' && (
        <section class="connect" aria-label="SSH client">
          <dl>
            <dt>Instance ID</dt>
            <dd class="mono">{instanceId}</dd>
          </dl>
          <ol>
            <li>Open an SSH client.</li>
            <li>
              Locate your private key file. The key used to launch this instance is <strong>{key}</strong>
            </li>
            <li>
              Run this command, if necessary, to ensure your key is not publicly viewable.
              <CopyText label="chmod command" text={`chmod 400 "${key}"`} />
            </li>
            <li>
              Connect to your instance using its Public IP: <strong class="mono">{address}</strong>
            </li>
          </ol>
          <p>Example:</p>
          <CopyText label="SSH command" text={sshCommand} />
          <p class="help">
            Note: in most cases the guessed user name is correct. Read your AMI's usage instructions to check the user name ({user} for this image).
          </p>
        </section>
      )}
    </section>
  );
}
