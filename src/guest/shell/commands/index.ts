// The one table of guest commands (shell builtins such as cd live in the interpreter).
import type { Command, GuestSystem } from '../types.js';
import { cloudInit } from '../../cloud-init/command.js';
import { CORE_COMMANDS } from './coreutils.js';
import { curl } from './curl.js';
import { scp } from './scp.js';
import { DISK_COMMANDS } from './disks.js';
import { GROW_COMMANDS } from './grow.js';
import { EDITOR_COMMANDS } from './editors/index.js';
import { simulatedCommands } from './simulated.js';
import { FILE_COMMANDS } from './files.js';
import { SYSTEM_COMMANDS } from './system.js';
import { TEXT_COMMANDS } from './text.js';
import { USER_COMMANDS } from './users.js';

export const COMMANDS: Record<string, Command> = Object.assign(Object.create(null) as Record<string, Command>, {
  ...FILE_COMMANDS,
  ...TEXT_COMMANDS,
  ...USER_COMMANDS,
  ...SYSTEM_COMMANDS,
  ...CORE_COMMANDS,
  ...DISK_COMMANDS,
  ...GROW_COMMANDS,
  ...EDITOR_COMMANDS,
  curl,
  'cloud-init': cloudInit,
  scp,
});

const BY_FAMILY = new Map<GuestSystem['prompt'], Record<string, Command>>();

/** The commands of an image family: the table above plus the programs only a real instance can run (simulated.ts). */
export function commandsFor(family: GuestSystem['prompt']): Record<string, Command> {
  let t = BY_FAMILY.get(family);
  if (!t) {
    t = Object.assign(Object.create(null) as Record<string, Command>, COMMANDS, simulatedCommands(family));
    BY_FAMILY.set(family, t);
  }
  return t;
}
