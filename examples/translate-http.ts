// Machine translation over HTTP in batches (one request per chunk of units, with their segments), spread over two
// endpoints, each with its own quota and circuit breaker: one has an outage, its breaker opens and its requests fail
// over to the other, then it recovers. Retries honour a 429's Retry-After, each request has a timeout, and results are
// kept on disk: run it again with the same cache folder and it sends no request at all.
// Run: node --import tsx examples/translate-http.ts in.xlf out.xlf [cache-dir]   (it starts its own fake endpoints)
// (In your project: import { processXliff } from 'xliff-stream'.)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { processXliff, type Content, type Part } from 'xliff-stream';

const [input, output, cacheDir] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: translate-http.ts <in.xlf> <out.xlf> [cache-dir]');

// Fake endpoints, to run offline (use your MT / LLM service instead): POST { texts } -> { translations }.
// They "translate" to upper case, keeping placeholders, in 10 ms. "eu" answers its requests 2 to 4 with
// 503 Service Unavailable (an outage); "us" answers every 5th request with 429 Too Many Requests.
const PLACEHOLDER = /(\{\{?[\w.\s]+\}\}?|%(?:\d+\$)?[sd@])/;
const requests = { eu: 0, us: 0 };
const failed = { eu: 0, us: 0 };
function fakeEndpoint(name: 'eu' | 'us', failure: (n: number) => { status: number; headers?: Record<string, string> } | undefined): Server {
  return createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (piece: string) => (body += piece));
    request.on('end', () => void answer());
    async function answer(): Promise<void> {
      await sleep(10);
      const fails = failure(++requests[name]);
      if (fails) {
        failed[name]++;
        response.writeHead(fails.status, fails.headers).end();
        return;
      }
      const { texts } = JSON.parse(body) as { texts: string[] };
      const translations = texts.map((text) => text.split(PLACEHOLDER).map((s, i) => (i % 2 ? s : s.toUpperCase())).join(''));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ translations }));
    }
  });
}
const servers = {
  eu: fakeEndpoint('eu', (n) => (n >= 2 && n <= 4 ? { status: 503 } : undefined)),
  us: fakeEndpoint('us', (n) => (n % 5 === 0 ? { status: 429, headers: { 'retry-after': '0.1' } } : undefined)), // seconds (some APIs send fractions)
};
const urls = Object.fromEntries(
  await Promise.all(
    Object.entries(servers).map(async ([name, server]) => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return [name, `http://127.0.0.1:${(server.address() as AddressInfo).port}/translate`];
    }),
  ),
) as Record<'eu' | 'us', string>;

/** One request. A failed one throws an error with its HTTP status (which says whether to fail over and retry) and Retry-After. */
async function translate(url: string, texts: string[], signal: AbortSignal): Promise<string[]> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts }), signal });
  if (!response.ok) {
    await response.body?.cancel();
    const retryAfter = response.headers.get('retry-after'); // seconds; an HTTP date gives NaN: the usual backoff then
    throw Object.assign(new Error(`translation endpoint: HTTP ${response.status}`), {
      status: response.status, // 429: a rate limit, 5xx: a server error (both fail over, then retry); another 4xx: not retried
      retryAfterMs: retryAfter === null ? undefined : Number(retryAfter) * 1000,
    });
  }
  const { translations } = (await response.json()) as { translations: string[] };
  if (translations.length !== texts.length) throw new Error(`translation endpoint: ${translations.length} translations for ${texts.length} texts`);
  return translations;
}

// Only the text goes over the wire: inline codes (tags) stay where they are.
const textsOf = (source: Content): string[] => source.parts.flatMap((p) => (p.type === 'text' ? [p.text] : []));

/** The batch processor of one endpoint. */
const translateAt =
  (url: string) =>
  async (segments: readonly { source: Content }[], { signal }: { signal: AbortSignal }) => {
    const texts = [...new Set(segments.flatMap((segment) => textsOf(segment.source)))]; // each distinct text once
    const answers = await translate(url, texts, signal);
    const translation = new Map(texts.map((text, i) => [text, answers[i]!]));
    const translated = (content: Content): Part[] => content.parts.map((p) => (p.type === 'text' ? { type: 'text', text: translation.get(p.text)! } : p));
    return segments.map((segment) => ({ target: { parts: translated(segment.source) }, state: 'translated' as const }));
  };

const job = processXliff(input, {
  output,
  per: 'segment', // the processor gets segments (sentences): files segmented by their tool keep their segments
  chunkUnits: 10, // units per request (all their segments)
  endpoints: [
    // Requests in flight at most, and requests (retries included) per 100 ms at most, each: the job's concurrency is their sum.
    { name: 'eu', processBatch: translateAt(urls.eu), maxConcurrency: 1, rateLimit: { limit: 10, intervalMs: 100 } },
    { name: 'us', processBatch: translateAt(urls.us), maxConcurrency: 1, rateLimit: { limit: 10, intervalMs: 100 } },
  ],
  // Three failures in a row open an endpoint's breaker; 20 ms later one trial request tests it.
  circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 20 },
  retry: { retries: 3, minDelayMs: 100 }, // when no endpoint is left to fail over to; a 429 waits its Retry-After
  timeoutMs: 10_000, // per request: past it `signal` aborts the fetch and the request fails over
  // A sentence already translated (in this run, on its way in another batch, or on disk from an earlier run) is not sent again.
  // The key names the engine: another engine or prompt would not reuse these results.
  cache: { max: 10_000, key: 'fake-mt-v1', ...(cacheDir ? { disk: { path: cacheDir } } : {}) },
});
const summary = await job.done.finally(() => Object.values(servers).forEach((server) => server.close()));
console.log(
  JSON.stringify({
    units: summary.units,
    changed: summary.unitsChanged,
    requests,
    failed,
    retries: summary.retries,
    failovers: summary.failovers,
    endpoints: summary.endpoints,
    cacheHits: summary.cacheHits,
    diskHits: summary.cacheLevels.disk?.hits ?? 0,
    elapsedMs: Math.round(summary.elapsedMs),
  }),
);
