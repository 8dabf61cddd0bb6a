// Preloaded into the bot's process by the reliability suite (`node --expose-gc --require …`) and the footprint
// benchmark (`NODE_OPTIONS=--require …`): on SIGUSR2 it collects garbage and writes one line with the heap in use,
// so "flat" can be told from "growing" without any hook in the bot's own code.
if (typeof global.gc !== 'function') {
  // NODE_OPTIONS may not carry --expose-gc on Node 20: the flag is set from here, and gc taken from a fresh context.
  require('node:v8').setFlagsFromString('--expose-gc');
  global.gc = require('node:vm').runInNewContext('gc');
}
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  const { heapUsed, rss } = process.memoryUsage();
  process.stderr.write(`NAPTER_MEMORY ${JSON.stringify({ heapUsed, rss })}\n`);
});
