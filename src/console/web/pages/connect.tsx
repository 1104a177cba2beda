// Connect to instance → SSH client: AWS's instructions (chmod 400, ssh -i) with the instance's
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
        <span role="tab" aria-selected="true" class="tab">
          SSH client
        </span>
      </div>
      {instance && instance.state !== 'running' && (
        <div class="alert alert-warning" role="status">
          The instance is {instance.state}: start it before connecting.
        </div>
      )}
      {instance && (
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
