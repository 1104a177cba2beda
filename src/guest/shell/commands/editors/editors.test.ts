import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootGuest } from '../../../../../test/helpers/guest.js';
import { Pty } from '../../../terminal/pty.js';
import { KeyDecoder } from '../../../terminal/keys.js';
import { Input } from '../../streams.js';
import type { Sink } from '../../types.js';

const ESC = '\x1b';

/**
 * The alternate screen as a terminal would show it when the program left it: cursor moves
 * (ESC[r;cH), clears (ESC[2J, ESC[K) and text; colours ignored. Enough for our own output.
 */
function lastScreen(out: string, cols: number, rows: number): string[] {
  let grid: string[][] = [];
  const clear = () => (grid = Array.from({ length: rows }, () => Array<string>(cols).fill(' ')));
  clear();
  let snapshot: string[] | undefined;
  let r = 0;
  let c = 0;
  const re = /\x1b\[(\?)?([0-9;]*)([A-Za-z])|([^\x1b])/g;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    if (m[4] !== undefined) {
      if (m[4] === '\r') c = 0;
      else if (m[4] === '\n') r = Math.min(rows - 1, r + 1);
      else if (r < rows && c < cols) grid[r]![c++] = m[4];
      continue;
    }
    const [, priv, params, fin] = m;
    if (priv && (params === '1049') && fin === 'l') snapshot = grid.map((l) => l.join('').trimEnd());
    else if (priv && params === '1049' && fin === 'h') clear();
    else if (fin === 'H') {
      const [a, b] = (params || '1;1').split(';');
      r = Number(a || 1) - 1;
      c = Number(b || 1) - 1;
    } else if (fin === 'J' && params === '2') clear();
    else if (fin === 'K') for (let k = c; k < cols; k++) grid[r]![k] = ' ';
  }
  return snapshot ?? grid.map((l) => l.join('').trimEnd());
}

