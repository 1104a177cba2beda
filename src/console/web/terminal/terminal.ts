// The console terminal page (its own bundle: xterm.js needs inline styles, which only this page's
// policy allows). The console's Connect button opens it with a presigned WebSocket query in the
// URL's fragment; the page connects to /_ec2lite/terminal on this server, shows the shell, and
// sends keys as binary frames and its size as {"type":"resize"} text frames. Copy and Paste work
// with the buttons, Ctrl+Shift+C / Ctrl+Shift+V, and the browser's own paste. Closing the tab
// closes the WebSocket, which ends the SSH session.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';

const query = location.hash.slice(1);
// The signature is short-lived and single-purpose, but it need not stay in the address bar.
history.replaceState(null, '', location.pathname);
const params = new URLSearchParams(query);
const instanceId = params.get('InstanceId') ?? '';
const user = params.get('User') ?? '';
document.title = `${instanceId} (${user}) · EC2 Instance Connect · ec2lite`;
document.getElementById('instance')!.textContent = instanceId;
document.getElementById('user')!.textContent = user;
const status = document.getElementById('status')!;

const term = new Terminal({ cursorBlink: true, fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", monospace', fontSize: 14, scrollback: 5000 });
const fit = new FitAddon();
term.loadAddon(fit);
term.open(document.getElementById('terminal')!);
fit.fit();
term.focus();

const enc = new TextEncoder();
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const ws = new WebSocket(`${scheme}//${location.host}/_ec2lite/terminal?${query}`);
ws.binaryType = 'arraybuffer';
const sendSize = () => {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
};
ws.onopen = () => {
  status.textContent = 'Connected';
  sendSize();
};
ws.onmessage = (e) => term.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data as ArrayBuffer));
ws.onclose = (e) => {
  status.textContent = e.code === 1000 || e.code === 1001 ? 'Disconnected' : 'Connection failed (reopen the terminal from the console)';
  term.write('\r\n\x1b[2m[Connection closed]\x1b[0m\r\n');
};
term.onData((d) => {
  if (ws.readyState === WebSocket.OPEN) ws.send(enc.encode(d));
});
term.onResize(sendSize);
addEventListener('resize', () => fit.fit());

const copy = () => {
  const text = term.getSelection();
  if (text) void navigator.clipboard?.writeText(text);
};
const paste = async () => {
  const text = await navigator.clipboard?.readText().catch(() => '');
  if (text) term.paste(text);
  term.focus();
};
term.attachCustomKeyEventHandler((e) => {
  if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
  if (e.code === 'KeyC') {
    copy();
    return false;
  }
  if (e.code === 'KeyV') {
    void paste();
    return false;
  }
  return true;
});
document.getElementById('copy')!.addEventListener('click', () => {
  copy();
  term.focus();
});
document.getElementById('paste')!.addEventListener('click', () => void paste());
