import { describe, expect, it } from 'vitest';
import { restartDelayMs } from './workers.js';

describe('restartDelayMs', () => {
  it('a second, doubling for each recent restart (a crash loop), at most 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});
