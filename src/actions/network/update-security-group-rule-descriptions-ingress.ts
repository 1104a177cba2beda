// UpdateSecurityGroupRuleDescriptionsIngress: descriptions of inbound rules (see rule-descriptions.ts).
import { ruleDescriptionsAction } from './rule-descriptions.js';

export default ruleDescriptionsAction('UpdateSecurityGroupRuleDescriptionsIngress', false);
