import { runGatewayService } from '@platform/runtime';
import type { GraphqlConfig } from './config.js';
import { composeGateway } from './gateway.js';

/** Composition root: broker and Redis, the gateway, its listener; drain on SIGTERM. */
export async function main(config: GraphqlConfig): Promise<void> {
  await runGatewayService('graphql', config, (resources) => composeGateway(resources, config));
}
