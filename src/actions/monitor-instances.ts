// MonitorInstances: detailed monitoring on for each instance (DescribeInstances then shows
// `enabled`); the answer says `pending`, as EC2's does while the change settles.
import { setMonitoringAction } from './instance-monitoring.js';

export default setMonitoringAction('MonitorInstances', true, 'pending');
