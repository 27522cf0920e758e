/**
 * A processor given as a module (`processModule`): what it exports, loaded on the thread
 * that calls it (a worker thread with `threads`, else this one). A function cannot cross
 * threads; a module's URL can.
 */
import { isDeepStrictEqual } from 'node:util';
import { importModule } from '../cjs.js';
import { XliffError } from '../errors.js';
import { libraryModule } from '../io/library-install.js';
import type { Unit } from '../model.js';
import type { BatchProcessor, BuiltInProcessModule, UnitProcessor } from '../options.js';

/** What a processor module exports (by name, or as properties of its default export). */
export interface ProcessModule {
  readonly process?: UnitProcessor | undefined;
  readonly processBatch?: BatchProcessor | undefined;
  readonly filter?: ((unit: Unit) => boolean) | undefined;
  readonly cacheKey?: ((unit: Unit) => string) | undefined;
  /** Awaited once per job on each thread that calls the module, before any call, with `processModuleData`. */
  readonly setup?: ((data: unknown) => unknown) | undefined;
}

const NAMES = ['process', 'processBatch', 'filter', 'cacheKey', 'setup'] as const;

/**
 * The library's own processor modules, by name (`processModule: 'xliff-stream:pseudo'`): each
 * thread, and each machine of a queue, imports its own install's, wherever that is; a name
 * also keeps a range job's id the same whatever the coordinator's install path.
 */
const BUILT_IN: Readonly<Record<BuiltInProcessModule, { readonly file: string; readonly per: 'unit' | 'segment' }>> = {
  'xliff-stream:pseudo': { file: '../pseudo-module.js', per: 'segment' },
};

/** The built-in module names, for errors. */
export const BUILT_IN_MODULES: readonly string[] = Object.keys(BUILT_IN);

/** The built-in module of that name, if there is one. */
function builtIn(name: string): { readonly file: string; readonly per: 'unit' | 'segment' } | undefined {
  return Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name as BuiltInProcessModule] : undefined;
}

/** What the built-in module of that name is called with (`per`), if it is one. */
export function builtInPer(name: string): 'unit' | 'segment' | undefined {
  return builtIn(name)?.per;
}

/** Whether `processModule` names a built-in module (`xliff-stream:...`) rather than giving a path or URL. */
export function isBuiltInName(value: string): boolean {
  return value.startsWith('xliff-stream:');
}

/** Imports the module at `href` (or the built-in module of that name) and checks its exports; fails with `XLIFF_PROCESS`. */
export async function loadProcessModule(href: string): Promise<ProcessModule> {
  let namespace: Record<string, unknown>;
  try {
    const named = builtIn(href);
    if (!named && isBuiltInName(href)) throw new Error(`no built-in module has that name (${BUILT_IN_MODULES.join(', ')})`);
    namespace = await importModule(named ? libraryModule(new URL(named.file, import.meta.url)).href : href);
  } catch (error) {
    throw new XliffError('XLIFF_PROCESS', `the processModule ${href} cannot be loaded: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  const exported = hasAny(namespace) ? namespace : (namespace.default as Record<string, unknown> | undefined);
  const found: Record<string, unknown> = {};
  for (const name of NAMES) {
    const value = exported?.[name];
    if (value === undefined) continue;
    if (typeof value !== 'function') throw new XliffError('XLIFF_PROCESS', `the processModule ${href} exports \`${name}\` as ${typeof value}, not a function`);
    found[name] = value;
  }
  const module = found as ProcessModule;
  if (!module.process === !module.processBatch) {
    throw new XliffError('XLIFF_PROCESS', `the processModule ${href} must export one of \`process\` and \`processBatch\`, ${module.process ? 'got both' : 'got neither'}`);
  }
  return module;
}

/**
 * The modules set up on this thread for ranges, and with what data: a worker thread serves
 * one job, but a queue's worker serves the jobs of several coordinators, one range at a time,
 * whose data may differ.
 */
const setUpForRanges = new Map<string, { readonly data: unknown; readonly done: Promise<void> }>();

/**
 * Runs the module's `setup` with `data`, if it has one; fails with `XLIFF_PROCESS`. `perThread`
 * (ranges): once on this thread for the same data, again when the data changes.
 */
export function setUpProcessModule(module: ProcessModule, href: string, data: unknown, perThread = false): Promise<void> {
  if (!perThread) return setUp(module, href, data);
  // Compared as data (each task brings its own copy): JSON would throw on a BigInt and call two Maps equal.
  let last = setUpForRanges.get(href);
  if (!last || !isDeepStrictEqual(last.data, data)) setUpForRanges.set(href, (last = { data, done: setUp(module, href, data) }));
  return last.done;
}

async function setUp(module: ProcessModule, href: string, data: unknown): Promise<void> {
  try {
    await module.setup?.(data);
  } catch (error) {
    throw new XliffError('XLIFF_PROCESS', `the processModule ${href} failed in setup: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

function hasAny(namespace: Record<string, unknown>): boolean {
  return NAMES.some((name) => namespace[name] !== undefined);
}
