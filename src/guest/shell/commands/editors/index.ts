// Full-screen programs: the editors and pagers (the terminal plumbing they share is src/guest/terminal/),
// and stty/tput, which read the same terminal's size.
import type { Command } from '../../types.js';
import { nano } from './nano.js';
import { less, more } from './pager.js';
import { TERMINAL_COMMANDS } from '../terminal.js';
import { vi } from './vi.js';

export const EDITOR_COMMANDS: Record<string, Command> = { vi, vim: vi, view: vi, nano, less, more, ...TERMINAL_COMMANDS };
