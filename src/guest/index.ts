// Public API of the simulated guest, for the compute layer.
export { InstanceGuest, GuestSession, type InstanceGuestOptions, type ExecResult, type AuthorizedKeys, type GuestLimits } from './instance-guest.js';
export { IMAGE_TEMPLATES, imageTemplate, type ImageTemplate } from './images.js';
export { MetadataService, DEFAULT_METADATA_OPTIONS, imdsErrorBody, type InstanceMetadata, type MetadataOptions } from './imds.js';
export { firstBoot, authorizedKeyLine, type LaunchKey } from './first-boot.js';
export { startSshEndpoint, generateHostKey, parseAuthorizedKeys, type SshEndpoint, type SshEndpointOptions, type SshGuest } from './ssh/server.js';
export { type VolumeStore, MemoryVolumeStore } from './fs/volume-store.js';
export { Volume, DEFAULT_FS_LIMITS, type FsSnapshot, type FsLimits } from './fs/volume.js';
export { kernelDiskName } from './shell/commands/disks.js';
export { DEFAULT_SHELL_LIMITS, type ShellLimits } from './shell/interpreter.js';
