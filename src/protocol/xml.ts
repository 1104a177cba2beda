// EC2 XML serialisation. Handlers return plain objects whose keys are the model's locationNames
// in the order AWS writes them; this module knows nothing of any action.
//   string/number → text, boolean → true|false, Date → ISO 8601 with milliseconds,
//   array → <name><item>…</item></name> (empty: <name/>), object → nested elements,
//   undefined/null → element omitted.

import type { ActionOutput, OutputValue } from '../actions/output.js';

export const EC2_NAMESPACE_BASE = 'http://ec2.amazonaws.com/doc/';

const SPECIAL = /[&<>]/;

/**
 * Escapes text content. Only `&`, `<` and `>`: EC2 writes quotes and apostrophes as they are
 * (`<Message>The key pair 'x' does not exist</Message>`), and clients comparing bytes notice.
 */
export function escapeXml(text: string): string {
  if (!SPECIAL.test(text)) return text; // the common case: nothing to escape
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function scalar(value: string | number | boolean | Date): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? escapeXml(value) : String(value);
}

const INDENT = '    ';

// Appends by string concatenation (V8 ropes): a DescribeKeyPairs of 5,000 keys is ~1.7 MB.
// `item` names list members: EC2 writes <item>, Query services such as Auto Scaling <member>.
export function element(name: string, value: OutputValue, indent: string, item = 'item'): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}<${name}/>\n`;
    let out = `${indent}<${name}>\n`;
    const inner = indent + INDENT;
    for (const entry of value) out += element(item, entry, inner, item);
    return out + `${indent}</${name}>\n`;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    let out = `${indent}<${name}>\n`;
    const inner = indent + INDENT;
    for (const key in value) out += element(key, value[key], inner, item);
    return out + `${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${scalar(value)}</${name}>\n`;
}

/** A success body: <ActionResponse xmlns=…><requestId/>…members…</ActionResponse>. */
export function successXml(action: string, version: string, requestId: string, output: ActionOutput): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE_BASE}${escapeXml(version)}/">\n`;
  out += `${INDENT}<requestId>${requestId}</requestId>\n`;
  for (const key in output) out += element(key, output[key], INDENT);
  return out + `</${action}Response>`;
}

/** EC2's error envelope, byte for byte: declaration, newline, then the document on one line. */
export function errorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}
