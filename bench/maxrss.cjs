// Preloaded into a measured child (NODE_OPTIONS=--require): at exit, writes the process's peak resident set
// size (process.resourceUsage().maxRSS, in KiB, from getrusage) to the file named by BENCH_MAXRSS_FILE.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
