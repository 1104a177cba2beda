// Which guest engines this server runs, chosen here as the store is (compute sees only the port,
// compute/guest-engine.ts). Today one: the simulated OS. Its code (and ssh2) loads when first
// used — a volume operation or a boot — so a server that only serves key pairs starts faster and
// smaller. A real-process engine joins the list when its host requirements are met; each image's
// catalogue entry says which engines can run it.
import type { GuestEngine, GuestSpec, RunningGuest } from '../compute/guest-engine.js';
import type { VolumeBytes } from '../compute/volume-bytes.js';
import type { Store } from '../store/port.js';

interface EngineDeps {
  store: Store;
  log: (line: string) => void;
  /**
   * The simulated engine off the API's process (guest/worker-engine.ts); processes 0: in this
   * thread. runtimeFlags: V8 flags each guest process applies (the server's heap profile).
   */
  guestProcesses?: { processes: number; heapMb: number; stallMs: number; runtimeFlags?: readonly string[] };
  /** The simulated guests' CPU budget per command line (ms; guest/shell/run.ts maxCpuMs). */
  guestCpuMs?: number;
}

/** The simulated engine in either form: its volumes' bytes are in the store, its guests hold nothing else. */
const SIMULATED_TRAITS = { portableVolumes: true, stopsLate: true } as const;

/** Every engine this build can run, by name (`--engines`, EC2LITE_ENGINES). */
const ENGINES: Record<string, (deps: EngineDeps) => GuestEngine> = {
  simulated: (deps) =>
    deps.guestProcesses && deps.guestProcesses.processes > 0
      ? lazyEngine('simulated', SIMULATED_TRAITS, async () => {
          const { WorkerEngine } = await import('../guest/worker-engine.js');
          return new WorkerEngine(deps.store.blockData, { ...deps.guestProcesses!, shellLimits: shellLimits(deps), log: deps.log });
        })
      : lazyEngine('simulated', SIMULATED_TRAITS, async () => {
      const { SimulatedEngine } = await import('../guest/simulated-engine.js');
      return new SimulatedEngine(deps.store.blockData, deps.log, { shell: shellLimits(deps) });
    }),
};

function shellLimits(deps: EngineDeps): { maxCpuMs?: number } {
  return deps.guestCpuMs === undefined ? {} : { maxCpuMs: deps.guestCpuMs };
}

export const ENGINE_NAMES: readonly string[] = Object.keys(ENGINES);

/** The engines named, in order (the first is preferred where an image can run on several). */
export function guestEngines(deps: EngineDeps & { names: readonly string[] }): GuestEngine[] {
  if (deps.names.length === 0) throw new Error('at least one guest engine is needed');
  return deps.names.map((name) => {
    const make = ENGINES[name];
    if (!make) throw new Error(`unknown guest engine '${name}' (known: ${ENGINE_NAMES.join(', ')})`);
    return make(deps);
  });
}

/** An engine whose module loads at its first use (`loaded()`: the engine itself, for tests and diagnostics). */
function lazyEngine(name: string, { portableVolumes, stopsLate }: Pick<GuestEngine, 'portableVolumes' | 'stopsLate'>, load: () => Promise<GuestEngine>): GuestEngine & { loaded(): Promise<GuestEngine> } {
  let loaded: Promise<GuestEngine> | undefined;
  const get = () => (loaded ??= load());
  const volumes: VolumeBytes = {
    create: async (id, source) => (await get()).volumes.create(id, source),
    exists: async (id) => (await get()).volumes.exists(id),
    snapshot: async (id, snapshotId) => (await get()).volumes.snapshot(id, snapshotId),
    copySnapshot: async (from, to) => (await get()).volumes.copySnapshot(from, to),
    forgetSnapshot: async (id) => (await get()).volumes.forgetSnapshot(id),
    remove: async (id) => (await get()).volumes.remove(id),
    storedBytes: async (id) => (await get()).volumes.storedBytes(id),
  };
  return {
    name,
    portableVolumes,
    stopsLate,
    volumes,
    start: async (spec: GuestSpec): Promise<RunningGuest> => (await get()).start(spec),
    loaded: get,
    close: async () => {
      if (loaded) await (await loaded).close();
    },
  };
}
