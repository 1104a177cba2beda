// Auto Scaling's Query-protocol XML: <OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata>,
// PascalCase member names, lists of <member>; errors in <ErrorResponse> with a Type.
import type { ActionOutput } from '../actions/output.js';
import { element, escapeXml } from './xml.js';

export const AUTOSCALING_NAMESPACE = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const INDENT = '    ';

/** A success body; `output` undefined = a void operation (only ResponseMetadata). */
export function autoScalingSuccessXml(action: string, requestId: string, output: ActionOutput | undefined): string {
  let out = `<${action}Response xmlns="${AUTOSCALING_NAMESPACE}">\n`;
  if (output !== undefined) {
    out += `${INDENT}<${action}Result>\n`;
    for (const key in output) out += element(key, output[key], INDENT + INDENT, 'member');
    out += `${INDENT}</${action}Result>\n`;
  }
  out += `${INDENT}<ResponseMetadata>\n${INDENT}${INDENT}<RequestId>${requestId}</RequestId>\n${INDENT}</ResponseMetadata>\n`;
  return out + `</${action}Response>\n`;
}

/** Client faults are `Sender`, server faults (5xx) `Receiver`. */
export function autoScalingErrorXml(code: string, message: string, requestId: string, status: number): string {
  return (
    `<ErrorResponse xmlns="${AUTOSCALING_NAMESPACE}">\n` +
    `${INDENT}<Error>\n` +
    `${INDENT}${INDENT}<Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>\n` +
    `${INDENT}${INDENT}<Code>${escapeXml(code)}</Code>\n` +
    `${INDENT}${INDENT}<Message>${escapeXml(message)}</Message>\n` +
    `${INDENT}</Error>\n` +
    `${INDENT}<RequestId>${requestId}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}
