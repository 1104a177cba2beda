// How a command is declared: its name, --help text, options and positional arguments, then what
// it does. defineCommand does the rest every command needs (strict option parsing, -h/--help,
// the positional count, usage errors → exit 2); defineGroup dispatches to subcommands.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import type { Command, CommandIo } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;
type WithHelp<O extends Options> = O & typeof HELP;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: WithHelp<O>; allowPositionals: true; strict: true }>>;

export interface CommandSpec<O extends Options> {
  /** As typed after `ec2lite` ('key-pairs list'): named in usage errors. */
  readonly name: string;
  /** The --help text (stdout, exit 0). */
  readonly usage: string;
  /** node:util parseArgs options; -h/--help is added. */
  readonly options: O;
  /**
   * The positional arguments by name: each required, no others accepted. `'any'` hands them all
   * to run() unchecked (the command checks them itself).
   */
  readonly positionals: readonly string[] | 'any';
  /** When set, what follows the first `--` is not parsed but handed to run() as `passthrough`. */
  readonly passthrough?: boolean;
  run(args: { values: Parsed<O>['values']; positionals: string[]; passthrough: string[]; io: CommandIo }): Promise<number>;
}

export function defineCommand<O extends Options>(spec: CommandSpec<O>): Command {
  return {
    usage: spec.usage,
    async run(argv, io) {
      const dash = spec.passthrough ? argv.indexOf('--') : -1;
      const own = dash === -1 ? argv : argv.slice(0, dash);
      const passthrough = dash === -1 ? [] : argv.slice(dash + 1);
      let parsed: Parsed<O>;
      try {
        parsed = parseArgs({ args: own, options: { ...spec.options, ...HELP } as WithHelp<O>, allowPositionals: true, strict: true });
      } catch (e) {
        throw new UsageError((e as Error).message, spec.name);
      }
      if ((parsed.values as { help?: boolean }).help) {
        io.stdout(spec.usage);
        return 0;
      }
      const positionals = spec.positionals === 'any' ? parsed.positionals : exactly(parsed.positionals, spec.positionals, spec.name);
      return spec.run({ values: parsed.values, positionals, passthrough, io });
    },
  };
}

/** Exactly `names.length` positional arguments, returned in order. */
function exactly(given: string[], names: readonly string[], command: string): string[] {
  if (given.length < names.length) throw new UsageError(`missing ${names.slice(given.length).join(' ')}`, command);
  if (given.length > names.length) throw new UsageError(`unexpected argument '${given[names.length]}'`, command);
  return given;
}

/** A command made of subcommands (`ec2lite key-pairs list`), each loaded only when run. */
export function defineGroup(spec: {
  readonly name: string;
  readonly usage: string;
  readonly subcommands: Readonly<Record<string, () => Promise<{ default: Command }>>>;
}): Command {
  return {
    usage: spec.usage,
    async run(argv, io) {
      const [name, ...rest] = argv;
      if (name === undefined) {
        io.stderr(spec.usage);
        return 2;
      }
      if (name === '--help' || name === '-h' || name === 'help') {
        io.stdout(spec.usage);
        return 0;
      }
      const load = Object.hasOwn(spec.subcommands, name) ? spec.subcommands[name] : undefined;
      if (!load) throw new UsageError(`unknown command '${spec.name} ${name}'`, spec.name);
      return (await load()).default.run(rest, io);
    },
  };
}
