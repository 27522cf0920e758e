// Machine translation over HTTP in batches (one request per chunk of units, with their segments), with a rate limit,
// retries that honour a 429's Retry-After, a timeout per request and the cache of repeated sources.
// Run: node --import tsx examples/translate-http.ts in.xlf out.xlf   (it starts its own fake endpoint)
// (In your project: import { processXliff } from 'xliff-stream'.)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { processXliff, type Content, type Part } from 'xliff-stream';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: translate-http.ts <in.xlf> <out.xlf>');

// A fake endpoint, to run offline (use your MT / LLM service instead): POST { texts } -> { translations }.
// It "translates" to upper case, keeping placeholders, and answers every 5th request with 429 Too Many Requests.
const PLACEHOLDER = /(\{\{?[\w.\s]+\}\}?|%(?:\d+\$)?[sd@])/;
let calls = 0;
let tooManyRequests = 0;
const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8').on('data', (piece: string) => (body += piece));
  request.on('end', () => {
    if (++calls % 5 === 0) {
      tooManyRequests++;
      response.writeHead(429, { 'retry-after': '0.1' }).end(); // seconds (some APIs send fractions)
      return;
    }
    const { texts } = JSON.parse(body) as { texts: string[] };
    const translations = texts.map((text) => text.split(PLACEHOLDER).map((s, i) => (i % 2 ? s : s.toUpperCase())).join(''));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ translations }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/translate`;

/** One request. A failed one throws an error that tells processXliff whether (and when) to retry. */
async function translate(texts: string[], signal: AbortSignal): Promise<string[]> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts }), signal });
  if (!response.ok) {
    await response.body?.cancel();
    const retryAfter = response.headers.get('retry-after'); // seconds; an HTTP date gives NaN: the usual backoff then
    throw Object.assign(new Error(`translation endpoint: HTTP ${response.status}`), {
      retryable: response.status === 429 || response.status >= 500, // another 4xx: the request is wrong, do not retry
      retryAfterMs: retryAfter === null ? undefined : Number(retryAfter) * 1000,
    });
  }
  const { translations } = (await response.json()) as { translations: string[] };
  if (translations.length !== texts.length) throw new Error(`translation endpoint: ${translations.length} translations for ${texts.length} texts`);
  return translations;
}

// Only the text goes over the wire: inline codes (tags) stay where they are.
const textsOf = (source: Content): string[] => source.parts.flatMap((p) => (p.type === 'text' ? [p.text] : []));

const job = processXliff(input, {
  output,
  per: 'segment', // the processor gets segments (sentences): files segmented by their tool keep their segments
  chunkUnits: 10, // units per request (all their segments)
  concurrency: 2, // requests in flight at most (each holds a chunk: raise `highWaterMark` with it)
  rateLimit: { limit: 10, intervalMs: 100 }, // requests (retries included) per 100 ms at most
  retry: { retries: 3, minDelayMs: 100 }, // a 429 waits its Retry-After instead of the backoff
  timeoutMs: 10_000, // per request: past it `signal` aborts the fetch and the request is retried
  cache: { max: 10_000 }, // a sentence already translated, or on its way in another batch, is not sent again
  processBatch: async (segments, { signal }) => {
    const texts = [...new Set(segments.flatMap((segment) => textsOf(segment.source)))]; // each distinct text once
    const answers = await translate(texts, signal);
    const translation = new Map(texts.map((text, i) => [text, answers[i]!]));
    const translated = (content: Content): Part[] => content.parts.map((p) => (p.type === 'text' ? { type: 'text', text: translation.get(p.text)! } : p));
    return segments.map((segment) => ({ target: { parts: translated(segment.source) }, state: 'translated' }));
  },
});
const summary = await job.done.finally(() => server.close());
console.log(JSON.stringify({ units: summary.units, changed: summary.unitsChanged, calls, tooManyRequests, retries: summary.retries, cacheHits: summary.cacheHits, elapsedMs: Math.round(summary.elapsedMs) }));
