// An EC2 Instance Connect operation (AWS JSON 1.1): its wire name and a handler from the decoded
// JSON body to the JSON answer. The protocol supplies the request id (it is also in the answer).
import type { ActionContext } from '../context.js';

export interface InstanceConnectAction {
  readonly name: string;
  handle(ctx: ActionContext, body: Record<string, unknown>, requestId: string): Promise<Record<string, unknown>>;
}
