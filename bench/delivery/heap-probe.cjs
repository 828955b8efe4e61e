// Preloaded into the benchmarked dispatcher (node --expose-gc --require …): on SIGUSR2 it runs a
// full garbage collection and writes process.memoryUsage() as JSON to $BENCH_HEAP_FILE, so the
// bench can read what the heap really holds, not what V8 has yet to give back. `before` is
// process.memoryUsage() just before that GC.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  global.gc();
  global.gc();
  writeFileSync(process.env.BENCH_HEAP_FILE, JSON.stringify({ at: Date.now(), ...process.memoryUsage(), before }));
});
