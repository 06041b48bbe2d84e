import { describe, expect, it } from 'vitest';
import { attachmentRefusal, humanSize, stagedFraction } from './attachment-limit';

const MIB = 1024 * 1024;

describe('attachmentRefusal', () => {
  it('refuses a file over the limit, saying the size, the limit and where to change it', () => {
    expect(attachmentRefusal('report.pdf', Math.round(31.2 * MIB), 25)).toBe(
      'report.pdf is 31.2 MiB; attachments can be at most 25 MiB (Settings → Attachment limit)',
    );
  });
  it('accepts a file exactly at the limit', () => {
    expect(attachmentRefusal('a.png', 25 * MIB, 25)).toBeNull();
    expect(attachmentRefusal('a.png', 25 * MIB + 1, 25)).not.toBeNull();
  });
  it('refuses an empty file', () => {
    expect(attachmentRefusal('empty.txt', 0, 25)).toMatch(/empty/);
  });
});

describe('humanSize', () => {
  it('words sizes like the backend', () => {
    expect(humanSize(512)).toBe('512 bytes');
    expect(humanSize(14 * 1024)).toBe('14 KiB');
    expect(humanSize(3 * MIB + MIB / 2)).toBe('3.5 MiB');
  });
});

describe('stagedFraction', () => {
  it('stays within 0 and 1', () => {
    expect(stagedFraction(0, 100)).toBe(0);
    expect(stagedFraction(50, 100)).toBe(0.5);
    expect(stagedFraction(150, 100)).toBe(1);
    expect(stagedFraction(0, 0)).toBe(1);
  });
});
