// Preloaded into a benchmarked process: reports its peak resident memory when it exits.
process.on('exit', () => process.stderr.write(`\nPEAK_RSS_MB ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}\n`));
