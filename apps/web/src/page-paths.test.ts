import { describe, expect, it } from 'vitest';
import { routeFor } from '@platform/contracts';
import { conversationPath, PAGES } from './page-paths.js';

describe('the web app page paths', () => {
  it('never collide with an API path of the edge', () => {
    const pages = [...Object.values(PAGES).filter((p) => p !== '/'), conversationPath('global')];
    for (const page of pages) expect({ page, route: routeFor(page) }).toEqual({ page, route: undefined });
  });

  it('include every page a mailed link opens', () => {
    // The link paths of packages/db's AccountTokens.issueLink, as the mails carry them.
    const mailed = ['/verify-email', '/reset-password', '/revert-email', '/unlock-account'];
    expect(Object.values(PAGES)).toEqual(expect.arrayContaining(mailed));
  });
});
