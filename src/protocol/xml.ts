// EC2 XML serialisation. Handlers return plain objects whose keys are the model's locationNames
// in the order AWS writes them; this module knows nothing of any action.
//   string/number → text, boolean → true|false, Date → ISO 8601 with milliseconds,
//   array → <name><item>…</item></name> (empty: <name/>), object → nested elements,
//   undefined/null → element omitted.

import { MEMBER_NAME, StreamedList, type ActionOutput, type OutputValue } from '../actions/output.js';

export const EC2_NAMESPACE_BASE = 'http://ec2.amazonaws.com/doc/';

const SPECIAL = /[&<>\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const UNWRITABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text content. Only `&`, `<` and `>`: EC2 writes quotes and apostrophes as they are
 * (`<Message>The key pair 'x' does not exist</Message>`), and clients comparing bytes notice.
 * A character XML 1.0 cannot carry at all (a control character stored before such values were
 * refused) becomes U+FFFD, so every answer stays well-formed (issue 19).
 */
export function escapeXml(text: string): string {
  if (!SPECIAL.test(text)) return text; // the common case: nothing to escape
  return text.replace(UNWRITABLE, '\uFFFD').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function scalar(value: string | number | boolean | Date): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? escapeXml(value) : String(value);
}

const INDENT = '    ';

/**
 * Writes elements into pieces of about CHUNK characters: a large answer (DescribeKeyPairs of 5,000
 * keys is 1.7–3.8 MB) leaves in pieces whose garbage dies young, instead of one rope of ~70,000
 * strings that outlives the young generation and grows the old one.
 */
const CHUNK = 32 * 1024;

class ChunkWriter {
  private out = '';
  constructor(private readonly emit: (chunk: string) => void) {}
  write(text: string): void {
    this.out += text;
    if (this.out.length >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.out) this.emit(this.out);
    this.out = '';
  }
}

function writeElement(w: ChunkWriter, name: string, value: OutputValue, indent: string, item: string): void {
  if (value === undefined || value === null) return;
  if (value instanceof StreamedList) throw new TypeError(`${name}: a streamed list is written only at the top of an answer`);
  if (Array.isArray(value)) {
    if (value.length === 0) return w.write(`${indent}<${name}/>\n`);
    w.write(`${indent}<${name}>\n`);
    const inner = indent + INDENT;
    const member = (value as { [MEMBER_NAME]?: string })[MEMBER_NAME] ?? item;
    for (const entry of value) writeElement(w, member, entry, inner, item);
    return w.write(`${indent}</${name}>\n`);
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    w.write(`${indent}<${name}>\n`);
    const inner = indent + INDENT;
    for (const key in value) writeElement(w, key, value[key], inner, item);
    return w.write(`${indent}</${name}>\n`);
  }
  w.write(`${indent}<${name}>${scalar(value)}</${name}>\n`);
}

/**
 * One element as a string. `item` names list members: EC2 writes <item>, Query services such as
 * Auto Scaling <member>.
 */
export function element(name: string, value: OutputValue, indent: string, item = 'item'): string {
  let out = '';
  const w = new ChunkWriter((chunk) => (out += chunk));
  writeElement(w, name, value, indent, item);
  w.flush();
  return out;
}

/** A writer whose finished pieces collect in `ready`, with the response's opening already written. */
function openResponse(action: string, version: string, requestId: string): { w: ChunkWriter; ready: string[] } {
  const ready: string[] = [];
  const w = new ChunkWriter((chunk) => ready.push(chunk));
  w.write(`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE_BASE}${escapeXml(version)}/">\n`);
  w.write(`${INDENT}<requestId>${requestId}</requestId>\n`);
  return { w, ready };
}

/** One top-level member (not a StreamedList); a list gives up its pieces item by item. */
function* memberChunks(w: ChunkWriter, ready: string[], key: string, value: OutputValue): Generator<string> {
  if (Array.isArray(value) && value.length > 0) {
    w.write(`${INDENT}<${key}>\n`);
    for (const item of value) {
      writeElement(w, 'item', item, INDENT + INDENT, 'item');
      yield* ready.splice(0);
    }
    w.write(`${INDENT}</${key}>\n`);
  } else writeElement(w, key, value, INDENT, 'item');
  yield* ready.splice(0);
}

function* closingChunks(w: ChunkWriter, ready: string[], action: string): Generator<string> {
  w.write(`</${action}Response>`);
  w.flush();
  yield* ready.splice(0);
}

/**
 * A success body in pieces, produced as they are consumed: <ActionResponse xmlns=…><requestId/>
 * …members…</ActionResponse>. Each top-level member (and each item of a top-level list) is
 * serialised when the consumer asks for more. An answer holding a StreamedList (read in pages as
 * it is written) comes as an async iterable; every other answer as a plain one.
 */
export function successXmlChunks(action: string, version: string, requestId: string, output: ActionOutput): Iterable<string> | AsyncIterable<string> {
  for (const key in output) if (output[key] instanceof StreamedList) return streamedXmlChunks(action, version, requestId, output);
  return plainXmlChunks(action, version, requestId, output);
}

function* plainXmlChunks(action: string, version: string, requestId: string, output: ActionOutput): Generator<string> {
  const { w, ready } = openResponse(action, version, requestId);
  for (const key in output) yield* memberChunks(w, ready, key, output[key]);
  yield* closingChunks(w, ready, action);
}

async function* streamedXmlChunks(action: string, version: string, requestId: string, output: ActionOutput): AsyncGenerator<string> {
  const { w, ready } = openResponse(action, version, requestId);
  for (const key in output) {
    const value = output[key];
    if (!(value instanceof StreamedList)) {
      yield* memberChunks(w, ready, key, value);
      continue;
    }
    // Whether the list is empty (<key/>) is known only once an item, or its end, is read.
    let opened = false;
    for await (const page of value.pages()) {
      for (const entry of page) {
        if (!opened) w.write(`${INDENT}<${key}>\n`);
        opened = true;
        writeElement(w, 'item', value.view(entry as never), INDENT + INDENT, 'item');
        // Only when a piece is ready: yielding nothing still costs an await in an async generator.
        if (ready.length) yield* ready.splice(0);
      }
    }
    w.write(opened ? `${INDENT}</${key}>\n` : `${INDENT}<${key}/>\n`);
  }
  yield* closingChunks(w, ready, action);
}

/** A success body as one string (an answer without a StreamedList). */
export function successXml(action: string, version: string, requestId: string, output: ActionOutput): string {
  let out = '';
  for (const chunk of plainXmlChunks(action, version, requestId, output)) out += chunk;
  return out;
}

/** EC2's error envelope, byte for byte: declaration, newline, then the document on one line. */
export function errorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}
