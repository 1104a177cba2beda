// The console's shell: top bar (Region, account), navigation pane, hash routes, sign-in for
// strict mode. Every page talks to the server only through ApiClient (the public API).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiClient, ApiError, AUTH_ERROR_CODES, OPEN_MODE_CREDENTIALS, savedCredentials, saveCredentials } from './api.js';
import type { Credentials } from './sigv4.js';
import { REGIONS } from './regions.js';
import { ErrorAlert } from './ui.js';
import { KeyPairsPage } from './pages/key-pairs.js';
import { CreateKeyPairPage } from './pages/create-key-pair.js';
import { ImportKeyPairPage } from './pages/import-key-pair.js';
import { InstancesPage } from './pages/instances.js';
import { LaunchInstancePage } from './pages/launch-instance.js';
import { ConnectPage } from './pages/connect.js';
import { WindowsPasswordPage } from './pages/windows-password.js';
import { VolumesPage } from './pages/volumes.js';
import { FeaturePage } from './pages/feature.js';
import { AmisPage } from './pages/amis.js';
import { AutoScalingPage } from './pages/auto-scaling.js';
import { CreateVpcPage, VpcsPage } from './pages/vpcs.js';
import { CreateSubnetPage, SubnetsPage } from './pages/subnets.js';
import { CreateSecurityGroupPage, EditRulesPage, SecurityGroupDetailsPage, SecurityGroupsPage } from './pages/security-groups.js';

const REGION_KEY = 'ec2lite.region';

const NAV: { section: string; links: { href: string; label: string }[] }[] = [
  { section: 'Instances', links: [{ href: '#/Instances', label: 'Instances' }, { href: '#/LaunchTemplates', label: 'Launch Templates' }] },
  { section: 'Images', links: [{ href: '#/AMIs', label: 'AMIs' }] },
  { section: 'Elastic Block Store', links: [{ href: '#/Volumes', label: 'Volumes' }, { href: '#/Snapshots', label: 'Snapshots' }] },
  { section: 'Network & Security', links: [{ href: '#/SecurityGroups', label: 'Security Groups' }, { href: '#/KeyPairs', label: 'Key Pairs' }] },
  { section: 'Virtual private cloud', links: [{ href: '#/Vpcs', label: 'Your VPCs' }, { href: '#/Subnets', label: 'Subnets' }] },
  { section: 'Auto Scaling', links: [{ href: '#/AutoScalingGroups', label: 'Auto Scaling Groups' }] },
];

