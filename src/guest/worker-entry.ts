// A guest worker process (a child of the server, child_process.fork with advanced serialization):
// runs the simulated engine for the instances the server placed here (worker-engine.ts). Volume
// bytes are read and written through the server's store (an in-memory SQLite or a pg pool is not
// reachable from here); sessions are byte streams whose other end is the SSH transport in the
// server. A heartbeat says the loop still turns: a guest that never yields stops it, and the
// server then kills this process. Past its heap cap (--max-old-space-size) V8 aborts this process
// alone, however large the allocation that crossed the cap.
//
// It never outlives the server: the kernel kills it when the server dies (PR_SET_PDEATHSIG, set by
// setpriv, worker-engine.ts), and it exits when its IPC channel closes (the server exited or
// crashed). Without setpriv, a lifeline thread, which runs even while a guest step holds this
// process's main thread, kills it once the server is gone (its parent pid changed).
import { Duplex, Writable } from 'node:stream';
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { RunningGuest, SessionChannel, SftpSession, TerminalSize } from '../compute/guest-engine.js';
import type { BlockData } from './fs/layered-store.js';
import { SimulatedEngine } from './simulated-engine.js';
import { type EntryOptions, type FromWorker, OUTPUT_WINDOW, type ToWorker, asBuffer } from './worker-protocol.js';

if (!process.send) throw new Error('a guest worker runs as a forked child process (guest/worker-engine.ts)');
const { parentPid, heartbeatMs, lifelineMs, runtimeFlags, shellLimits } = JSON.parse(process.argv[2] ?? '{}') as EntryOptions;
// the server's heap profile (app/heap.ts), applied as the server applies it: at run time
for (const flag of runtimeFlags) setFlagsFromString(flag);

const send = process.send.bind(process);
const post = (m: FromWorker) => {
  if (process.connected) send(m);
};
// the server is gone (exited or crashed): nothing here is worth keeping
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the server ends its guest processes itself, in order
process.on('SIGINT', () => {});
// A second thread (≈ 9 MB): while a guest step holds the main thread, 'disconnect' is never handled.
if (lifelineMs > 0) {
  const lifeline = new Worker(
    `const { workerData: w } = require('node:worker_threads');
     const check = () => { if (process.ppid !== w.parentPid) process.kill(process.pid, 'SIGKILL'); };
     check();
     setInterval(check, w.lifelineMs);`,
    // 8 MiB: Node's bootstrap of a worker does not fit in 4
    { eval: true, workerData: { parentPid, lifelineMs }, resourceLimits: { maxOldGenerationSizeMb: 8 } },
  );
  // a lifeline that failed is reported, never this process's end (the IPC channel still ends it)
  lifeline.on('error', (e) => post({ t: 'log', line: `guest process lifeline: ${e.message}` }));
  lifeline.unref();
}

let nextCid = 1;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
function rpc(target: 'blockData' | 'pushedKeys' | 'liveInterfaces', method: string, args: unknown[], gid?: number): Promise<unknown> {
  const cid = nextCid++;
  post({ t: 'rpc', cid, target, method, args, gid });
  return new Promise((resolve, reject) => waiting.set(cid, { resolve, reject }));
}

/** Answers the server sent with a boot's start message (`method id` → value): each used once, by that boot. */
const preloaded = new Map<string, unknown>();

/** The store's block data, in the server (every method by name: the port's shape is the store's). */
const blockData = new Proxy({} as BlockData, {
  get: (_t, method) => (...args: unknown[]) => {
    const key = `${String(method)} ${String(args[0])}`;
    if (preloaded.has(key)) {
      const value = preloaded.get(key);
      preloaded.delete(key);
      return Promise.resolve(asBuffer(value));
    }
    return rpc('blockData', String(method), args).then(asBuffer);
  },
});
const engine = new SimulatedEngine(blockData, (line) => post({ t: 'log', line }), { shell: shellLimits });
const guests = new Map<number, RunningGuest>();
/** Boots under way, by guest: verbs that arrive meanwhile wait for them. */
const booting = new Map<number, Promise<void>>();

