import { loadConfigOrExit } from '@platform/config';
import { stackConfigSchema } from './config.js';

// Config first, so a bad environment fails before anything heavy is even loaded.
const config = loadConfigOrExit(stackConfigSchema);
const { main } = await import('./main.js');
await main(config, process.env);
