// The network actions (issue 20), listed into the registry with one line.
import type { Action } from '../action.js';
import createVpcEndpoint from './create-vpc-endpoint.js';
import describeVpcEndpoints from './describe-vpc-endpoints.js';
import modifyVpcEndpoint from './modify-vpc-endpoint.js';
import deleteVpcEndpoints from './delete-vpc-endpoints.js';
import describeVpcEndpointServices from './describe-vpc-endpoint-services.js';
import createManagedPrefixList from './create-managed-prefix-list.js';
import describeManagedPrefixLists from './describe-managed-prefix-lists.js';
import modifyManagedPrefixList from './modify-managed-prefix-list.js';
import deleteManagedPrefixList from './delete-managed-prefix-list.js';
import getManagedPrefixListEntries from './get-managed-prefix-list-entries.js';
import describePrefixLists from './describe-prefix-lists.js';
import createNetworkAclEntry from './create-network-acl-entry.js';
import replaceNetworkAclEntry from './replace-network-acl-entry.js';
import deleteNetworkAclEntry from './delete-network-acl-entry.js';
import replaceNetworkAclAssociation from './replace-network-acl-association.js';
import associateVpcCidrBlock from './associate-vpc-cidr-block.js';
import disassociateVpcCidrBlock from './disassociate-vpc-cidr-block.js';
import associateSubnetCidrBlock from './associate-subnet-cidr-block.js';
import disassociateSubnetCidrBlock from './disassociate-subnet-cidr-block.js';
import authorizeSecurityGroupEgress from './authorize-security-group-egress.js';
import authorizeSecurityGroupIngress from './authorize-security-group-ingress.js';
import createDefaultVpc from './create-default-vpc.js';
import createSecurityGroup from './create-security-group.js';
import createSubnet from './create-subnet.js';
import createVpc from './create-vpc.js';
import deleteSecurityGroup from './delete-security-group.js';
import deleteSubnet from './delete-subnet.js';
import deleteVpc from './delete-vpc.js';
import describeAccountAttributes from './describe-account-attributes.js';
import describeSecurityGroupRules from './describe-security-group-rules.js';
import describeSecurityGroups from './describe-security-groups.js';
import describeSubnets from './describe-subnets.js';
import describeVpcs from './describe-vpcs.js';
import modifySecurityGroupRules from './modify-security-group-rules.js';
import modifySubnetAttribute from './modify-subnet-attribute.js';
import revokeSecurityGroupEgress from './revoke-security-group-egress.js';
import revokeSecurityGroupIngress from './revoke-security-group-ingress.js';
import updateIngressDescriptions from './update-security-group-rule-descriptions-ingress.js';
import updateEgressDescriptions from './update-security-group-rule-descriptions-egress.js';
import describeVpcAttribute from './describe-vpc-attribute.js';
import modifyVpcAttribute from './modify-vpc-attribute.js';
import allocateAddress from './allocate-address.js';
import associateAddress from './associate-address.js';
import describeAddresses from './describe-addresses.js';
import disassociateAddress from './disassociate-address.js';
import releaseAddress from './release-address.js';
import createNetworkInterface from './create-network-interface.js';
import deleteNetworkInterface from './delete-network-interface.js';
import describeNetworkInterfaces from './describe-network-interfaces.js';
import modifyNetworkInterfaceAttribute from './modify-network-interface-attribute.js';
import attachNetworkInterface from './attach-network-interface.js';
import detachNetworkInterface from './detach-network-interface.js';
import describeVpcClassicLink from './describe-vpc-classic-link.js';
import describeVpcClassicLinkDnsSupport from './describe-vpc-classic-link-dns-support.js';
import describeInternetGateways from './describe-internet-gateways.js';
import createInternetGateway from './create-internet-gateway.js';
import deleteInternetGateway from './delete-internet-gateway.js';
import attachInternetGateway from './attach-internet-gateway.js';
import detachInternetGateway from './detach-internet-gateway.js';
import describeRouteTables from './describe-route-tables.js';
import createRouteTable from './create-route-table.js';
import deleteRouteTable from './delete-route-table.js';
import associateRouteTable from './associate-route-table.js';
import disassociateRouteTable from './disassociate-route-table.js';
import createRoute from './create-route.js';
import replaceRoute from './replace-route.js';
import deleteRoute from './delete-route.js';
import describeNetworkAcls from './describe-network-acls.js';
import createNetworkAcl from './create-network-acl.js';
import deleteNetworkAcl from './delete-network-acl.js';
import describeDhcpOptions from './describe-dhcp-options.js';
import createDhcpOptions from './create-dhcp-options.js';
import deleteDhcpOptions from './delete-dhcp-options.js';
import associateDhcpOptions from './associate-dhcp-options.js';
import describeAvailabilityZones from './describe-availability-zones.js';
import createDefaultSubnet from './create-default-subnet.js';
import assignPrivateIpAddresses from './assign-private-ip-addresses.js';
import createEgressOnlyInternetGateway from './create-egress-only-internet-gateway.js';
import describeEgressOnlyInternetGateways from './describe-egress-only-internet-gateways.js';
import deleteEgressOnlyInternetGateway from './delete-egress-only-internet-gateway.js';
import unassignPrivateIpAddresses from './unassign-private-ip-addresses.js';
import assignIpv6Addresses from './assign-ipv6-addresses.js';
import unassignIpv6Addresses from './unassign-ipv6-addresses.js';
// Not networking, but what amazon.aws's ec2_instance waits on (the ansible test needs it).

