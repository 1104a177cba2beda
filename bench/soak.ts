// `npm run bench -- --soak 10m`: load and soak (never in CI). Running instances, concurrent SSH
// sessions running commands through the real OpenSSH client, and a mixed API load (creates,
// imports, describes, deletes, Run/Stop/Start/Terminate) for the given time; then every
// acknowledged key pair write is checked. Per minute: API p99, SSH login p99, RSS, errors.
// With `--database postgres://…` two nodes share the database (the API load alternates between
// them; an instance's lifecycle calls and SSH go to the node that launched it).

export interface SoakNode {
  url: string;
  pid: number;
}

export interface SoakDeps {
  call(url: string, params: Record<string, string>): Promise<{ status: number; body: string }>;
  sshOnce(args: string[]): Promise<{ ms: number; out: string; code: number | null }>;
  rssMb(pid: number): number;
  xmlValues(body: string, tag: string): string[];
}

export interface SoakOptions {
  nodes: SoakNode[];
  seconds: number;
  instances: number;
  sshSessions: number;
  apiConcurrency: number;
  pem: string;
  imageId: string;
  keyName: string;
  region: string;
}

interface Minute {
  api: number[];
  ssh: number[];
  apiErrors: number;
  sshErrors: number;
  rss: number[];
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** "10m", "90s", "1h" or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`--soak: not a duration: ${text}`);
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