function useHash(): string {
  const [hash, setHash] = useState(location.hash || '#/Instances');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/Instances');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

type Mode = { kind: 'checking' } | { kind: 'signin'; error?: unknown } | { kind: 'ready'; strict: boolean; credentials: Credentials };

/** Probes the API with these credentials: ok, refused (auth), or another failure. */
async function probe(region: string, credentials: Credentials): Promise<'ok' | ApiError> {
  try {
    await new ApiClient(region, credentials).ec2('DescribeKeyPairs', { 'Filter.1.Name': 'key-name', 'Filter.1.Value.1': 'ec2lite-console-probe' });
    return 'ok';
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
}

function App() {
  const [region, setRegion] = useState(() => sessionStorage.getItem(REGION_KEY) || 'us-east-1');
  const [mode, setMode] = useState<Mode>({ kind: 'checking' });
  const [account, setAccount] = useState('');
  const hash = useHash();

  // Which mode is the server in? Try the saved (strict) credentials, else open mode's placeholder.
  useEffect(() => {
    void (async () => {
      const saved = savedCredentials();
      const first = await probe(region, saved ?? OPEN_MODE_CREDENTIALS);
      if (first === 'ok') return setMode({ kind: 'ready', strict: !!saved, credentials: saved ?? OPEN_MODE_CREDENTIALS });
      if (AUTH_ERROR_CODES.has(first.code)) {
        if (saved) saveCredentials(undefined);
        return setMode({ kind: 'signin', error: saved ? first : undefined });
      }
      setMode({ kind: 'signin', error: first });
    })();
  }, []);

  const api = mode.kind === 'ready' ? new ApiClient(region, mode.credentials) : undefined;

  // The account: open mode's placeholder key is not 12 digits, so the default account; otherwise
  // a 12-digit key id is the account, and a reservation's ownerId tells it for any key.
  useEffect(() => {
    if (mode.kind !== 'ready') return;
    const id = mode.credentials.accessKeyId;
    setAccount(!mode.strict ? '000000000000' : /^\d{12}$/.test(id) ? id : '');
    if (mode.strict && !/^\d{12}$/.test(id)) {
      void new ApiClient(region, mode.credentials)
        .ec2('DescribeInstances', { MaxResults: 5 })
        .then((r) => {
          const owner = r.querySelector('reservationSet > item > ownerId')?.textContent;
          if (owner) setAccount(owner);
        })
        .catch(() => {});
    }
  }, [mode, region]);

  const changeRegion = (r: string) => {
    sessionStorage.setItem(REGION_KEY, r);
    setRegion(r);
  };

  const signOut = () => {
    saveCredentials(undefined);
    setMode({ kind: 'signin' });
  };

  const route = hash.replace(/^#\/?/, '').split('/');
  let page;
  if (mode.kind === 'checking') page = <p class="loading">Connecting…</p>;
  else if (mode.kind === 'signin') page = <SignIn region={region} error={mode.error} onSignedIn={(c) => setMode({ kind: 'ready', strict: true, credentials: c })} />;
  else {
    const p = { api: api!, region };
    switch (route[0]) {
      case 'KeyPairs':
        page = route[1] === 'create' ? <CreateKeyPairPage {...p} /> : route[1] === 'import' ? <ImportKeyPairPage {...p} /> : <KeyPairsPage {...p} />;
        break;
      case 'Volumes':
        page = <VolumesPage {...p} focus={route[1]} />;
        break;
      case 'Snapshots':
        page = <FeaturePage {...p} feature="snapshots" />;
        break;
      case 'AMIs':
        page = <AmisPage {...p} />;
        break;
      case 'LaunchTemplates':
        page = <FeaturePage {...p} feature="launch-templates" />;
        break;
      case 'Vpcs':
        page = route[1] === 'create' ? <CreateVpcPage {...p} /> : <VpcsPage {...p} />;
        break;
      case 'Subnets':
        page = route[1] === 'create' ? <CreateSubnetPage {...p} /> : <SubnetsPage {...p} vpcId={route[1] === 'vpc' ? route[2] : undefined} />;
        break;
      case 'SecurityGroups':
        page =
          route[1] === 'create' ? (
            <CreateSecurityGroupPage {...p} />
          ) : route[1] === 'vpc' || !route[1] ? (
            <SecurityGroupsPage {...p} vpcId={route[2]} />
          ) : route[2] === 'inbound' || route[2] === 'outbound' ? (
            <EditRulesPage {...p} groupId={route[1]} egress={route[2] === 'outbound'} />
          ) : (
            <SecurityGroupDetailsPage {...p} groupId={route[1]} />
          );
        break;
      case 'AutoScalingGroups':
        page = <AutoScalingPage {...p} />;
        break;
      default:
        page =
          route[1] === 'launch' ? (
            <LaunchInstancePage {...p} />
          ) : route[1] && route[2] === 'connect' ? (
            <ConnectPage {...p} instanceId={route[1]} />
          ) : route[1] && route[2] === 'password' ? (
            <WindowsPasswordPage {...p} instanceId={route[1]} />
          ) : (
            <InstancesPage {...p} />
          );
    }
  }
  const current = route[0] || 'Instances';

  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="#/Instances">
          ec2lite <span class="muted">EC2 console</span>
        </a>
        <div class="topbar-right">
          <label class="region">
            Region
            <select value={region} onChange={(e) => changeRegion(e.currentTarget.value)}>
              {REGIONS.map((r) => (
                <option value={r.code} key={r.code}>
                  {r.name} ({r.code})
                </option>
              ))}
            </select>
          </label>
          {mode.kind === 'ready' && (
            <span class="account" aria-label="Account">
              {account ? <>Account {account}</> : <>Access key {mode.credentials.accessKeyId}</>}
            </span>
          )}
          {mode.kind === 'ready' && mode.strict && (
            <button type="button" class="secondary small" onClick={signOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <div class="body">
        <nav class="sidenav" aria-label="Navigation">
          {NAV.map((g) => (
            <section key={g.section}>
              <h2 class="nav-section">{g.section}</h2>
              <ul>
                {g.links.map((l) => (
                  <li key={l.href}>
                    <a href={l.href} aria-current={l.href.slice(2) === current ? 'page' : undefined}>
                      {l.label}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </nav>
        <main class="content" id="main" tabIndex={-1} key={`${region}|${mode.kind === 'ready' ? mode.credentials.accessKeyId : ''}|${hash}`}>
          {page}
        </main>
      </div>
    </div>
  );
}

function SignIn({ region, error, onSignedIn }: { region: string; error?: unknown; onSignedIn: (c: Credentials) => void }) {
  const [accessKeyId, setId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [failure, setFailure] = useState<unknown>(error);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const c = { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim() };
    const r = await probe(region, c).catch((err: unknown) => err as ApiError);
    setBusy(false);
    if (r !== 'ok') return setFailure(r);
    saveCredentials(c); // this tab only: sessionStorage goes with the tab
    setSecret('');
    onSignedIn(c);
  };
  return (
    <section class="signin">
      <h1>Sign in</h1>
      <p>This server verifies every request (strict mode). Sign in with an access key made by <code>ec2lite credentials add</code>; it is kept in this tab only and every request is signed with it.</p>
      <ErrorAlert error={failure} />
      <form onSubmit={submit} class="form">
        <label>
          Access key ID
          <input name="accessKeyId" autocomplete="username" required value={accessKeyId} onInput={(e) => setId(e.currentTarget.value)} />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" autocomplete="current-password" required value={secretAccessKey} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </section>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the static "Loading…" placeholder
render(<App />, root);
