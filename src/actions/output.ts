// What a handler returns: a tree keyed by the model's element names, in the order AWS writes them.
// Actions never see XML; protocol/xml.ts writes this tree as EC2 XML (see its header for the mapping).
export type OutputValue = string | number | boolean | Date | null | undefined | OutputValue[] | ActionOutput;
export interface ActionOutput {
  [element: string]: OutputValue;
}
