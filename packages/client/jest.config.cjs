const preset = require('../../jest.preset.cjs').projects(__dirname);

// The integration tests close every client in afterEach; forceExit is the backstop so that a socket
// some future test forgets cannot keep reconnecting and hold the whole `pnpm test` open.
module.exports = { ...preset, forceExit: true };
