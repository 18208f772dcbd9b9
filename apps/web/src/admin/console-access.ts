import type { Role } from '../sdk.js';

/**
 * Who may open the console at all: admins, and managers (who read the directory only). Apart from the
 * console so the navigation can ask without loading the console's chunk.
 */
export function mayOpenConsole(role: Role): boolean {
  return role === 'admin' || role === 'manager';
}
