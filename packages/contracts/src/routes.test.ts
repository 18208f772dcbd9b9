import { EDGE_ROUTES, routeFor } from './routes.js';

describe('routeFor', () => {
  it.each([
    ['/register', 'auth'],
    ['/login/2fa', 'auth'],
    ['/token/refresh', 'auth'],
    ['/sessions/0b1c', 'auth'],
    ['/profile', 'users'],
    ['/user-data?x=1', 'users'],
    ['/admin', 'admin'],
    ['/admin/users/42', 'admin'],
    ['/openapi.json', 'auth'],
    ['/docs', 'auth'],
    ['/ws?access_token=abc', 'realtime'],
  ])('sends %s to %s', (path, service) => {
    expect(routeFor(path)?.service).toBe(service);
  });

  it('matches whole path segments only', () => {
    expect(routeFor('/admins')).toBeUndefined();
    expect(routeFor('/profiles')).toBeUndefined();
    expect(routeFor('/')).toBeUndefined();
  });

  it('marks only /ws and /graphql (subscriptions) as WebSocket routes', () => {
    expect(EDGE_ROUTES.filter((r) => r.websocket).map((r) => r.prefix)).toEqual(['/ws', '/graphql']);
  });
});
