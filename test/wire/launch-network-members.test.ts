// RunInstances' NetworkInterface.N.InterfaceType (moto's test_run_multiple_instances_with_single_nic_template
// sends it; it was UnknownParameter): `interface` taken, EFA refused (not modelled), other values
// InvalidParameterValue. Real SDK v3 client against a running server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateSubnetCommand, CreateVpcCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, type Images } from '../helpers/instances.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
let subnetId: string;

before(async () => {
  server = await startTestServer();
  client = server.client();
  img = await images(client);
  const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc!;
  subnetId = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.40.2.0/24' }))).Subnet!.SubnetId!;
});
after(() => server.close());

describe('NetworkInterface.N.InterfaceType', () => {
  it("accepts 'interface', refuses EFA and unknown types", async () => {
    const run = await client.send(new RunInstancesCommand({
      ImageId: img.al2023, MinCount: 2, MaxCount: 2,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, InterfaceType: 'interface', DeleteOnTermination: true }],
    }));
    assert.equal(run.Instances!.length, 2);
    for (const i of run.Instances!) {
      assert.equal(i.NetworkInterfaces![0]!.InterfaceType, 'interface');
      assert.equal(i.SubnetId, subnetId);
    }
    const efa = await awsError(() => client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, InterfaceType: 'efa' }] })));
    assert.equal(efa.name, 'UnsupportedOperation');
    const bad = await awsError(() => client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, InterfaceType: 'nic' }] })));
    assert.equal(bad.name, 'InvalidParameterValue');
    assert.equal(bad.message, "Invalid value 'nic' for InterfaceType. Valid values: interface, efa, efa-only");
  });
});
