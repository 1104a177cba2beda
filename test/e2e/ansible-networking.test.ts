// A real Ansible run (Debian's ansible + the amazon.aws collection + python3-boto3) against
// ec2lite: a VPC, a subnet, a security group, an instance in the default VPC and one in the new
// subnet, an Elastic IP, ec2_instance_info; then OpenSSH into the instance the playbook made.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { images } from '../helpers/instances.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ansible-playbook', '/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the Ansible networking test (apt-get install ansible python3-boto3 openssh-client)');

const dir = tempDir('ec2lite-ansible-net-');
let server: TestServer;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const PLAYBOOK = `
- hosts: localhost
  connection: local
  gather_facts: false
  module_defaults:
    group/aws:
      endpoint_url: "{{ lookup('env', 'EC2LITE_URL') }}"
      region: us-east-1
  tasks:
    - amazon.aws.ec2_vpc_net: { name: lab, cidr_block: 10.30.0.0/16 }
      register: vpc
    - amazon.aws.ec2_vpc_subnet: { vpc_id: "{{ vpc.vpc.id }}", cidr: 10.30.1.0/24, az: us-east-1a, map_public: true, tags: { Name: lab-a } }
      register: subnet
    - amazon.aws.ec2_security_group:
        name: lab-ssh
        description: ssh from anywhere
        vpc_id: "{{ vpc.vpc.id }}"
        rules: [{ proto: tcp, ports: [22], cidr_ip: 0.0.0.0/0, rule_desc: ssh }]
      register: sg
    - amazon.aws.ec2_key: { name: lab, key_material: "{{ lookup('file', lookup('env', 'KEY') + '.pub') }}" }
    - amazon.aws.ec2_instance:
        name: in-default-vpc
        image_id: "{{ lookup('env', 'AMI') }}"
        instance_type: t3.micro
        key_name: lab
        wait: true
      register: default_vpc_instance
    - amazon.aws.ec2_instance:
        name: in-lab
        image_id: "{{ lookup('env', 'AMI') }}"
        instance_type: t3.micro
        key_name: lab
        vpc_subnet_id: "{{ subnet.subnet.id }}"
        security_group: lab-ssh
        network: { assign_public_ip: true }
        wait: true
      register: lab_instance
    - amazon.aws.ec2_eip: { device_id: "{{ lab_instance.instance_ids[0] }}", in_vpc: true }
      register: eip
    - amazon.aws.ec2_instance_info: { instance_ids: "{{ lab_instance.instance_ids }}" }
      register: info
    - ansible.builtin.copy:
        dest: "{{ lookup('env', 'OUT') }}"
        content: "{{ { 'vpc': vpc.vpc.id, 'subnet': subnet.subnet.id, 'sg': sg.group_id, 'default_instance_vpc': default_vpc_instance.instances[0].vpc_id, 'instance': lab_instance.instance_ids[0], 'eip': eip.public_ip, 'info': info.instances[0] } | to_json }}"
`;

describe('ansible amazon.aws against ec2lite', { timeout: 300_000 }, () => {
  it('builds a VPC, subnet, group, two instances and an Elastic IP; OpenSSH logs into the one it made', async () => {
    const key = dir.file('lab');
    assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lab', '-f', key])).code, 0);
    await writeFile(dir.file('play.yml'), PLAYBOOK);
    const ami = (await images(server.client())).al2023;
    const out = dir.file('out.json');
    const r = await runAsync('/usr/bin/ansible-playbook', [dir.file('play.yml')], {
      cwd: dir.path,
      env: {
        ...process.env,
        EC2LITE_URL: server.url,
        AMI: ami,
        KEY: key,
        OUT: out,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        ANSIBLE_LOCALHOST_WARNING: 'false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
        ANSIBLE_LOCAL_TEMP: dir.file('ansible-local'),
        ANSIBLE_HOME: dir.file('ansible-home'),
      },
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const facts = JSON.parse(await readFile(out, 'utf8'));
    assert.match(facts.vpc, /^vpc-[0-9a-f]{17}$/);
    assert.match(facts.default_instance_vpc, /^vpc-[0-9a-f]{17}$/);
    assert.notEqual(facts.default_instance_vpc, facts.vpc);
    assert.equal(facts.info.subnet_id, facts.subnet);
    assert.equal(facts.info.vpc_id, facts.vpc);
    assert.deepEqual(facts.info.security_groups.map((g: { group_name: string }) => g.group_name), ['lab-ssh']);
    assert.equal(facts.info.public_ip_address, facts.eip);
    assert.match(facts.info.private_ip_address, /^10\.30\.1\.\d+$/);
    const login = await sshInstance(server.url, facts.instance, 'whoami', { key, knownHosts: dir.file('known_hosts') });
    assert.equal(login.code, 0, login.stderr);
    assert.equal(login.stdout, 'ec2-user\n');
  });
});
