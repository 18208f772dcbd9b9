import { describe, expect, it } from 'vitest';
import { initialsOf } from '../components/avatar.js';
import { kindOf, sizeOf } from './media-format.js';

describe('how files and people are shown', () => {
  it('names sizes as people read them', () => {
    expect(sizeOf(16)).toBe('16 byte');
    expect(sizeOf(1_400_000)).toBe('1.4 MB');
  });

  it('shows pictures, players or a download by type', () => {
    expect(
      ['image/webp', 'audio/ogg', 'video/mp4', 'application/pdf'].map((mime) => kindOf({ mime })),
    ).toEqual(['image', 'audio', 'video', 'file']);
  });

  it('takes up to two initials of a name, whole characters, for the fallback avatar', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('  grace  ')).toBe('G');
    expect(initialsOf('Jean Baptiste Joseph Fourier')).toBe('JF');
    expect(initialsOf('😀 Smile')).toBe('😀S');
    expect(initialsOf('')).toBe('?');
  });
});
