// Bytes typed on a terminal in raw mode → keys, as xterm-like terminals send
// them: control characters, CSI/SS3 escape sequences for arrows and editing
// keys, Alt as an ESC prefix, and bracketed paste (ESC[200~ … ESC[201~), which
// may span reads. A lone ESC at the end of a read is the Escape key: SSH
// clients send one key press per packet, so a sequence split across reads is
// kept only once its ESC[ or ESCO prefix has arrived.

export type KeyName =
  | 'char'
  | 'enter'
  | 'tab'
  | 'backspace'
  | 'escape'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown'
  | 'insert'
  | 'delete'
  | 'ctrl'
  | 'alt'
  | 'paste'
  | 'unknown';

export interface Key {
  name: KeyName;
  /** 'char': the character; 'ctrl': the letter or symbol (`c` for ^C, `\\` for ^\); 'alt': the character after ESC. */
  ch?: string;
  /** 'paste': the pasted text (CR line ends made LF). */
  text?: string;
  /** A navigation key with Ctrl held (ESC[1;5F is Ctrl-End). */
  ctrl?: boolean;
}

const CSI_TILDE: Record<string, KeyName> = {
  '1': 'home',
  '7': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '8': 'end',
  '5': 'pageup',
  '6': 'pagedown',
};

const CSI_FINAL: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };

const PASTE_END = '\x1b[201~';
/** A paste larger than this is cut (the rest is dropped): the editors' buffers have their own limits. */
const MAX_PASTE = 4 * 1024 * 1024;

export class KeyDecoder {
  private pending = '';
  private paste: string | undefined;

  /** Decode one read; an incomplete escape sequence is kept for the next. */
  feed(data: string): Key[] {
    const keys: Key[] = [];
    let s = this.pending + data;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      if (this.paste !== undefined) {
        const end = s.indexOf(PASTE_END, i);
        if (end < 0) {
          // keep a possible partial end marker for the next read
          let keep = 0;
          for (let k = Math.min(PASTE_END.length - 1, s.length - i); k > 0; k--) {
            if (PASTE_END.startsWith(s.slice(s.length - k))) {
              keep = k;
              break;
            }
          }
          this.addPaste(s.slice(i, s.length - keep));
          this.pending = s.slice(s.length - keep);
          return keys;
        }
        this.addPaste(s.slice(i, end));
        keys.push({ name: 'paste', text: this.paste.replace(/\r\n?/g, '\n') });
        this.paste = undefined;
        i = end + PASTE_END.length;
        continue;
      }
      const c = s[i]!;
      if (c === '\x1b') {
        const r = this.escape(s, i);
        if (r === 'incomplete') {
          this.pending = s.slice(i);
          return keys;
        }
        if (r.key.name === 'paste') {
          this.paste = '';
          i = r.next;
          continue;
        }
        keys.push(r.key);
        i = r.next;
        continue;
      }
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      i += ch.length;
      keys.push(controlKey(ch));
    }
    s = '';
    return keys;
  }

  private addPaste(t: string): void {
    if (this.paste === undefined) return;
    this.paste = (this.paste + t).slice(0, MAX_PASTE);
  }

  private escape(s: string, i: number): { key: Key; next: number } | 'incomplete' {
    const n = s[i + 1];
    if (n === undefined) return { key: { name: 'escape' }, next: i + 1 };
    if (n === '[') {
      // CSI: parameters then a final byte
      let j = i + 2;
      while (j < s.length && /[0-9;?]/.test(s[j]!)) j++;
      if (j >= s.length) return j - i > 32 ? { key: { name: 'unknown' }, next: j } : 'incomplete';
      const params = s.slice(i + 2, j);
      const final = s[j]!;
      const next = j + 1;
      // xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4)
      const mod = parseInt(params.split(';')[1] ?? '1', 10) - 1;
      const ctrl = mod > 0 && (mod & 4) !== 0 ? { ctrl: true } : {};
      if (final === '~') {
        if (params === '200') return { key: { name: 'paste' }, next };
        const name = CSI_TILDE[params.split(';')[0]!];
        return { key: { name: name ?? 'unknown', ...ctrl }, next };
      }
      const name = CSI_FINAL[final];
      return { key: { name: name ?? 'unknown', ...ctrl }, next };
    }
    if (n === 'O') {
      const f = s[i + 2];
      if (f === undefined) return 'incomplete';
      const name = CSI_FINAL[f];
      return { key: { name: name ?? 'unknown' }, next: i + 3 };
    }
    if (n === '\x1b') return { key: { name: 'escape' }, next: i + 1 };
    const cp = s.codePointAt(i + 1)!;
    const ch = String.fromCodePoint(cp);
    if (ch < ' ' || ch === '\x7f') return { key: { name: 'escape' }, next: i + 1 };
    return { key: { name: 'alt', ch }, next: i + 1 + ch.length };
  }
}

function controlKey(ch: string): Key {
  switch (ch) {
    case '\r':
    case '\n':
      return { name: 'enter' };
    case '\t':
      return { name: 'tab' };
    case '\x7f':
    case '\b':
      return { name: 'backspace' };
  }
  const code = ch.charCodeAt(0);
  if (code === 0) return { name: 'ctrl', ch: '@' };
  if (code < 0x20) return { name: 'ctrl', ch: code <= 26 ? String.fromCharCode(code + 96) : String.fromCharCode(code + 64) };
  return { name: 'char', ch };
}

/** How many terminal columns a character takes: 2 for East Asian wide ones, 0 for combining marks. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return 2; // shown as ^X
  if (/\p{Mn}|\p{Me}/u.test(ch)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}
