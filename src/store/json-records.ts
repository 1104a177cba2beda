// Instances and volumes are stored as JSON documents by every engine; these turn records into
// documents and back (dates as ISO strings, tags kept in the tags table).
import type { InstanceRecord, VolumeRecord } from './port.js';

export function instanceToJson(r: InstanceRecord): string {
  const { tags: _tags, ...rest } = r;
  return JSON.stringify(rest);
}

export function instanceFromJson(json: string, tags: InstanceRecord['tags']): InstanceRecord {
  const o = JSON.parse(json) as InstanceRecord & { launchTime: string };
  return { ...o, launchTime: new Date(o.launchTime), tags };
}

export function volumeToJson(r: VolumeRecord): string {
  const { tags: _tags, ...rest } = r;
  return JSON.stringify(rest);
}

export function volumeFromJson(json: string, tags: VolumeRecord['tags']): VolumeRecord {
  const o = JSON.parse(json) as VolumeRecord & { createTime: string; attachment?: { attachTime: string } };
  return {
    ...o,
    createTime: new Date(o.createTime),
    attachment: o.attachment ? { ...o.attachment, attachTime: new Date(o.attachment.attachTime) } : undefined,
    tags,
  };
}
