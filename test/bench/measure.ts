/** What `measureRequests` answers: latency percentiles, statements and items found per request. */
export interface RequestMeasure {
  p50: number;
  p99: number;
  perRequest: number;
  found: number;
}

/**
 * Runs `run` `warmUp` times unmeasured, then `iterations` times one at a time: p50/p99 latency
 * (ms), SQL statements per request (from the `statements()` counter) and what each run found.
 */
export async function measureRequests(
  run: (i: number) => Promise<number>,
  options: { iterations: number; warmUp: number; statements: () => number },
): Promise<RequestMeasure> {
  for (let i = 0; i < options.warmUp; i++) await run(i);
  const times: number[] = [];
  let found = 0;
  const before = options.statements();
  for (let i = 0; i < options.iterations; i++) {
    const t = performance.now();
    found += await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  return {
    p50: pct(50),
    p99: pct(99),
    perRequest: (options.statements() - before) / options.iterations,
    found: found / options.iterations,
  };
}
