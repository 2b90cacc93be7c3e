// Side-by-side flagship comparison (`pnpm bench:compare <checkout A> <checkout B>`): numbers
// printed, not asserted.
//
// On a shared machine the CPU a request costs moves by a fifth from one run to the next, more
// than most single changes; two `pnpm bench` runs one after the other compare the machine's
// moods as much as the code. This runs the flagship's server of both checkouts at once (each
// its own process and scratch PostgreSQL database, seeded as `pnpm bench` seeds it) and sends
// them the flagship in short alternating rounds, so both see the same machine. It prints each
// one's server CPU per request (process.cpuUsage, as `pnpm bench`) and its latency (one request
// at a time, as `pnpm bench`'s p50), and B's ÷ A's per round.
//
// A checkout is a directory with this repository installed (`git worktree add ../base <rev>`,
// then `pnpm install` there); `<dir>@<node flags>` runs that server with V8 or Node flags
// (e.g. `.@--max-semi-space-size=32` against `.`). Needs TEST_DATABASE_URL (PostgreSQL).
// Options (environment): COMPARE_ROUNDS (default 20), COMPARE_PER_ROUND (default 10).
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scratchDatabase } from '../support/database.js';

const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 20);
const PER_ROUND = Number(process.env.COMPARE_PER_ROUND ?? 10);
const WARM_UP = 30;

interface Ready {
  url: string;
  token: string;
  dealer: string;
  at: string;
}

interface Server {
  spec: string;
  child: ChildProcess;
  ready: Ready;
  query: string;
  ask<R>(request: { op: string }): Promise<R>;
  drop(): Promise<void>;
  /** server CPU per request of each round */
  rounds: number[];
  /** the median latency of each round's requests */
  latencies: number[];
}

/** The flagship's server of the checkout in `dir`, as its own `pnpm bench` starts it. */
async function startServer(spec: string, base: string): Promise<Server> {
  const [dir = '.', flags = ''] = spec.split('@');
  const root = resolve(dir);
  const bench = `${root}/test/bench/pricing.bench.ts`;
  // the flagship operation as that checkout sends it
  const query = /const FLAGSHIP = `([\s\S]*?)`;/.exec(readFileSync(bench, 'utf8'))?.[1];
  if (!query) throw new Error(`${bench}: no flagship operation`);
  const scratch = await scratchDatabase(base, 'trellis_compare');
  const child = fork(bench, [], {
    cwd: root,
    execPath: `${root}/node_modules/.bin/node`,
    execArgv: [...flags.split(' ').filter(Boolean), '--import', 'tsx'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_ROLE: 'flagship-server',
      BENCH_DATABASE_URL: scratch.url,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 0;
  const ready = await new Promise<Ready>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`${spec}: the server exited (${code})`)));
    child.on('message', (m: { id: number; result: unknown } | Ready) => {
      if ('url' in m) done(m);
      else pending.get(m.id)?.(m.result);
    });
  }).catch(async (error) => {
    await scratch.drop();
    throw error;
  });
  const ask = <R>(request: { op: string }) =>
    new Promise<R>((done) => {
      const id = nextId++;
      pending.set(id, (result) => {
        pending.delete(id);
        done(result as R);
      });
      child.send({ ...request, id });
    });
  return { spec, child, ready, query, ask, drop: () => scratch.drop(), rounds: [], latencies: [] };
}

async function flagship(server: Server): Promise<void> {
  const { url, token, dealer, at } = server.ready;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: server.query, variables: { orgId: dealer, first: 100, at } }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`${server.spec}: ${JSON.stringify(body.errors).slice(0, 300)}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const specs = process.argv.slice(2);
const base = process.env.TEST_DATABASE_URL;
if (specs.length !== 2 || !base) {
  console.error('usage: TEST_DATABASE_URL=… pnpm bench:compare <checkout A> <checkout B>');
  process.exit(2);
}
const servers: Server[] = [];
try {
  for (const spec of specs) servers.push(await startServer(spec, base));
  for (const server of servers) for (let i = 0; i < WARM_UP; i++) await flagship(server);
  for (let round = 0; round < ROUNDS; round++) {
    // each goes first every other round
    for (const server of round % 2 ? [...servers].reverse() : servers) {
      const before = await server.ask<{ cpuMs: number }>({ op: 'stats' });
      const times: number[] = [];
      for (let i = 0; i < PER_ROUND; i++) {
        const t = performance.now();
        await flagship(server);
        times.push(performance.now() - t);
      }
      const after = await server.ask<{ cpuMs: number }>({ op: 'stats' });
      server.rounds.push((after.cpuMs - before.cpuMs) / PER_ROUND);
      server.latencies.push(median(times));
    }
  }
  const [a, b] = servers as [Server, Server];
  const report = (title: string, of: (s: Server) => number[]) => {
    console.log(`  ${title}`);
    for (const s of servers)
      console.log(
        `    ${s.spec.padEnd(38)} mean ${mean(of(s)).toFixed(2)}  median ${median(of(s)).toFixed(2)}`,
      );
    const ratios = of(b).map((x, i) => x / of(a)[i]!);
    console.log(
      `    B ÷ A: median of the rounds' ratios ${median(ratios).toFixed(3)}, ratio of the means ${(mean(of(b)) / mean(of(a))).toFixed(3)}`,
    );
  };
  console.log(`flagship, ${ROUNDS} alternating rounds of ${PER_ROUND} requests`);
  report('server CPU per request (ms)', (s) => s.rounds);
  report("latency, one request at a time (ms; each round's median)", (s) => s.latencies);
} finally {
  for (const s of servers) {
    const exited = new Promise((done) => s.child.once('exit', done));
    s.child.send({ op: 'close', id: -1 });
    await exited;
    await s.drop();
  }
}
