export * from './errors.js';
export * from './volume.js';
export * from './vfs.js';
export * from './volume-store.js';
export * from './layered-store.js';
