// Public API of the simulated guest engine. The server reaches it only through the engine port
// (compute/guest-engine.ts): app/engines.ts loads simulated-engine.ts. The rest is for tests and
// tools that drive one guest directly.
export { SimulatedEngine, SIMULATED_ENGINE } from './simulated-engine.js';
export { type GuestFiles, vfsFiles } from './guest-files.js';
export { simulatedSessions } from './ssh/sessions.js';
export { InstanceGuest, GuestSession, type InstanceGuestOptions, type ExecResult, type AuthorizedKeys, type GuestLimits } from './instance-guest.js';
export { IMAGE_TEMPLATES, imageTemplate, type ImageTemplate } from './images.js';
export { MetadataService, DEFAULT_METADATA_OPTIONS, imdsErrorBody, type InstanceMetadata, type MetadataOptions, type ImdsInterface } from './imds.js';
export { firstBoot, authorizedKeyLine, type LaunchKey } from './first-boot.js';
export { startSshEndpoint, generateHostKey, parseAuthorizedKeys, type SshEndpoint, type SshEndpointOptions, type SshGuest } from './ssh/server.js';
export { type VolumeStore, MemoryVolumeStore } from './fs/volume-store.js';
export { Volume, DEFAULT_FS_LIMITS, type FsSnapshot, type FsLimits } from './fs/volume.js';
export { kernelDiskName } from './shell/commands/disks.js';
export { DEFAULT_SHELL_LIMITS, type ShellLimits } from './shell/interpreter.js';
