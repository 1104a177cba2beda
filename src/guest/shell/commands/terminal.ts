// stty and tput for the session's terminal: the size the PTY has now (the
// client's pty-req, then each window change). Modes (`stty -echo`, `raw`,
// `sane`) are accepted and change nothing: the guest's line discipline has
// one behaviour. Without a terminal they fail as on Linux. stty also finds it on its standard
// input, as GNU stty does: `stty size | cut -d" " -f2` works (stdout a pipe).
import type { Command } from '../types.js';

export const stty: Command = (ctx) => {
  const term = ctx.rt.terminal;
  if (!term || !(ctx.io.tty || term.isStdin(ctx.io.input))) {
    ctx.io.err.write("stty: 'standard input': Inappropriate ioctl for device\n");
    return 1;
  }
  const { cols, rows } = term.size();
  const args = ctx.args;
  if (args[0] === 'size') {
    ctx.io.out.write(`${rows} ${cols}\n`);
    return 0;
  }
  if (args[0] === '-a' || args.length === 0) {
    ctx.io.out.write(
      args.length === 0
        ? 'speed 38400 baud; line = 0;\n-brkint -imaxbel iutf8\n'
        : `speed 38400 baud; rows ${rows}; columns ${cols}; line = 0;\n` +
            'intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>; eol2 = <undef>; swtch = <undef>; start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R; werase = ^W; lnext = ^V; discard = ^O; min = 1; time = 0;\n' +
            '-parenb -parodd -cmspar cs8 -hupcl -cstopb cread -clocal -crtscts\n' +
            '-ignbrk -brkint -ignpar -parmrk -inpck -istrip -inlcr -igncr icrnl ixon -ixoff -iuclc -ixany -imaxbel iutf8\n' +
            'opost -olcuc -ocrnl onlcr -onocr -onlret -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0\n' +
            'isig icanon iexten echo echoe echok -echonl -noflsh -xcase -tostop -echoprt echoctl echoke -flusho -extproc\n',
    );
    return 0;
  }
  return 0;
};

export const tput: Command = (ctx) => {
  const size = ctx.rt.terminal?.size() ?? { cols: 80, rows: 24 };
  switch (ctx.args[0]) {
    case 'cols':
      ctx.io.out.write(`${size.cols}\n`);
      return 0;
    case 'lines':
      ctx.io.out.write(`${size.rows}\n`);
      return 0;
    case 'clear':
      ctx.io.out.write('\x1b[H\x1b[2J');
      return 0;
    case 'sgr0':
      ctx.io.out.write('\x1b(B\x1b[m');
      return 0;
    case 'bold':
      ctx.io.out.write('\x1b[1m');
      return 0;
    case 'colors':
      ctx.io.out.write('256\n');
      return 0;
    case undefined:
      ctx.io.err.write('usage: tput [-V] [-S] [-T term] capname\n');
      return 2;
    default:
      return 0;
  }
};

export const TERMINAL_COMMANDS: Record<string, Command> = { stty, tput };
