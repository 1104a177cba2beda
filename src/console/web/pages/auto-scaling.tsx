// Auto Scaling Groups: the groups (DescribeAutoScalingGroups, Auto Scaling's Query API signed for
// the `autoscaling` service), a details pane for the selected one with its instances, and its
// Activity history (DescribeScalingActivities). "Not available yet" when the server has no
// Auto Scaling.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, childText, items, path } from '../api.js';
import type { PageProps } from '../page.js';
import { ErrorAlert, formatTime, useInterval } from '../ui.js';
import { EmptyRow, PageHeader, SelectHeader } from '../components/list.js';

interface Group {
  name: string;
  launch: string;
  desired: string;
  min: string;
  max: string;
  zones: string[];
  instances: { id: string; lifecycle: string; health: string; zone: string }[];
  created: string;
  status: string;
}

interface Activity {
  id: string;
  status: string;
  description: string;
  cause: string;
  start: string;
  end: string;
  message: string;
}

const members = (el: Element | undefined, name: string): Element[] => items(el, name);

async function listGroups(api: PageProps['api']): Promise<Group[]> {
  const r = await api.autoscaling('DescribeAutoScalingGroups');
  const result = [...r.children].find((c) => c.localName === 'DescribeAutoScalingGroupsResult');
  return members(result, 'AutoScalingGroups').map((g) => ({
    name: childText(g, 'AutoScalingGroupName'),
    launch:
      path(g, 'LaunchTemplate', 'LaunchTemplateName') ||
      path(g, 'MixedInstancesPolicy', 'LaunchTemplate', 'LaunchTemplateSpecification', 'LaunchTemplateName') ||
      childText(g, 'LaunchConfigurationName'),
    desired: childText(g, 'DesiredCapacity'),
    min: childText(g, 'MinSize'),
    max: childText(g, 'MaxSize'),
    zones: members(g, 'AvailabilityZones').map((z) => z.textContent ?? ''),
    instances: members(g, 'Instances').map((i) => ({
      id: childText(i, 'InstanceId'),
      lifecycle: childText(i, 'LifecycleState'),
      health: childText(i, 'HealthStatus'),
      zone: childText(i, 'AvailabilityZone'),
    })),
    created: childText(g, 'CreatedTime'),
    status: childText(g, 'Status'),
  }));
}

async function listActivities(api: PageProps['api'], group: string): Promise<Activity[]> {
  const r = await api.autoscaling('DescribeScalingActivities', { AutoScalingGroupName: group });
  const result = [...r.children].find((c) => c.localName === 'DescribeScalingActivitiesResult');
  return members(result, 'Activities').map((a) => ({
    id: childText(a, 'ActivityId'),
    status: childText(a, 'StatusCode'),
    description: childText(a, 'Description'),
    cause: childText(a, 'Cause'),
    start: childText(a, 'StartTime'),
    end: childText(a, 'EndTime'),
    message: childText(a, 'StatusMessage'),
  }));
}

/** A server without Auto Scaling refuses a signature scoped to `autoscaling` (or the action). */
const notBuilt = (e: unknown) =>
  e instanceof ApiError && (e.code === 'InvalidAction' || (e.code === 'SignatureDoesNotMatch' && /scoped to correct service/.test(e.message)));

const SETTLED = new Set(['InService', 'Terminated', 'Standby']);

