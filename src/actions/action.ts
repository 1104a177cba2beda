import type { ActionOutput } from './output.js';
import { Ec2Error } from '../errors/ec2-error.js';
import type { ActionContext } from './context.js';
import type { Field, InputOf } from './input.js';

export interface Action<S extends Record<string, Field> = Record<string, Field>> {
  /** The wire name: `CreateKeyPair`. */
  readonly name: string;
  readonly input: S;
  handle(ctx: ActionContext, input: InputOf<S>): Promise<ActionOutput>;
}

/** Declares an action: its wire name, its input table, then its handler (typed from the table). */
export const defineAction = <S extends Record<string, Field>>(
  name: string,
  input: S,
  handle: (ctx: ActionContext, input: InputOf<S>) => Promise<ActionOutput>,
): Action<S> => ({ name, input, handle });

/** Called by each handler where AWS checks DryRun: after validation, before any state check. */
export function checkDryRun(dryRun: boolean | undefined): void {
  if (dryRun) throw new Ec2Error('DryRunOperation');
}
