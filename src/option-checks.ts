/**
 * The checks every option goes through: the type and range expected, and a message that
 * says what was expected and what was given ("Expected `x` to be ..., got ...").
 */
import { describe } from './errors.js';
import type { RateLimitOptions } from './options.js';

/** A whole number from `min` up; `fallback` when not given (none: the option is required). `alsoAllowed` is said in both messages. */
export function wholeNumber(name: string, value: unknown, min: number, fallback?: number, alsoAllowed = ''): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number from ${min} and up${alsoAllowed}, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`Expected \`${name}\` to be a whole number from ${min} and up${alsoAllowed}, got ${value}`);
  return value;
}

/** A finite number from `min` up. */
export function finiteNumber(name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number from ${min} and up, got ${describe(value)}`);
  if (!(value >= min) || !Number.isFinite(value)) throw new RangeError(`Expected \`${name}\` to be a finite number from ${min} and up, got ${value}`);
  return value;
}

export function optionalFunction<F>(name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  return value;
}

export function optionalString(name: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`Expected \`${name}\` to be a string, got ${describe(value)}`);
  return value;
}

export function object(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object') throw new TypeError(`Expected \`${name}\` to be an object, got ${describe(value)}`);
}

/** `rateLimit`: `{ limit, intervalMs }`, both required. */
export function normalizeRateLimit(option: RateLimitOptions, name: string): RateLimitOptions {
  if (option === null || typeof option !== 'object') throw new TypeError(`Expected \`${name}\` to be an object { limit, intervalMs }, got ${describe(option)}`);
  const limit = wholeNumber(`${name}.limit`, option.limit, 1);
  const { intervalMs } = option;
  if (typeof intervalMs !== 'number') throw new TypeError(`Expected \`${name}.intervalMs\` to be a number above 0, got ${describe(intervalMs)}`);
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) throw new RangeError(`Expected \`${name}.intervalMs\` to be a finite number above 0, got ${intervalMs}`);
  return { limit, intervalMs };
}
