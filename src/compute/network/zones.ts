// Availability Zones per Region: where default subnets go. AWS's counts for the Regions people use
// most; any other Region gets three (a, b, c). RunInstances/CreateVolume accept a–f everywhere.
const ZONE_COUNT: Record<string, number> = { 'us-east-1': 6, 'us-west-2': 4, 'ap-northeast-1': 3 };

export const zonesOf = (region: string): string[] =>
  'abcdef'.slice(0, ZONE_COUNT[region] ?? 3).split('').map((l) => `${region}${l}`);

/** AWS's zone ids look like use1-az1; a stable stand-in from the Region's initials. */
export function zoneId(zone: string): string {
  const region = zone.slice(0, -1);
  const short = region.split('-').map((p, i) => (i === 2 ? p : p[0])).join('');
  return `${short}-az${'abcdef'.indexOf(zone.slice(-1)) + 1}`;
}
