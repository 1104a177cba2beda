// Programs a real instance of the image has but a simulated guest cannot run
// (package managers, Python, systemd): they are on PATH as on the real image
// (`command -v`, `which` and `type` find them), and running one fails with
// status 127 and one line that says why and what to do instead. The lists
// follow the images: Amazon Linux 2023 has dnf/yum/rpm, python3 and pip3
// (python3-pip), Ubuntu 24.04 has apt/apt-get/dpkg and python3 but no pip;
// neither has an unversioned `python`, so there it stays "command not found".
import type { Command, GuestSystem } from '../types.js';

/** One line, true whether or not the real-instance engine is configured on this server. */
export function simulatedMessage(name: string): string {
  return (
    `${name}: cannot run on this simulated instance (ec2lite simulates its operating system: there are no real packages, ` +
    `services or interpreters). To use ${name}, launch the AMI on a real-instance guest engine; see "Guest engines" in ec2lite's docs/instances.md.\n`
  );
}

const simulated: Command = (ctx) => {
  ctx.io.err.write(simulatedMessage(ctx.name));
  return 127;
};

const RHEL = ['dnf', 'yum', 'rpm', 'python3', 'pip3', 'pip', 'systemctl'];
const DEBIAN = ['apt', 'apt-get', 'dpkg', 'python3', 'systemctl'];

/** The simulated-only programs of an image family. */
export function simulatedCommands(family: GuestSystem['prompt']): Record<string, Command> {
  return Object.fromEntries((family === 'debian' ? DEBIAN : RHEL).map((n) => [n, simulated]));
}

/** Whether `name` is one of the family's simulated-only programs (a #!/usr/bin/python3 user data script). */
export function isSimulatedProgram(name: string, family: GuestSystem['prompt']): boolean {
  return (family === 'debian' ? DEBIAN : RHEL).includes(name);
}
