/** How commands print: injected so that tests can capture output and main() owns exit codes. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Ask for a secret (a passphrase) without echoing it. Resolves undefined when there is no
   * terminal to ask on. Optional: commands treat a missing readSecret as "no terminal".
   */
  readSecret?(prompt: string): Promise<string | undefined>;
}

/** A command module: run() returns the exit code; usage is its --help text. */
export interface Command {
  run(argv: string[], io: CommandIo): Promise<number>;
  usage: string;
}

/** Reads a line from the terminal with echo off (raw mode). Ctrl-C rejects, Ctrl-D/Enter ends. */
function readSecretFromTty(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.resolve(undefined);
  // Echo off before the prompt shows: whatever is typed after it must never be echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}

export const processIo: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readSecret: readSecretFromTty,
};
