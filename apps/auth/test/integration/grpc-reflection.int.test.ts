import { fromBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { createGrpcClient, type GrpcServer } from '@platform/grpc';
import { AuthService, ServerReflection } from '@platform/proto';
import type { ServerReflectionRequestSchema } from '@platform/proto';
import { startServiceGrpc } from '@platform/runtime';
import type { TestEnvironment, TestService } from '@platform/testkit';
import { createGrpcRoutes } from '../../src/app.js';
import type { AuthConfig } from '../../src/config.js';
import { startAuth } from './harness.js';

type Ask = MessageInitShape<typeof ServerReflectionRequestSchema>;

let env: TestEnvironment;
let auth: TestService<AuthConfig>;
const servers: GrpcServer[] = [];

beforeAll(async () => {
  ({ env, auth } = await startAuth());
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await env.close();
});

async function serve(nodeEnv: AuthConfig['NODE_ENV']): Promise<string> {
  const config = { ...auth.config, GRPC_PORT: 0, NODE_ENV: nodeEnv };
  const server = await startServiceGrpc(
    auth.resources,
    config,
    createGrpcRoutes({ ...auth.resources, config }),
  );
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

/** One reflection stream with `asks`, without a token (reflection is open, like health). */
async function reflect(url: string, asks: Ask[]) {
  const client = createGrpcClient(ServerReflection, { url, timeoutMs: 3000 });
  async function* requests() {
    for (const ask of asks) yield ask;
  }
  const answers = [];
  for await (const answer of client.serverReflectionInfo(requests())) answers.push(answer);
  return answers;
}

describe('gRPC server reflection', () => {
  it('lists the services and describes them in development, to grpcurl and buf curl alike', async () => {
    const url = await serve('development');
    const [listed, described] = await reflect(url, [
      { messageRequest: { case: 'listServices', value: '*' } },
      { messageRequest: { case: 'fileContainingSymbol', value: `${AuthService.typeName}.GetSession` } },
    ]);
    const names =
      listed?.messageResponse.case === 'listServicesResponse'
        ? listed.messageResponse.value.service.map((s) => s.name)
        : [];
    expect(names).toEqual(
      expect.arrayContaining([AuthService.typeName, 'grpc.health.v1.Health', ServerReflection.typeName]),
    );
    if (described?.messageResponse.case !== 'fileDescriptorResponse') throw new Error('no descriptor');
    const files = described.messageResponse.value.fileDescriptorProto.map((bytes) =>
      fromBinary(FileDescriptorProtoSchema, bytes),
    );
    expect(files[0]?.name).toBe('platform/auth/v1/auth.proto');
    expect(files.map((file) => file.name)).toContain('google/protobuf/timestamp.proto');
    expect(files[0]?.service[0]?.method.map((m) => m.name)).toContain('VerifyToken');
  });

  it('is not served with NODE_ENV=production (UNIMPLEMENTED)', async () => {
    const url = await serve('production');
    const refused = await reflect(url, [{ messageRequest: { case: 'listServices', value: '*' } }]).catch(
      (error: unknown) => error,
    );
    expect(ConnectError.from(refused).code).toBe(Code.Unimplemented);
  });
});
