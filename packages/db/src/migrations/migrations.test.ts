import { readdirSync } from 'node:fs';
import { migrationsList } from './index.js';

/** `20261206-account-security.ts` -> `Migration20261206AccountSecurity`, the naming every migration follows. */
function expectedName(file: string): string {
  const [date = '', ...words] = file.replace(/\.ts$/, '').split('-');
  const topic = words.map((w) => (w === 'oauth' ? 'OAuth' : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  return `Migration${date}${topic}`;
}

const files = readdirSync(import.meta.dirname).filter((f) => /^\d{8}-[a-z0-9-]+\.ts$/.test(f));

describe('the migration history', () => {
  it('lists every migration file exactly once, so a new one cannot be forgotten', () => {
    const listed = migrationsList.map((m) => m.name);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(files.map(expectedName).sort());
  });

  it('names each entry after its class, and runs them in date order', () => {
    for (const entry of migrationsList) {
      expect(typeof entry.class === 'function' && entry.class.name).toBe(entry.name);
    }
    const dates = migrationsList.map((m) => m.name.slice('Migration'.length, 'Migration'.length + 8));
    expect(dates).toEqual([...dates].sort());
  });
});