export async function soak(o: SoakOptions, d: SoakDeps): Promise<{ errors: number; lostWrites: number; minutes: Minute[] }> {
  const { nodes, region } = o;
  // Launch: instances spread over the nodes; the node that launched one owns its running side.
  const owner = new Map<string, SoakNode>();
  // Security groups refuse SSH until a rule allows it (README quick start).
  await d.call(nodes[0]!.url, { Region: region, Action: 'AuthorizeSecurityGroupIngress', GroupName: 'default', IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' });
  for (let launched = 0, n = 0; launched < o.instances; n++) {
    const node = nodes[n % nodes.length]!;
    const count = Math.min(100, o.instances - launched);
    const r = await d.call(node.url, { Region: region, Action: 'RunInstances', ImageId: o.imageId, MinCount: String(count), MaxCount: String(count), KeyName: o.keyName });
    if (r.status !== 200) throw new Error(`RunInstances: ${r.body}`);
    for (const id of d.xmlValues(r.body, 'instanceId')) owner.set(id, node);
    launched += count;
  }
  const ids = [...owner.keys()];
  // 90% stay running for SSH; the rest go through Stop/Start/Terminate (+ a Run to replace).
  const stable = ids.slice(0, Math.ceil(ids.length * 0.9));
  const cycling = ids.slice(stable.length).map((id) => ({ id, state: 'running' as 'running' | 'stopped', busy: false }));
  console.log(`soak: ${ids.length} instances launched on ${nodes.length} node(s); ${o.sshSessions} SSH sessions and ${o.apiConcurrency} API clients for ${o.seconds} s`);

  const started = performance.now();
  const minutes: Minute[] = [];
  const bucket = () => {
    const i = Math.floor((performance.now() - started) / 60_000);
    while (minutes.length <= i) minutes.push({ api: [], ssh: [], apiErrors: 0, sshErrors: 0, rss: [] });
    return minutes[i]!;
  };
  const running = () => performance.now() - started < o.seconds * 1000;
  const sample = setInterval(() => {
    const b = bucket();
    b.rss.push(nodes.reduce((sum, n) => sum + d.rssMb(n.pid), 0));
  }, 1000);

  // Acknowledged writes: names whose create/import got 200, names whose delete got 200.
  const acknowledged = new Set<string>();
  const deleted = new Set<string>();
  /** Acknowledged and not (being) deleted, oldest first: what deletes and describes pick from. */
  const live: string[] = [];
  let seq = 0;
  const errorsSeen: string[] = [];
  const api = async (node: SoakNode, params: Record<string, string>, ok: (status: number) => boolean = (s) => s === 200) => {
    const t = performance.now();
    const r = await d.call(node.url, { Region: region, ...params });
    const b = bucket();
    b.api.push(performance.now() - t);
    if (!ok(r.status)) {
      b.apiErrors++;
      if (errorsSeen.length < 5) errorsSeen.push(`${params.Action}: ${r.status} ${r.body.slice(0, 200)}`);
    }
    return r;
  };
  const material = (i: number) =>
    Buffer.from(`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl soak-${i}\n`).toString('base64');

  const apiWorker = async (w: number) => {
    while (running()) {
      const node = nodes[(w + seq) % nodes.length]!;
      // Creates and imports (30%) outnumber deletes (20%), so the region fills up; past 4,000 live
      // key pairs (a fast machine, a small soak) the next operation is a delete, which keeps it
      // under its 5,000 limit (a 4-minute soak of 200 instances reached it: 1,243 errors).
      const roll = live.length > 4000 ? 0.4 : Math.random();
      const i = seq++;
      if (roll < 0.15) {
        const name = `soak-c-${i}`;
        const r = await api(node, { Action: 'CreateKeyPair', KeyName: name, KeyType: 'ed25519' });
        if (r.status === 200) acknowledged.add(name), live.push(name);
      } else if (roll < 0.3) {
        const name = `soak-i-${i}`;
        const r = await api(node, { Action: 'ImportKeyPair', KeyName: name, PublicKeyMaterial: material(i) });
        if (r.status === 200) acknowledged.add(name), live.push(name);
      } else if (roll < 0.5) {
        const victim = live.length > 100 ? live.shift() : undefined;
        if (victim) {
          const r = await api(node, { Action: 'DeleteKeyPair', KeyName: victim });
          if (r.status === 200) deleted.add(victim);
          else live.push(victim);
        }
      } else if (roll < 0.7) {
        const name = live[Math.floor(Math.random() * live.length)];
        if (name) await api(node, { Action: 'DescribeKeyPairs', 'KeyName.1': name }, (s) => s === 200 || s === 400); // 400: deleted meanwhile
      } else if (roll < 0.85) {
        const id = ids[Math.floor(Math.random() * ids.length)]!;
        await api(node, { Action: 'DescribeInstances', 'InstanceId.1': id });
      } else {
        const c = cycling.find((x) => !x.busy && Math.random() < 0.3);
        if (!c) continue;
        c.busy = true;
        const home = owner.get(c.id)!;
        try {
          if (c.state === 'running' && Math.random() < 0.2) {
            const r = await api(home, { Action: 'TerminateInstances', 'InstanceId.1': c.id });
            if (r.status === 200) {
              const run = await api(home, { Action: 'RunInstances', ImageId: o.imageId, MinCount: '1', MaxCount: '1', KeyName: o.keyName });
              const [fresh] = d.xmlValues(run.body, 'instanceId');
              if (fresh) {
                owner.set(fresh, home);
                c.id = fresh;
                c.state = 'running';
              }
            }
          } else if (c.state === 'running') {
            if ((await api(home, { Action: 'StopInstances', 'InstanceId.1': c.id })).status === 200) c.state = 'stopped';
          } else if ((await api(home, { Action: 'StartInstances', 'InstanceId.1': c.id })).status === 200) c.state = 'running';
        } finally {
          c.busy = false;
        }
      }
    }
  };

  const sshWorker = async () => {
    while (running()) {
      const id = stable[Math.floor(Math.random() * stable.length)]!;
      const node = owner.get(id)!;
      const b0 = bucket();
      try {
        const info = (await (await fetch(`${node.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
        const token = Math.random().toString(36).slice(2);
        const r = await d.sshOnce([
          '-i', o.pem, '-p', String(info.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
          '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=30', `${info.user}@${info.host}`,
          // A file of its own: two sessions may pick the same instance at once.
          `echo ${token} > /tmp/soak-${token} && cat /tmp/soak-${token} && rm /tmp/soak-${token} && whoami`,
        ]);
        if (r.out !== `${token}\nec2-user\n`) {
          b0.sshErrors++;
          if (errorsSeen.length < 5) errorsSeen.push(`ssh ${id}: ${r.out.slice(0, 200)}`);
        } else bucket().ssh.push(r.ms);
      } catch (e) {
        b0.sshErrors++;
        if (errorsSeen.length < 5) errorsSeen.push(`ssh ${id}: ${String(e)}`);
      }
    }
  };

  await Promise.all([...Array.from({ length: o.apiConcurrency }, (_, w) => apiWorker(w)), ...Array.from({ length: o.sshSessions }, () => sshWorker())]);
  clearInterval(sample);

  // No lost acknowledged write: every node lists exactly the acknowledged, undeleted soak keys.
  let lostWrites = 0;
  for (const node of nodes) {
    const r = await d.call(node.url, { Region: region, Action: 'DescribeKeyPairs' });
    const listed = new Set(d.xmlValues(r.body, 'keyName'));
    for (const name of acknowledged) if (deleted.has(name) === listed.has(name)) lostWrites++;
  }

  console.log('minute | API ops | API p99 ms | SSH logins | SSH login p99 ms | RSS max MB | errors');
  minutes.forEach((m, i) =>
    console.log(
      `${String(i + 1).padStart(6)} | ${String(m.api.length).padStart(7)} | ${pct(m.api, 99).toFixed(0).padStart(10)} | ${String(m.ssh.length).padStart(10)} | ${pct(m.ssh, 99).toFixed(0).padStart(16)} | ${Math.max(...m.rss, 0).toFixed(0).padStart(10)} | ${m.apiErrors + m.sshErrors}`,
    ),
  );
  const errors = minutes.reduce((s, m) => s + m.apiErrors + m.sshErrors, 0);
  console.log(`soak: ${errors} errors, ${lostWrites} lost acknowledged writes (${acknowledged.size} acknowledged, ${deleted.size} deleted)`);
  for (const e of errorsSeen) console.log(`  e.g. ${e}`);
  return { errors, lostWrites, minutes };
}
