import { describe, expect, it } from 'vitest';
import { idOf, isUuid, uuidsOnly } from './ids.js';

describe('ids', () => {
  it('recognise UUIDs of any version, nothing else', () => {
    expect(isUuid('00000000-0000-0000-0000-000000000001')).toBe(true);
    expect(isUuid('0190a000-0000-7000-8000-000000000001')).toBe(true);
    expect(isUuid('1')).toBe(false);
    expect(isUuid('0190a000-0000-7000-8000-000000000001x')).toBe(false);
    expect(uuidsOnly(['x', '00000000-0000-0000-0000-000000000001'])).toEqual([
      '00000000-0000-0000-0000-000000000001',
    ]);
    expect(idOf('an organization').safeParse('nope').success).toBe(false);
  });
});