interface WorkerSession {
  stream?: Duplex;
  /** The server's channel was asked to pause (this side holds its high-water mark of unread stdin). */
  inPaused?: boolean;
  inflight: number;
  blocked: (() => void)[];
  resized: ((s: TerminalSize) => void)[];
  signals: ((s: string) => void)[];
  sftp?: EventEmitter;
  eofs: (() => void)[];
}
const sessions = new Map<number, WorkerSession>();

/** Output to the client: each chunk crosses at once; past the window, the writer waits for acknowledgements. */
function sendOut(sid: number, s: WorkerSession, chunk: Buffer, err: boolean, cb: () => void): void {
  if (!sessions.has(sid)) return cb();
  post({ t: 'out', sid, data: chunk, err });
  s.inflight += chunk.length;
  if (s.inflight <= OUTPUT_WINDOW) cb();
  else s.blocked.push(cb);
}

function openSession(m: Extract<ToWorker, { t: 'open' }>): void {
  const g = guests.get(m.gid);
  if (!g) return post({ t: 'exit', sid: m.sid, how: 255 });
  const s: WorkerSession = { inflight: 0, blocked: [], resized: [], signals: [], eofs: [] };
  sessions.set(m.sid, s);
  const toBuf = (c: unknown, enc: BufferEncoding) => (Buffer.isBuffer(c) ? c : Buffer.from(c as string, enc));
  const stream = new Duplex({
    // asked for more (the buffer drained, or the session resumed reading): the client may send again
    read() {
      if (s.inPaused && sessions.has(m.sid)) {
        s.inPaused = false;
        post({ t: 'in-resume', sid: m.sid });
      }
    },
    write: (c, enc, cb) => sendOut(m.sid, s, toBuf(c, enc), false, () => cb()),
  });
  const stderr = new Writable({ write: (c, enc, cb) => sendOut(m.sid, s, toBuf(c, enc), true, () => cb()) });
  s.stream = stream;
  const ch: SessionChannel = {
    user: m.user,
    remoteAddress: m.remote,
    stream,
    stderr,
    pty: m.pty,
    env: m.env,
    onResize: (fn) => void s.resized.push(fn),
    onSignal: (fn) => void s.signals.push(fn),
    exit: (how) => {
      if (!sessions.has(m.sid)) return;
      sessions.delete(m.sid);
      post({ t: 'exit', sid: m.sid, how });
    },
  };
  if (m.kind === 'exec') g.sessions.exec(ch, m.command ?? '');
  else g.sessions.shell(ch);
}

/** ssh2's SFTP server as the simulated SFTP server sees it: events in, answers out (by request id). */
function openSftp(m: Extract<ToWorker, { t: 'sftp-open' }>): void {
  const g = guests.get(m.gid);
  const s: WorkerSession = { inflight: 0, blocked: [], resized: [], signals: [], eofs: [] };
  const call = (method: string) => (...args: unknown[]) => void post({ t: 'sftp-call', sid: m.sid, method, args });
  const sftp = Object.assign(new EventEmitter(), {
    status: call('status'),
    handle: call('handle'),
    data: call('data'),
    name: call('name'),
    attrs: call('attrs'),
    end: call('end'),
    // sessions.ts ends the subsystem like sftp-server (exit status 0, EOF) through these
    outgoing: { id: 0, state: 'open' },
    _protocol: { exitStatus: (_id: number, code: number) => call('exitStatus')(code), channelEOF: () => call('channelEOF')() },
  });
  s.sftp = sftp;
  sessions.set(m.sid, s);
  const session: SftpSession = { user: m.user, remoteAddress: m.remote, open: () => sftp as never, onClientEof: (fn) => void s.eofs.push(fn) };
  if (!g?.sessions.sftpProtocol?.(session)) {
    sessions.delete(m.sid);
    post({ t: 'sftp-refused', sid: m.sid });
  }
}

