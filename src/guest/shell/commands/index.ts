// The one table of guest commands (shell builtins such as cd live in the interpreter).
import type { Command } from '../types.js';
import { CORE_COMMANDS } from './coreutils.js';
import { curl } from './curl.js';
import { scp } from './scp.js';
import { DISK_COMMANDS } from './disks.js';
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
  curl,
  scp,
});
