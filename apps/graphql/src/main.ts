import { runGatewayService } from '@platform/runtime';
import { createApp } from './app.js';
import { createBackends } from './backends.js';
import type { GraphqlConfig } from './config.js';

/** Composition root: broker and Redis, the backends' gRPC clients, the app; drain on SIGTERM. */
export async function main(config: GraphqlConfig): Promise<void> {
  await runGatewayService('graphql', config, (resources) => {
    const backends = createBackends(config, resources.registry);
    return { app: createApp({ ...resources, config, backends }) };
  });
}
