/**
 * The cost of one processor call's retry machinery: job/retry.ts's `callWithRetry` against
 * cockatiel's retry policies built to do the same (a policy per class of failure, each with
 * its own budget and backoff, Retry-After honoured), side by side in one process,
 * alternating, median of the rounds; CPU time beside wall time.
 *
 * Cases: a call that succeeds at once (the hot path: every call of a job), and a call that
 * fails once with a server error and then succeeds (waits of 0 ms, so the figure is the
 * machinery's, not the timer's).
 *
 * Run: npm run bench:retry [-- --calls N --rounds R]
 */
import { parseArgs } from 'node:util';
import { DelegateBackoff, handleWhen, retry, wrap, type IPolicy, type IRetryBackoffContext } from 'cockatiel';
import { callWithRetry } from '../src/job/retry.js';
import { classifyError, type ErrorClass } from '../src/job/error-class.js';
import { normalizeRetry } from '../src/job/retry-options.js';
import { median } from './lib.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '7' } } });
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);

// The library's defaults, with waits of 0 ms.
const policies = normalizeRetry({ minDelayMs: 0, maxDelayMs: 0 });

/** cockatiel's equivalent: one retry policy per class (each counts its own attempts), full-jitter backoff, Retry-After read by a delegate backoff. */
function cockatielPolicy(): IPolicy {
  const of = (name: ErrorClass, retries: number, minDelayMs: number, maxDelayMs: number): IPolicy =>
    retry(
      handleWhen((error) => classifyError(error) === name),
      {
        maxAttempts: retries,
        backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) => {
          const after = ('error' in context.result ? (context.result.error as { retryAfterMs?: unknown }) : undefined)?.retryAfterMs;
          if (typeof after === 'number') return Math.min(after, maxDelayMs);
          return Math.random() * Math.min(maxDelayMs, minDelayMs * 2 ** (context.attempt - 1));
        }),
      },
    );
  return wrap(of('rateLimit', policies.rateLimit.retries, 0, 0), of('network', policies.network.retries, 0, 0), of('server', policies.server.retries, 0, 0), of('other', policies.retries, 0, 0));
}

const serverError = Object.assign(new Error('HTTP 503'), { status: 503 });

type Case = (n: number) => Promise<number>;

const succeed = async (): Promise<string> => 'ok';
function failOnce(): () => Promise<string> {
  let failed = false;
  return async () => {
    if (!failed) {
      failed = true;
      throw serverError;
    }
    return 'ok';
  };
}

const library: Record<string, Case> = {
  success: async (n) => {
    let ok = 0;
    for (let i = 0; i < n; i++) if ((await callWithRetry(succeed, { retry: policies })) === 'ok') ok++;
    return ok;
  },
  'one failure': async (n) => {
    let ok = 0;
    for (let i = 0; i < n; i++) if ((await callWithRetry(failOnce(), { retry: policies, random: () => 0 })) === 'ok') ok++;
    return ok;
  },
};

const policy = cockatielPolicy();
const cockatiel: Record<string, Case> = {
  success: async (n) => {
    let ok = 0;
    for (let i = 0; i < n; i++) if ((await policy.execute(succeed)) === 'ok') ok++;
    return ok;
  },
  'one failure': async (n) => {
    let ok = 0;
    for (let i = 0; i < n; i++) if ((await policy.execute(failOnce())) === 'ok') ok++;
    return ok;
  },
};

async function measure(run: Case, n: number): Promise<{ wallNs: number; cpuNs: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const ok = await run(n);
  const wallNs = Number(process.hrtime.bigint() - start) / n;
  const used = process.cpuUsage(cpu);
  if (ok !== n) throw new Error(`${ok} of ${n} calls succeeded`);
  return { wallNs, cpuNs: ((used.user + used.system) * 1000) / n };
}

console.log(`# retry machinery per call: callWithRetry (job/retry.ts) against cockatiel ${'3.2.1'} (a retry policy per class, wrapped)`);
console.log(`# ${CALLS} calls per round, ${ROUNDS} rounds alternating, medians; node ${process.version}\n`);
console.log('| case | callWithRetry wall / CPU per call | cockatiel wall / CPU per call | cockatiel / callWithRetry (CPU) |');
console.log('| --- | --- | --- | --- |');
for (const name of Object.keys(library)) {
  const calls = name === 'success' ? CALLS : Math.max(1000, Math.floor(CALLS / 20));
  // Warm both up (JIT) before measuring.
  await measure(library[name]!, calls / 10);
  await measure(cockatiel[name]!, calls / 10);
  const ours: Array<{ wallNs: number; cpuNs: number }> = [];
  const theirs: Array<{ wallNs: number; cpuNs: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      ours.push(await measure(library[name]!, calls));
      theirs.push(await measure(cockatiel[name]!, calls));
    } else {
      theirs.push(await measure(cockatiel[name]!, calls));
      ours.push(await measure(library[name]!, calls));
    }
  }
  const wall = (xs: typeof ours) => median(xs.map((x) => x.wallNs));
  const cpu = (xs: typeof ours) => median(xs.map((x) => x.cpuNs));
  const fmt = (ns: number) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
  console.log(`| ${name} | ${fmt(wall(ours))} / ${fmt(cpu(ours))} | ${fmt(wall(theirs))} / ${fmt(cpu(theirs))} | ${(cpu(theirs) / cpu(ours)).toFixed(2)}x |`);
}
