// AWS writes each time field at its own precision: most EC2 times at whole seconds
// (`launchTime` 2018-05-10T08:05:20.000Z), a few with milliseconds (a volume's `createTime`,
// a snapshot's `startTime`, Auto Scaling's `StartTime`/`CreatedTime`). ec2lite stores the exact
// time and views call these per field; filters compare against the same shown value.
// Evidence per field: docs/moto-compatibility.md, "Time precision per field".

/** The time cut to its whole second, written by the XML layer as `….000Z`. */
export function wholeSeconds(t: Date | string): Date {
  const ms = typeof t === 'string' ? Date.parse(t) : t.getTime();
  return new Date(ms - (((ms % 1000) + 1000) % 1000));
}

/** Whole seconds with no fraction at all (`2020-10-30T19:36:41Z`), as Auto Scaling writes `EndTime`. */
export const wholeSecondsText = (t: Date | string): string => wholeSeconds(t).toISOString().replace('.000Z', 'Z');

/** What a filter on a whole-second field compares against. */
export const wholeSecondsIso = (t: Date | string): string => wholeSeconds(t).toISOString();
