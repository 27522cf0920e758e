/**
 * How a call picks among the endpoints that can take it (`endpointStrategy`).
 */
import type { EndpointStrategy } from './endpoint-options.js';
import type { Endpoint } from './endpoint.js';

export class EndpointPicker {
  /** Round-robin's (and least-busy's ties') next place in the list. */
  private cursor = 0;

  constructor(
    private readonly strategy: EndpointStrategy,
    private readonly count: number,
  ) {}

  /** One of `ready` (not empty, in list order). */
  pick(ready: readonly Endpoint[]): Endpoint {
    const chosen = this.strategy === 'weighted' ? smoothWeighted(ready) : this.strategy === 'least-busy' ? this.leastBusy(ready) : this.inTurn(ready);
    this.cursor = (chosen.index + 1) % this.count;
    return chosen;
  }

  /** The first at or after the cursor, in list order around. */
  private inTurn(ready: readonly Endpoint[]): Endpoint {
    return ready.find((endpoint) => endpoint.index >= this.cursor) ?? ready[0]!;
  }

  /** The fewest calls in flight for its `maxConcurrency` (one slot when it has none); ties in turn. */
  private leastBusy(ready: readonly Endpoint[]): Endpoint {
    const load = (endpoint: Endpoint): number => endpoint.inFlight / (Number.isFinite(endpoint.options.maxConcurrency) ? endpoint.options.maxConcurrency : 1);
    const least = Math.min(...ready.map(load));
    return this.inTurn(ready.filter((endpoint) => load(endpoint) === least));
  }
}

/** nginx's smooth weighted round-robin: each adds its weight, the heaviest is picked and gives back the total. Spreads calls in proportion, interleaved. */
function smoothWeighted(ready: readonly Endpoint[]): Endpoint {
  let total = 0;
  let best = ready[0]!;
  for (const endpoint of ready) {
    endpoint.currentWeight += endpoint.options.weight;
    total += endpoint.options.weight;
    if (endpoint.currentWeight > best.currentWeight) best = endpoint;
  }
  best.currentWeight -= total;
  return best;
}
