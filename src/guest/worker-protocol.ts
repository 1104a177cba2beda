// The messages between the server and a guest worker process (worker-engine.ts ↔
// worker-entry.ts), over the fork's IPC channel with advanced serialization. Everything is
// structured-clone data: a spec without functions, bytes as Buffers or Uint8Arrays (`asBuffer`
// turns any Uint8Array back into a Buffer), sessions by id.
import type { GuestSpec, MetadataOptions, PtyRequest, SessionExit, TerminalSize } from '../compute/guest-engine.js';

/**
 * A GuestSpec as it crosses (functions cannot be cloned): IMDS's pushed keys and live interfaces are
 * asked of the server (`rpc`); `traffic` is for engines that carry traffic between instances (crun).
 */
export type WireSpec = Omit<GuestSpec, 'metadata' | 'onImpaired' | 'traffic' | 'hostKey'> & {
  metadata: Omit<GuestSpec['metadata'], 'pushedKeys' | 'liveInterfaces'> & { hasPushedKeys: boolean; hasLiveInterfaces: boolean };
};

/** A volume's own layer as BlockData answers it (load's document; loadRows' rows when stored as rows). */
export interface PreloadedVolume {
  id: string;
  load: unknown;
  loadRows?: unknown;
}

/** The RunningGuest verbs that cross as calls. */
export type GuestVerb = 'attach' | 'detach' | 'flush' | 'stop' | 'abandon' | 'authorizedKeys' | 'setMetadataOptions' | 'setIamInstanceProfile' | 'isMounted' | 'resize' | 'consoleLog';

/** ssh2 SFTP server events the simulated SFTP server answers (forwarded with their arguments). */
export const SFTP_EVENTS = ['OPEN', 'READ', 'WRITE', 'FSTAT', 'FSETSTAT', 'CLOSE', 'OPENDIR', 'READDIR', 'STAT', 'LSTAT', 'SETSTAT', 'REALPATH', 'MKDIR', 'RMDIR', 'REMOVE', 'RENAME', 'READLINK', 'SYMLINK'] as const;

/** Output bytes a worker may have in flight per session before the client acknowledges (flow control). */
export const OUTPUT_WINDOW = 256 * 1024;

export type ToWorker =
  /**
   * `preload`: what the boot's first reads of its volumes' own layers would ask of the server
   * (BlockData load and loadRows), read before the message left: answered in the process, used
   * once, by this boot only.
   */
  | { t: 'start'; cid: number; gid: number; spec: WireSpec; preload?: PreloadedVolume[] }
  | { t: 'call'; cid: number; gid: number; verb: GuestVerb; args: unknown[] }
  | { t: 'rpc-result'; cid: number; ok: boolean; value?: unknown; error?: string }
  | { t: 'open'; sid: number; gid: number; kind: 'exec' | 'shell'; command?: string; user: string; remote: string; pty?: PtyRequest; env: Record<string, string> }
  | { t: 'in'; sid: number; data: Uint8Array }
  | { t: 'in-end'; sid: number }
  | { t: 'in-close'; sid: number }
  | { t: 'resize'; sid: number; size: TerminalSize }
  | { t: 'signal'; sid: number; name: string }
  | { t: 'ack'; sid: number; n: number }
  | { t: 'sftp-open'; sid: number; gid: number; user: string; remote: string }
  | { t: 'sftp-ev'; sid: number; ev: string; args: unknown[] }
  | { t: 'sftp-eof'; sid: number }
  /** Fault injection for tests and drills: the worker's main thread spins without yielding. */
  | { t: 'stall' };

export type FromWorker =
  | { t: 'hb' }
  | { t: 'log'; line: string }
  | { t: 'result'; cid: number; ok: boolean; value?: unknown; error?: string }
  | { t: 'rpc'; cid: number; target: 'blockData' | 'pushedKeys' | 'liveInterfaces'; method: string; gid?: number; args: unknown[] }
  | { t: 'out'; sid: number; data: Uint8Array; err: boolean }
  | { t: 'exit'; sid: number; how: SessionExit }
  | { t: 'sftp-call'; sid: number; method: string; args: unknown[] }
  | { t: 'sftp-refused'; sid: number }
  /**
   * The session's stdin is held unread past its high-water mark (sessions.ts pauses an exec's
   * stdin): the channel in the server pauses too, so SSH's window holds the client back.
   */
  | { t: 'in-pause'; sid: number }
  | { t: 'in-resume'; sid: number }
  /**
   * A guest's boot (volumes loaded, then cloud-init's scripts) begins or is over: a worker that
   * fails while it is inside names it a suspect; a suspect inside its boot again at the next
   * failure is the poisoned one (worker-engine.ts).
   */
  | { t: 'boot'; gid: number; phase: 'begin' | 'end' };

export type { MetadataOptions };

/** What a guest worker process is started with (its one argument, as JSON). */
export interface EntryOptions {
  /** The server's pid: once the worker's parent is another, the server is gone and the worker ends. */
  parentPid: number;
  heartbeatMs: number;
  /** How often the lifeline thread checks that the server is still its parent; 0: no lifeline (the kernel's PR_SET_PDEATHSIG does it). */
  lifelineMs: number;
  /** V8 flags applied at run time (the server's heap profile, app/heap.ts). */
  runtimeFlags: string[];
  /** Shell limits of every guest (the server's EC2LITE_GUEST_CPU_MS). */
  shellLimits: { maxCpuMs?: number };
}

/**
 * A value that crossed the IPC channel, with every Uint8Array in it (at the top, or inside arrays and
 * plain records such as block data rows) as the Buffer the code on this side expects.
 */
export const asBuffer = (v: unknown): unknown => {
  if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === 'object') v[i] = asBuffer(x);
    }
    return v;
  }
  if (v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (x !== null && typeof x === 'object') o[k] = asBuffer(x);
    }
  }
  return v;
};