export function AutoScalingPage({ api }: PageProps) {
  const [groups, setGroups] = useState<Group[] | undefined>();
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();
  const [tab, setTab] = useState<'details' | 'activity'>('details');
  const [activities, setActivities] = useState<Activity[] | undefined>();

  const load = async () => {
    setBusy(true);
    try {
      const g = await listGroups(api);
      setGroups(g);
      setError(undefined);
      const name = selected ?? g[0]?.name;
      if (name && tab === 'activity') setActivities(await listActivities(api, name));
    } catch (e) {
      if (notBuilt(e)) setUnavailable(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(), [selected, tab]);
  const group = groups?.find((g) => g.name === selected);
  const pending =
    (groups ?? []).some((g) => g.instances.some((i) => !SETTLED.has(i.lifecycle)) || g.instances.length !== Number(g.desired)) ||
    (activities ?? []).some((a) => a.status === 'InProgress' || a.status === 'PreInService' || a.status === 'WaitingForSpotInstanceId');
  useInterval(pending, 1500, () => void load());

  if (unavailable) {
    return (
      <section>
        <h1>Auto Scaling groups</h1>
        <div class="alert alert-info" role="status">
          Auto Scaling Groups are not available yet on this server: it does not know <code>DescribeAutoScalingGroups</code>.
        </div>
      </section>
    );
  }

  return (
    <section>
      <PageHeader title="Auto Scaling groups" count={groups?.length} busy={busy} onRefresh={() => void load()} />
      <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
      <table class="table" aria-label="Auto Scaling Groups">
        <thead>
          <tr>
            <SelectHeader />
            <th>Name</th>
            <th>Launch template/configuration</th>
            <th>Instances</th>
            <th>Status</th>
            <th>Desired capacity</th>
            <th>Min</th>
            <th>Max</th>
            <th>Availability Zones</th>
          </tr>
        </thead>
        <tbody>
          {(groups ?? []).map((g) => (
            <tr key={g.name} class={selected === g.name ? 'selected' : ''} aria-selected={selected === g.name}>
              <td class="select">
                <input type="radio" name="asg" aria-label={`Select ${g.name}`} checked={selected === g.name} onChange={() => setSelected(g.name)} />
              </td>
              <td>{g.name}</td>
              <td>{g.launch}</td>
              <td>{g.instances.length}</td>
              <td>{g.status || '–'}</td>
              <td>{g.desired}</td>
              <td>{g.min}</td>
              <td>{g.max}</td>
              <td>{g.zones.join(', ')}</td>
            </tr>
          ))}
          <EmptyRow show={!!groups && groups.length === 0} colSpan={9}>
            No Auto Scaling groups
          </EmptyRow>
        </tbody>
      </table>
      {group && (
        <section class="details" aria-label={`Details of ${group.name}`}>
          <h2>{group.name}</h2>
          <div role="tablist" class="tabs">
            <button type="button" role="tab" class="tab-button" aria-selected={tab === 'details'} onClick={() => setTab('details')}>
              Details
            </button>
            <button type="button" role="tab" class="tab-button" aria-selected={tab === 'activity'} onClick={() => setTab('activity')}>
              Activity
            </button>
          </div>
          {tab === 'details' ? (
            <>
              <dl class="grid">
                <div class="field">
                  <dt>Desired capacity</dt>
                  <dd>{group.desired}</dd>
                </div>
                <div class="field">
                  <dt>Minimum capacity</dt>
                  <dd>{group.min}</dd>
                </div>
                <div class="field">
                  <dt>Maximum capacity</dt>
                  <dd>{group.max}</dd>
                </div>
                <div class="field">
                  <dt>Date created</dt>
                  <dd>{formatTime(group.created)}</dd>
                </div>
              </dl>
              <h3>Instances</h3>
              <table class="table compact" aria-label="Group instances">
                <thead>
                  <tr>
                    <th>Instance ID</th>
                    <th>Lifecycle</th>
                    <th>Health status</th>
                    <th>Availability Zone</th>
                  </tr>
                </thead>
                <tbody>
                  {group.instances.map((i) => (
                    <tr key={i.id}>
                      <td class="mono">{i.id}</td>
                      <td>{i.lifecycle}</td>
                      <td>{i.health}</td>
                      <td>{i.zone}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <table class="table" aria-label="Activity history">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Description</th>
                  <th>Cause</th>
                  <th>Start time</th>
                  <th>End time</th>
                </tr>
              </thead>
              <tbody>
                {(activities ?? []).map((a) => (
                  <tr key={a.id}>
                    <td>
                      {a.status}
                      {a.message && <div class="help">{a.message}</div>}
                    </td>
                    <td>{a.description}</td>
                    <td class="cause">{a.cause}</td>
                    <td>{formatTime(a.start)}</td>
                    <td>{formatTime(a.end)}</td>
                  </tr>
                ))}
                <EmptyRow show={!!activities && activities.length === 0} colSpan={5}>
                  No activities
                </EmptyRow>
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
}
