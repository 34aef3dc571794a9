module.exports = require('../../tools/build/service-webpack')(__dirname, {
  // The embeddable widget (GET /widget.js) is served from the build output.
  assets: [{ input: 'apps/results-distribution/src/widget', glob: '*.js', output: 'widget' }],
  // Nx resolves `import ... from 'ws'` to @types/ws, which it leaves out: the CIS WebSocket server needs ws itself.
  runtimeDependencies: ['ws'],
});
