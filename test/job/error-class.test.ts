import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError } from '../../src/errors.js';
import { classifyError, httpStatus } from '../../src/job/error-class.js';

const withFields = (message: string, fields: Record<string, unknown>): Error => Object.assign(new Error(message), fields);

test('classifyError: HTTP statuses as fetch, Node, axios and the AWS SDK carry them', () => {
  const cases: [unknown, string][] = [
    [withFields('Too Many Requests', { status: 429 }), 'rateLimit'],
    [withFields('x', { statusCode: 429, retryAfterMs: 1000 }), 'rateLimit'],
    [withFields('x', { response: { status: 429 } }), 'rateLimit'],
    [withFields('x', { $metadata: { httpStatusCode: 429 } }), 'rateLimit'],
    [withFields('Request Timeout', { status: 408 }), 'network'],
    [withFields('Internal Server Error', { status: 500 }), 'server'],
    [withFields('Service Unavailable', { statusCode: 503, retryAfterMs: 2000 }), 'server'],
    [withFields('x', { response: { status: 599 } }), 'server'],
    [withFields('Bad Request', { status: 400 }), 'client'],
    [withFields('Unauthorized', { statusCode: 401 }), 'client'],
    [withFields('Not Found', { response: { status: 404 } }), 'client'],
  ];
  for (const [error, expected] of cases) assert.equal(classifyError(error), expected, (error as Error).message);
});

test('classifyError: timeouts and connections that failed are network errors, through causes', () => {
  const fetchFailed = new TypeError('fetch failed', { cause: withFields('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }) });
  const undici = new TypeError('fetch failed', { cause: withFields('Connect Timeout Error', { code: 'UND_ERR_CONNECT_TIMEOUT' }) });
  const cases: [unknown, string][] = [
    [new XliffError('XLIFF_TIMEOUT', 'the processor did not finish within 10 ms'), 'network'],
    [withFields('socket hang up', { code: 'ECONNRESET' }), 'network'],
    [withFields('x', { code: 'ETIMEDOUT' }), 'network'],
    [withFields('getaddrinfo EAI_AGAIN', { code: 'EAI_AGAIN' }), 'network'],
    [fetchFailed, 'network'],
    [undici, 'network'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'network'],
    [new TypeError('fetch failed'), 'network'],
  ];
  for (const [error, expected] of cases) assert.equal(classifyError(error), expected, String(error));
});

test('classifyError: bad updates, rate limits without a status, and everything else', () => {
  assert.equal(classifyError(new XliffError('XLIFF_BAD_UPDATE', 'no target')), 'badUpdate');
  assert.equal(classifyError(withFields('slow down', { retryAfterMs: 500 })), 'rateLimit');
  assert.equal(classifyError(new Error('boom')), 'other');
  assert.equal(classifyError(new TypeError('x is not a function')), 'other', 'a TypeError of a bug is not a network error');
  assert.equal(classifyError(withFields('x', { code: 'ENOENT' })), 'other');
  assert.equal(classifyError('a string'), 'other');
  assert.equal(classifyError(null), 'other');
  assert.equal(classifyError(withFields('x', { status: 'teapot' })), 'other', 'a status that is not a number is not one');
  assert.equal(classifyError(withFields('x', { status: 42 })), 'other');
});

test('classifyError: the user classify is asked first; undefined lets the library decide', () => {
  const quota = withFields('quota exceeded', { status: 403 });
  const classify = (error: unknown) => ((error as Error).message.includes('quota') ? ('rateLimit' as const) : undefined);
  assert.equal(classifyError(quota, classify), 'rateLimit');
  assert.equal(classifyError(withFields('forbidden', { status: 403 }), classify), 'client');
});

test('httpStatus: the first whole status in range', () => {
  assert.equal(httpStatus({ status: 502 }), 502);
  assert.equal(httpStatus({ status: 99, statusCode: 404 }), 404);
  assert.equal(httpStatus({ status: 500.5 }), undefined);
  assert.equal(httpStatus(undefined), undefined);
});
