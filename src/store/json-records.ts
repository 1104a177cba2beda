// Instances and volumes are stored as JSON documents by every engine; these turn records into
// documents and back (dates as ISO strings, tags kept in the tags table).
import type { ImageRecord, InstanceRecord, SnapshotRecord, SnapshotTiering, VolumeAttachmentRecord, VolumeRecord } from './port.js';

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
  const o = JSON.parse(json) as VolumeRecord & { createTime: string; settlesAt?: string; attachment?: { attachTime: string } };
  const attachment = (a: VolumeAttachmentRecord) => ({ ...a, attachTime: new Date(a.attachTime) });
  return {
    ...o,
    createTime: new Date(o.createTime),
    ...(o.settlesAt ? { settlesAt: new Date(o.settlesAt) } : {}),
    attachment: o.attachment ? attachment(o.attachment) : undefined,
    ...(o.moreAttachments ? { moreAttachments: o.moreAttachments.map(attachment) } : {}),
    ...(o.modifications
      ? {
          modifications: o.modifications.map((m) => ({
            ...m,
            startTime: new Date(m.startTime),
            optimizingAt: new Date(m.optimizingAt),
            completedAt: new Date(m.completedAt),
          })),
        }
      : {}),
    tags,
  };
}

export function snapshotToJson(r: SnapshotRecord): string {
  const { tags: _tags, ...rest } = r;
  return JSON.stringify(rest);
}

export function snapshotFromJson(json: string, tags: SnapshotRecord['tags']): SnapshotRecord {
  const o = JSON.parse(json) as SnapshotRecord & { startTime: string; settlesAt?: string };
  const t = o.tiering as (Record<keyof SnapshotTiering, string> & { restoreDays?: number }) | undefined;
  const date = (v: string | undefined) => (v ? new Date(v) : undefined);
  const tiering: SnapshotTiering | undefined = t && {
    operation: t.operation as SnapshotTiering['operation'],
    startTime: new Date(t.startTime),
    completesAt: new Date(t.completesAt),
    ...(t.archivalCompleteTime ? { archivalCompleteTime: date(t.archivalCompleteTime) } : {}),
    ...(t.restoreExpiryTime ? { restoreExpiryTime: date(t.restoreExpiryTime) } : {}),
    ...(t.restoreDays !== undefined ? { restoreDays: t.restoreDays } : {}),
  };
  return { ...o, startTime: new Date(o.startTime), ...(o.settlesAt ? { settlesAt: new Date(o.settlesAt) } : {}), ...(tiering ? { tiering } : {}), tags };
}

export function imageToJson(r: ImageRecord): string {
  const { tags: _tags, ...rest } = r;
  return JSON.stringify(rest);
}

export function imageFromJson(json: string, tags: ImageRecord['tags']): ImageRecord {
  const o = JSON.parse(json) as ImageRecord & { creationDate: string; settlesAt?: string };
  return { ...o, creationDate: new Date(o.creationDate), ...(o.settlesAt ? { settlesAt: new Date(o.settlesAt) } : {}), tags };
}
