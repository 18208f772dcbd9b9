import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The fast tests: pure logic and components in a simulated DOM (happy-dom), no services. The browser
// tests against real services stay in Jest (test/integration, jest.config.cjs).
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@platform/source'] },
  test: {
    // test/dev: the dev server's proxy (Node environment, a stand-in edge).
    include: ['src/**/*.test.{ts,tsx}', 'test/dev/**/*.test.ts'],
    environment: 'happy-dom',
    restoreMocks: true,
  },
});
