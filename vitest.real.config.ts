import { defineConfig } from 'vitest/config';

// Tests against real servers (lighttpd + mod_webdav, pouchdb-server, Azurite), run as their own
// stage of `npm test` (`npm run test:real`). Each file starts its own server; files run one at a
// time so a 2-core CI machine is not swamped.
export default defineConfig({
  test: {
    include: ['electron/real-servers/**/*.real.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
