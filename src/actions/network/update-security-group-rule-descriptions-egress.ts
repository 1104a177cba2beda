// UpdateSecurityGroupRuleDescriptionsEgress: descriptions of outbound rules (see rule-descriptions.ts).
import { ruleDescriptionsAction } from './rule-descriptions.js';

export default ruleDescriptionsAction('UpdateSecurityGroupRuleDescriptionsEgress', true);