async function answer(cid: number, work: () => unknown): Promise<void> {
  try {
    post({ t: 'result', cid, ok: true, value: await work() });
  } catch (e) {
    post({ t: 'result', cid, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

process.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'start': {
      const { hasPushedKeys, hasLiveInterfaces, ...metadata } = m.spec.metadata;
      const spec = {
        ...m.spec,
        metadata: {
          ...metadata,
          userData: metadata.userData ? (asBuffer(metadata.userData) as Buffer) : undefined,
          pushedKeys: hasPushedKeys ? () => rpc('pushedKeys', '', [], m.gid) as never : undefined,
          liveInterfaces: hasLiveInterfaces ? () => rpc('liveInterfaces', '', [], m.gid) as never : undefined,
        },
      };
      // the boot's span, told before it starts: a step of it that never yields (or exhausts the heap)
      // stops this process before anything else could be said
      post({ t: 'boot', gid: m.gid, phase: 'begin' });
      const over = () => post({ t: 'boot', gid: m.gid, phase: 'end' });
      const preloads = (m.preload ?? []).flatMap((v) => [
        [`load ${v.id}`, v.load] as const,
        ...(v.loadRows === undefined ? [] : [[`loadRows ${v.id}`, v.loadRows] as const]),
      ]);
      for (const [key, value] of preloads) preloaded.set(key, value);
      const booted = answer(m.cid, async () => {
        let g: RunningGuest;
        try {
          g = await engine.start(spec);
        } catch (e) {
          over();
          throw e;
        } finally {
          // what this boot did not read is stale after it
          for (const [key] of preloads) preloaded.delete(key);
        }
        guests.set(m.gid, g);
        const scripts = (g as { bootScripts?(): Promise<unknown> }).bootScripts?.();
        if (scripts) void scripts.then(over, over);
        else over();
        return { defaultUser: g.defaultUser };
      });
      booting.set(m.gid, booted);
      void booted.then(() => booting.get(m.gid) === booted && booting.delete(m.gid));
      return;
    }
    case 'call': {
      const boot = booting.get(m.gid);
      void answer(m.cid, async () => {
        // a verb sent while the guest boots (StopInstances right after a start) runs after its boot
        await boot;
        const g = guests.get(m.gid);
        if (!g) throw new Error(`no guest ${m.gid} on this worker`);
        const value = await (g[m.verb] as (...a: unknown[]) => unknown).apply(g, m.args);
        if (m.verb === 'stop' || m.verb === 'abandon') guests.delete(m.gid);
        return value;
      });
      return;
    }
    case 'rpc-result': {
      const w = waiting.get(m.cid);
      waiting.delete(m.cid);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(m.error));
      return;
    }
    case 'open':
      return openSession(m);
    case 'sftp-open':
      return openSftp(m);
    case 'stall':
      for (;;);
  }
  const s = sessions.get(m.sid);
  if (!s) return;
  switch (m.t) {
    case 'in':
      // unread past the stream's high-water mark (the session paused its stdin): pause the client
      if (s.stream && !s.stream.push(asBuffer(m.data)) && !s.inPaused) {
        s.inPaused = true;
        post({ t: 'in-pause', sid: m.sid });
      }
      return;
    case 'in-end':
      s.stream?.push(null);
      for (const fn of s.eofs) fn();
      return;
    case 'in-close':
      sessions.delete(m.sid);
      s.stream?.destroy();
      s.sftp?.emit('close');
      for (const cb of s.blocked.splice(0)) cb();
      return;
    case 'resize':
      for (const fn of s.resized) fn(m.size);
      return;
    case 'signal':
      for (const fn of s.signals) fn(m.name);
      return;
    case 'ack':
      s.inflight -= m.n;
      while (s.inflight <= OUTPUT_WINDOW && s.blocked.length) s.blocked.shift()!();
      return;
    case 'sftp-ev':
      s.sftp?.emit(m.ev, ...m.args.map(asBuffer));
      return;
    case 'sftp-eof':
      for (const fn of s.eofs) fn();
      return;
  }
});

setInterval(() => post({ t: 'hb' }), heartbeatMs);
post({ t: 'hb' });
