// EC2 XML serialisation. Handlers return plain objects whose keys are the model's locationNames
// in the order AWS writes them; this module knows nothing of any action.
//   string/number → text, boolean → true|false, Date → ISO 8601 with milliseconds,
//   array → <name><item>…</item></name> (empty: <name/>), object → nested elements,
//   undefined/null → element omitted.

export type XmlValue = string | number | boolean | Date | null | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  [element: string]: XmlValue;
}

export const EC2_NAMESPACE_BASE = 'http://ec2.amazonaws.com/doc/';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function scalar(value: string | number | boolean | Date): string {
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

function element(name: string, value: XmlValue, out: string[], indent: string): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const item of value) element('item', item, out, indent + '    ');
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    out.push(`${indent}<${name}>`);
    for (const [child, childValue] of Object.entries(value)) element(child, childValue, out, indent + '    ');
    out.push(`${indent}</${name}>`);
    return;
  }
  out.push(`${indent}<${name}>${scalar(value)}</${name}>`);
}

/** A success body: <ActionResponse xmlns=…><requestId/>…members…</ActionResponse>. */
export function successXml(action: string, version: string, requestId: string, output: XmlObject): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<${action}Response xmlns="${EC2_NAMESPACE_BASE}${version}/">`);
  out.push(`    <requestId>${requestId}</requestId>`);
  for (const [name, value] of Object.entries(output)) element(name, value, out, '    ');
  out.push(`</${action}Response>`);
  return out.join('\n');
}

/** EC2's error envelope, byte for byte: declaration, newline, then the document on one line. */
export function errorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`
  );
}
