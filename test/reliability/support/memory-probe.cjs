// Preloaded into the bot's process by the reliability suite only (`node --expose-gc --require …`): on SIGUSR2
// it collects garbage and writes one line with the heap in use, so the soak can tell "flat" from "growing"
// without any hook in the bot's own code.
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  const { heapUsed, rss } = process.memoryUsage();
  process.stderr.write(`NAPTER_MEMORY ${JSON.stringify({ heapUsed, rss })}\n`);
});