export const networkActions: Action<any>[] = [
  assignPrivateIpAddresses,
  createEgressOnlyInternetGateway,
  describeEgressOnlyInternetGateways,
  deleteEgressOnlyInternetGateway,
  unassignPrivateIpAddresses,
  assignIpv6Addresses,
  unassignIpv6Addresses,
  describeAccountAttributes,
  describeVpcs,
  createVpc,
  deleteVpc,
  describeVpcAttribute,
  modifyVpcAttribute,
  createDefaultVpc,
  describeSubnets,
  createSubnet,
  deleteSubnet,
  modifySubnetAttribute,
  describeSecurityGroups,
  createSecurityGroup,
  deleteSecurityGroup,
  authorizeSecurityGroupIngress,
  authorizeSecurityGroupEgress,
  revokeSecurityGroupIngress,
  revokeSecurityGroupEgress,
  describeSecurityGroupRules,
  modifySecurityGroupRules,
  updateIngressDescriptions,
  updateEgressDescriptions,
  describeNetworkInterfaces,
  createNetworkInterface,
  deleteNetworkInterface,
  attachNetworkInterface,
  detachNetworkInterface,
  modifyNetworkInterfaceAttribute,
  allocateAddress,
  associateAddress,
  disassociateAddress,
  releaseAddress,
  describeAddresses,
  describeVpcClassicLink,
  describeVpcClassicLinkDnsSupport,
  describeAvailabilityZones,
  createDefaultSubnet,
  describeInternetGateways,
  createInternetGateway,
  deleteInternetGateway,
  attachInternetGateway,
  detachInternetGateway,
  describeRouteTables,
  createRouteTable,
  deleteRouteTable,
  associateRouteTable,
  disassociateRouteTable,
  createRoute,
  replaceRoute,
  deleteRoute,
  describeNetworkAcls,
  createNetworkAcl,
  deleteNetworkAcl,
  describeDhcpOptions,
  createDhcpOptions,
  deleteDhcpOptions,
  associateDhcpOptions,
  createVpcEndpoint,
  describeVpcEndpoints,
  modifyVpcEndpoint,
  deleteVpcEndpoints,
  describeVpcEndpointServices,
  createManagedPrefixList,
  describeManagedPrefixLists,
  modifyManagedPrefixList,
  deleteManagedPrefixList,
  getManagedPrefixListEntries,
  describePrefixLists,
  createNetworkAclEntry,
  replaceNetworkAclEntry,
  deleteNetworkAclEntry,
  replaceNetworkAclAssociation,
  associateVpcCidrBlock,
  disassociateVpcCidrBlock,
  associateSubnetCidrBlock,
  disassociateSubnetCidrBlock,
];
