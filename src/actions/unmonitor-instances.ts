// UnmonitorInstances: detailed monitoring off for each instance (DescribeInstances then shows
// `disabled`); the answer says `disabling`, as EC2's does while the change settles.
import { setMonitoringAction } from './instance-monitoring.js';

export default setMonitoringAction('UnmonitorInstances', false, 'disabling');
