/**
 * Where a job's processor comes from: the options' own `process` / `processBatch`, a router
 * over `endpoints`, or a `processModule`'s exports. Each gives the options the job runs with.
 */
import type { ResolvedProcessOptions } from '../normalize-options.js';
import { EndpointRouter } from '../endpoints/router.js';
import { loadProcessModule, type ProcessModule } from './process-module.js';

/** With `endpoints`: the router over them becomes the job's processor. */
export function withEndpoints(options: ResolvedProcessOptions): { options: ResolvedProcessOptions; router: EndpointRouter | undefined } {
  const { endpoints, timeoutMs, retry, logger } = options;
  if (!endpoints) return { options, router: undefined };
  const router = new EndpointRouter(endpoints, { timeoutMs, classify: retry.classify, logger });
  return {
    router,
    options: {
      ...options,
      process: endpoints.batch ? undefined : (router.process as ResolvedProcessOptions['process']),
      processBatch: endpoints.batch ? (router.processBatch as ResolvedProcessOptions['processBatch']) : undefined,
    },
  };
}

/** With a `processModule`: its exports become the job's processor, filter and cache key (the caller's own `filter` and `cacheKey` come first). */
export async function withModule(options: ResolvedProcessOptions): Promise<{ options: ResolvedProcessOptions; module: ProcessModule | undefined }> {
  const { processModule } = options;
  if (!processModule) return { options, module: undefined };
  const module = await loadProcessModule(processModule);
  return {
    module,
    options: {
      ...options,
      process: module.process,
      processBatch: module.processBatch,
      filter: options.filterGiven ? options.filter : (module.filter ?? options.filter),
      filterGiven: options.filterGiven || module.filter !== undefined,
      cacheKey: options.cacheKey ?? module.cacheKey,
    },
  };
}
