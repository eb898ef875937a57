import assert from 'node:assert/strict';
import { MAX_PAGE_SIZE, pageRange } from '../../../src/core/review/paging';

describe('pageRange', () => {
  it('returns the requested slice, clamped to the list', () => {
    assert.deepEqual(pageRange(100_000, 0, 50), { start: 0, end: 50 });
    assert.deepEqual(pageRange(100_000, 99_990, 50), { start: 99_990, end: 100_000 });
    assert.deepEqual(pageRange(10, 20, 5), { start: 10, end: 10 });
    assert.deepEqual(pageRange(0, 0, 5), { start: 0, end: 0 });
  });
  it('never returns more than a page, whatever is asked', () => {
    assert.deepEqual(pageRange(100_000, 0, 1e9), { start: 0, end: MAX_PAGE_SIZE });
    assert.deepEqual(pageRange(100, -5, NaN), { start: 0, end: 0 });
    assert.deepEqual(pageRange(100, 2.7, 3.9), { start: 2, end: 5 });
  });
});