describe('editors on a terminal', { timeout: 20_000 }, async () => {
  const { guest } = await bootGuest();

  /**
   * Run `line` in a PTY session; once the program holds the keyboard, each of `keys` arrives as
   * one read (the screen is redrawn between reads). Returns the status and all screen output.
   */
  async function onTty(line: string, keys: string | string[], user = 'ec2-user', size = { cols: 80, rows: 24 }) {
    const pty = new Pty(size);
    let out = '';
    const sink: Sink = { write: (d) => (out += d.toString()) };
    const input = Input.empty();
    pty.stdin = input;
    const s = guest.openSession(user, { input, out: sink, err: sink, tty: true, terminal: pty }, { interactive: true });
    const chunks = typeof keys === 'string' ? [...keys.matchAll(/\x1b\[200~[^]*?\x1b\[201~|\x1b\[[0-9;]*[~A-Za-z]|[^]/g)].map((m) => m[0]) : keys;
    const feeding = (async () => {
      // bounded by a number of polls (a pipeline's first stages run before the program takes the keyboard)
      for (let i = 0; i < 5000 && chunks.length && !pty.isRaw; i++) await new Promise((r) => setTimeout(r, 1));
      for (const c of chunks) pty.input(c);
    })();
    try {
      const code = await s.run(line);
      await feeding;
      return { code, out };
    } finally {
      s.close();
    }
  }
  const sh = async (cmd: string, user = 'ec2-user') => (await guest.exec(user, cmd)).stdout;

  it('vi: insert, Escape, :wq writes the file and says so', async () => {
    const r = await onTty('vi /tmp/v1.txt', `ihello${ESC}othere${ESC}:wq\r`);
    assert.equal(r.code, 0);
    assert.equal(await sh('cat /tmp/v1.txt'), 'hello\nthere\n');
    assert.match(r.out, /"\/tmp\/v1\.txt" \[New\]/);
    assert.match(r.out, /\x1b\[\?1049h/);
    assert.match(r.out, /\x1b\[\?2004h/);
  });

  it('vi: :q on a modified buffer is E37, :q! leaves it unchanged', async () => {
    await sh('printf "a\\nb\\nc\\n" > /tmp/v2.txt');
    const r = await onTty('vi /tmp/v2.txt', `dd:q\r:q!\r`);
    assert.equal(r.code, 0);
    assert.match(r.out, /E37: No write since last change \(add ! to override\)/);
    assert.equal(await sh('cat /tmp/v2.txt'), 'a\nb\nc\n');
  });

  it('vi: dd yy p u G gg x and a count', async () => {
    await sh('printf "one\\ntwo\\nthree\\nfour\\n" > /tmp/v3.txt');
    // dd → two three four; G p → two three four one; gg x → wo…; u undoes x; 2yy G p
    await onTty('vi /tmp/v3.txt', `ddGpggxu2yyGp:wq\r`);
    assert.equal(await sh('cat /tmp/v3.txt'), 'two\nthree\nfour\none\ntwo\nthree\n');
  });

  it('vi: / search, n, 0 $ and A append', async () => {
    await sh('printf "alpha\\nbeta\\ngamma beta\\n" > /tmp/v4.txt');
    await onTty('vi /tmp/v4.txt', `/beta\rnA!${ESC}0iX${ESC}:wq\r`);
    assert.equal(await sh('cat /tmp/v4.txt'), 'alpha\nbeta\nXgamma beta!\n');
  });

  it('vi: a bracketed paste goes in as text, not as commands', async () => {
    await sh('printf "first\\n" > /tmp/v5.txt');
    await onTty('vi /tmp/v5.txt', `Go${ESC}[200~ssh-ed25519 AAAA dd:q!\rsecond${ESC}[201~${ESC}:wq\r`);
    assert.equal(await sh('cat /tmp/v5.txt'), 'first\nssh-ed25519 AAAA dd:q!\nsecond\n');
  });

  it('vi: a file the user may not write is [readonly]; :w is E45, :w! is E212; sudo vi keeps owner and mode', async () => {
    const r = await onTty('vi /etc/hostname', `x:w\r:w!\r:q!\r`);
    assert.match(r.out, /\[readonly\]/);
    assert.match(r.out, /E45: 'readonly' option is set \(add ! to override\)/);
    assert.match(r.out, /"\/etc\/hostname" E212: Can't open file for writing/);
    await sh('sudo sh -c "echo old > /etc/motd-test; chmod 640 /etc/motd-test; chown root:adm /etc/motd-test"');
    await onTty('sudo vi /etc/motd-test', `ccnew${ESC}:wq\r`);
    assert.equal(await sh('sudo cat /etc/motd-test'), 'new\n');
    assert.equal(await sh('sudo stat -c "%U:%G %a" /etc/motd-test'), 'root:adm 640\n');
  });

  it('vi: ZZ writes, ZQ quits, :x on an unmodified buffer does not write', async () => {
    await onTty('vi /tmp/v6.txt', `iz${ESC}ZZ`);
    assert.equal(await sh('cat /tmp/v6.txt'), 'z\n');
    await onTty('vi /tmp/v6.txt', `xZQ`);
    assert.equal(await sh('cat /tmp/v6.txt'), 'z\n');
  });

  it('vi: a failed write waits at "Press ENTER"; W10 on changing a read-only buffer; an empty buffer is at 0,0-1', async () => {
    const r = await onTty('vi /etc/hostname', ['x', ':w!\r', '\r', ':q!\r']);
    assert.match(r.out, /W10: Warning: Changing a readonly file/);
    const screens = r.out.split('\x1b[?25l');
    const prompt = screens.find((f) => f.includes('Press ENTER or type command to continue'));
    assert.ok(prompt, 'a hit-enter prompt');
    assert.match(prompt!, /"\/etc\/hostname"\x1b\[K.*"\/etc\/hostname" E212: Can't open file for writing/s);
    const empty = lastScreen((await onTty('vi /tmp/empty-new.txt', [':q\r'])).out, 80, 24);
    assert.match(empty[23]!, /^"\/tmp\/empty-new\.txt" \[New\] +0,0-1 +All$/);
    const long = lastScreen((await onTty('vi /tmp/empty-new.txt', ['\x03', ':q\r'])).out, 80, 24);
    assert.match(long[23]!, /^Type {2}:qa! {2}and press <E\.\.\.all changes and exit Vim +0,0-1 +All$/);
  });

  it('vi: unknown commands and missing patterns get Vim\'s errors', async () => {
    const r = await onTty('vi /tmp/v7.txt', `:frobnicate\r/nothing\r:q\r`);
    assert.match(r.out, /E492: Not an editor command: frobnicate/);
    assert.match(r.out, /E486: Pattern not found: nothing/);
  });

  it('vi: G in a long file shows its end at the bottom; a far search centres the match', async () => {
    await sh('seq 1 1000 > /tmp/v10.txt');
    const g = lastScreen((await onTty('vi /tmp/v10.txt', ['G', ':q\r'])).out, 80, 24);
    assert.equal(g[0], '978');
    assert.equal(g[22], '1000');
    assert.match(g[23]!, /^ {62}1000,1 +Bot$/);
    const f = lastScreen((await onTty('vi /tmp/v10.txt', ['/500\r', ':q\r'])).out, 80, 24);
    const at = f.indexOf('500');
    assert.ok(at > 5 && at < 17, f.join('\n'));
    assert.match(f[23]!, /^\/500 +500,1 +\d+%$/);
  });

  it('vi: long lines wrap; a line that does not fit shows @ rows; :set nu numbers lines', async () => {
    await sh(`printf '%s\\n' short "$(printf 'y%.0s' $(seq 1 100))" end > /tmp/v11.txt`);
    const w = lastScreen((await onTty('vi /tmp/v11.txt', [':set nu\r', ':q\r'], 'ec2-user', { cols: 40, rows: 6 })).out, 40, 6);
    assert.deepEqual(w.slice(0, 5), ['  1 short', '  2 ' + 'y'.repeat(36), '    ' + 'y'.repeat(36), '    ' + 'y'.repeat(28), '  3 end']);
    await sh(`printf '%s\\n' a "$(printf 'z%.0s' $(seq 1 200))" > /tmp/v12.txt`);
    const at = lastScreen((await onTty('vi /tmp/v12.txt', [':q\r'], 'ec2-user', { cols: 40, rows: 4 })).out, 40, 4);
    assert.deepEqual(at.slice(0, 3), ['a', '@', '@']);
  });

  it('vi: dw cw J r ~ 3dd P and :s / :%s///g', async () => {
    await sh('printf "one two three\\nfour\\nfive six\\nseven\\neight\\nnine\\n" > /tmp/v13.txt');
    await onTty('vi /tmp/v13.txt', `dwcwTWO${ESC}J0rO~:3\r3ddggP:%s/e/E/g\r:4s/O/0/\r:wq\r`);
    // (checked against Vim 9: J leaves the cursor at the joint, P puts the 3 lines above line 1)
    assert.equal(await sh('cat /tmp/v13.txt'), 'sEvEn\nEight\nninE\noW0 thrEE four\nfivE six\n');
  });

  it('vi: u and Ctrl-R undo and redo whole changes with Vim\'s messages', async () => {
    await sh('printf "a\\nb\\n" > /tmp/v14.txt');
    const r = await onTty('vi /tmp/v14.txt', ['ddu', 'u', '\x12', ':wq\r']);
    assert.match(r.out, /1 more line; before #1 {2}\d+ seconds? ago/);
    assert.match(r.out, /Already at oldest change/);
    assert.match(r.out, /1 line less; after #1 {2}\d+ seconds? ago/);
    assert.equal(await sh('cat /tmp/v14.txt'), 'b\n');
  });

  it('nano: type, ^O with the file name prompt, ^X', async () => {
    const r = await onTty('nano /tmp/n1.txt', `hello nano\r^O`.replace('^O', '\x0f') + '\r\x18');
    assert.equal(r.code, 0);
    assert.equal(await sh('cat /tmp/n1.txt'), 'hello nano\n');
    assert.match(r.out, /File Name to Write: \/tmp\/n1\.txt/);
    assert.match(r.out, /Wrote 1 line/);
    assert.match(r.out, /GNU nano 5\.8/);
    assert.match(r.out, /\^X/);
  });

  it('nano: ^X on a modified buffer asks "Save modified buffer?"; Y, Enter saves; ^K ^U move a line', async () => {
    await sh('printf "a\\nb\\nc\\n" > /tmp/n2.txt');
    const r = await onTty('nano /tmp/n2.txt', '\x0b\x0e\x0e\x15\x18y\r');
    assert.match(r.out, /Save modified buffer\?/);
    assert.equal(await sh('cat /tmp/n2.txt'), 'b\nc\na\n');
  });

  it('nano: ^X then N discards; saving without permission says nano\'s error', async () => {
    await onTty('nano /tmp/n2.txt', 'zzz\x18n');
    assert.equal(await sh('cat /tmp/n2.txt'), 'b\nc\na\n');
    const r = await onTty('nano /etc/hostname', 'x\x0f\r\x18n');
    assert.match(r.out, /File '\/etc\/hostname' is unwritable/);
    assert.match(r.out, /Error writing \/etc\/hostname: Permission denied/);
  });

  it('nano: Ctrl-End then a bracketed paste lands on the last line', async () => {
    await sh('printf "a\\nb\\n" > /tmp/n4.txt');
    const r = await onTty('nano /tmp/n4.txt', ['\x1b[1;5F', '\x1b[200~pasted key\x1b[201~', '\x0f', '\r', '\x18']);
    assert.match(r.out, /Wrote 3 lines/);
    assert.equal(await sh('cat /tmp/n4.txt'), 'a\nb\npasted key\n');
  });

  it('nano: ^W searches', async () => {
    await sh('printf "one\\ntwo\\nthree\\n" > /tmp/n3.txt');
    await onTty('nano /tmp/n3.txt', '\x17thr\rX\x0f\r\x18');
    assert.equal(await sh('cat /tmp/n3.txt'), 'one\ntwo\nXthree\n');
  });

  it('vi without a terminal warns as Vim does and reads its keys from stdin', async () => {
    const r = await guest.exec('ec2-user', "printf 'ihello\\033:wq\\n' | vi /tmp/v8.txt");
    assert.equal(r.exitCode, 0);
    assert.match(r.stderr, /^Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n$/);
    assert.equal(await sh('cat /tmp/v8.txt'), 'hello\n');
    const eof = await guest.exec('ec2-user', "printf 'ihello' | vi /tmp/v9.txt");
    assert.equal(eof.exitCode, 1);
    assert.match(eof.stderr, /Vim: Error reading input, exiting\.\.\.\n$/);
  });

  it('vi a b: :q first says E173, :n goes to the next file', async () => {
    await sh('echo one > /tmp/va.txt; echo two > /tmp/vb.txt');
    const r = await onTty('vi /tmp/va.txt /tmp/vb.txt', [':q\r', ':n\r', 'A!\x1b', ':wq\r']);
    assert.equal(r.code, 0);
    assert.match(r.out, /E173: 1 more file to edit/);
    assert.equal(await sh('cat /tmp/va.txt /tmp/vb.txt'), 'one\ntwo!\n');
  });

  it('vi - edits what a pipe gives it (keys from the terminal); :w names the buffer', async () => {
    const r = await onTty('seq 1 3 | vi -', ['Gx', ':w /tmp/v15.txt\r', ':q\r']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Vim: Reading from stdin\.\.\./);
    assert.equal(await sh('cat /tmp/v15.txt'), '1\n2\n\n');
  });

  it('stty size and tput follow the terminal; without one stty fails as on Linux', async () => {
    const r = await onTty('stty size; tput cols; tput lines; stty size | tr " " x', [], 'ec2-user', { cols: 123, rows: 45 });
    assert.match(r.out, /45 123\n123\n45\n45x123\n/);
    const no = await guest.exec('ec2-user', 'stty size');
    assert.equal(no.exitCode, 1);
    assert.equal(no.stderr, "stty: 'standard input': Inappropriate ioctl for device\n");
  });

  it('less and more: like cat when stdout is not a terminal', async () => {
    await sh('seq 1 5 > /tmp/p1.txt');
    assert.equal(await sh('less /tmp/p1.txt'), '1\n2\n3\n4\n5\n');
    assert.equal(await sh('cat /tmp/p1.txt | more'), '1\n2\n3\n4\n5\n');
    assert.equal(await sh('more /tmp/p1.txt /tmp/p1.txt | head -3'), '::::::::::::::\n/tmp/p1.txt\n::::::::::::::\n');
    const r = await guest.exec('ec2-user', 'less /nope');
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr, '/nope: No such file or directory\n');
  });

  it('less on a terminal: the first page, (END), q', async () => {
    await sh('seq 1 100 > /tmp/p2.txt');
    const q = await onTty('less /tmp/p2.txt', ' q', 'ec2-user', { cols: 40, rows: 10 });
    assert.equal(q.code, 0);
    assert.match(q.out, /\/tmp\/p2\.txt/);
    assert.match(q.out, /\x1b\[1;1H10\x1b\[K/);
  });

  it('less and more with no file and stdin the terminal say so; from a pipe they page it', async () => {
    const r = await onTty('less; echo "less=$?"; more; echo "more=$?"', []);
    assert.match(r.out, /Missing filename \("less --help" for help\)\nless=1\n/);
    assert.match(r.out, /more: bad usage\nTry 'more --help' for more information\.\nmore=1\n/);
    const piped = lastScreen((await onTty('seq 1 3 | less', ['q'])).out, 80, 24);
    assert.deepEqual(piped.slice(0, 4), ['1', '2', '3', '~']);
    assert.equal(piped[23], '(END)');
  });

  it('more on a terminal: a page, --More--(NN%), space, q', async () => {
    await sh('seq 1 30 > /tmp/p3.txt');
    const r = await onTty('more /tmp/p3.txt', ' q', 'ec2-user', { cols: 40, rows: 10 });
    assert.equal(r.code, 0);
    assert.match(r.out, /--More--\(\d+%\)/);
    assert.match(r.out, /^1\n2\n/);
    assert.match(r.out, /\n18\n/);
    assert.doesNotMatch(r.out, /\n19\n/);
  });
});

describe('programs only a real instance runs', async () => {
  const { guest } = await bootGuest();
  const ubuntu = (await bootGuest({ image: 'ubuntu-24.04', instanceId: 'i-0aaaaaaaaaaaaaaa1', rootVolumeId: 'vol-root2' })).guest;

  it('exit 127 with one line naming the way out; command -v and which find them', async () => {
    for (const name of ['yum', 'dnf', 'rpm', 'python3', 'pip3', 'pip', 'systemctl']) {
      const r = await guest.exec('ec2-user', `${name} --version`);
      assert.equal(r.exitCode, 127, name);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^${name}: cannot run on this simulated instance .*real-instance guest engine`));
      assert.equal((await guest.exec('ec2-user', `command -v ${name}`)).stdout, `/usr/bin/${name}\n`);
      assert.equal((await guest.exec('ec2-user', `which ${name}`)).stdout, `/usr/bin/${name}\n`);
    }
    const sudo = await guest.exec('ec2-user', 'sudo yum install -y httpd');
    assert.equal(sudo.exitCode, 127);
    assert.match(sudo.stderr, /^yum: cannot run on this simulated instance/);
  });

  it('follows the image: apt on Ubuntu, yum not there; python is not on either', async () => {
    assert.equal((await ubuntu.exec('ubuntu', 'apt-get update')).exitCode, 127);
    assert.match((await ubuntu.exec('ubuntu', 'apt-get update')).stderr, /^apt-get: cannot run on this simulated instance/);
    const yum = await ubuntu.exec('ubuntu', 'yum install x');
    assert.equal(yum.exitCode, 127);
    assert.match(yum.stderr, /yum: command not found/);
    assert.equal((await ubuntu.exec('ubuntu', 'command -v yum')).exitCode, 1);
    assert.match((await guest.exec('ec2-user', 'python -V')).stderr, /python: command not found/);
    assert.match((await guest.exec('ec2-user', 'apt install x')).stderr, /apt: command not found/);
  });
});

describe('key decoding', () => {
  it('arrows, Alt, Escape at the end of a read, a paste split across reads', () => {
    const d = new KeyDecoder();
    assert.deepEqual(d.feed('\x1b[A\x1bOBx\x1b').map((k) => k.name), ['up', 'down', 'char', 'escape']);
    assert.deepEqual(d.feed('\x1bx'), [{ name: 'alt', ch: 'x' }]);
    assert.deepEqual(d.feed('\x1b[200~a\r'), []);
    assert.deepEqual(d.feed('b\x1b[20'), []);
    assert.deepEqual(d.feed('1~\x03'), [{ name: 'paste', text: 'a\nb' }, { name: 'ctrl', ch: 'c' }]);
  });
});
