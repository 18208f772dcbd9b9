import {
  createRouterTransport,
  createClient,
  Code,
  ConnectError,
  type StreamResponse,
} from '@connectrpc/connect';
import { Registry } from 'prom-client';
import { UsersService } from '@platform/proto';
import { metricsInterceptor, observeEnd } from './metrics.js';

describe('gRPC metrics', () => {
  it('uses the Prometheus gRPC names and labels on both sides', async () => {
    const registry = new Registry();
    const transport = createRouterTransport(
      (router) =>
        router.service(UsersService, {
          getUsers: () => ({ users: [] }),
          getUser: () => {
            throw new ConnectError('no such user', Code.NotFound);
          },
        }),
      {
        router: { interceptors: [metricsInterceptor(registry, 'server')] },
        transport: { interceptors: [metricsInterceptor(registry, 'client')] },
      },
    );
    const client = createClient(UsersService, transport);
    await client.getUsers({ ids: [] });
    await expect(client.getUser({ id: 'x' })).rejects.toThrow('no such user');

    const text = await registry.metrics();
    const labels = 'grpc_type="unary",grpc_service="platform.users.v1.UsersService"';
    for (const side of ['server', 'client']) {
      expect(text).toContain(`grpc_${side}_started_total{${labels},grpc_method="GetUsers"} 1`);
      expect(text).toContain(`grpc_${side}_handled_total{${labels},grpc_method="GetUsers",grpc_code="OK"} 1`);
      expect(text).toContain(
        `grpc_${side}_handled_total{${labels},grpc_method="GetUser",grpc_code="NotFound"} 1`,
      );
      expect(text).toContain(`grpc_${side}_handling_seconds_count{${labels},grpc_method="GetUser"} 1`);
    }
  });

  it('counts a stream its reader abandons as CANCELLED, once', async () => {
    const ends: unknown[] = [];
    async function* three() {
      yield 1;
      yield 2;
      yield 3;
    }
    const res = { stream: true, message: three() } as unknown as StreamResponse;
    for await (const first of observeEnd(res, (error) => ends.push(error))) if (first) break;
    expect(ends.map((error) => (error === undefined ? 'OK' : ConnectError.from(error).code))).toEqual([
      Code.Canceled,
    ]);
  });
});
