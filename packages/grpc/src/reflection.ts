import {
  toBinary,
  type DescFile,
  type DescMessage,
  type DescService,
  type MessageInitShape,
} from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import {
  ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponseSchema,
} from '@platform/proto';

type Answer = MessageInitShape<typeof ServerReflectionResponseSchema>;
type Index = { files: Map<string, DescFile>; symbols: Map<string, DescFile> };

function indexMessage(message: DescMessage, file: DescFile, symbols: Map<string, DescFile>): void {
  symbols.set(message.typeName, file);
  for (const nested of message.nestedMessages) indexMessage(nested, file, symbols);
  for (const nested of message.nestedEnums) symbols.set(nested.typeName, file);
}

/** Every file the services are declared in and everything they import, and where each symbol lives. */
function indexOf(services: readonly DescService[]): Index {
  const files = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const visit = (file: DescFile): void => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const message of file.messages) indexMessage(message, file, symbols);
    for (const enumeration of file.enums) symbols.set(enumeration.typeName, file);
    for (const service of file.services) {
      symbols.set(service.typeName, file);
      for (const method of service.methods) symbols.set(`${service.typeName}.${method.name}`, file);
    }
    for (const dependency of file.dependencies) visit(dependency);
  };
  for (const service of services) visit(service.file);
  return { files, symbols };
}

/** The file and its imports, serialized, the file first (what grpcurl and buf curl expect). */
function withImports(file: DescFile): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  const add = (f: DescFile): void => {
    if (seen.has(f.proto.name)) return;
    seen.add(f.proto.name);
    out.push(toBinary(FileDescriptorProtoSchema, f.proto));
    for (const dependency of f.dependencies) add(dependency);
  };
  add(file);
  return out;
}

const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;

function answer(request: ServerReflectionRequest, served: readonly string[], index: Index): Answer {
  const files = (file: DescFile | undefined): Answer['messageResponse'] =>
    file === undefined
      ? { case: 'errorResponse', value: { errorCode: NOT_FOUND, errorMessage: 'not found' } }
      : { case: 'fileDescriptorResponse', value: { fileDescriptorProto: withImports(file) } };
  const asked = request.messageRequest;
  switch (asked.case) {
    case 'listServices':
      return {
        messageResponse: {
          case: 'listServicesResponse',
          value: { service: served.map((name) => ({ name })) },
        },
      };
    case 'fileByFilename':
      return { messageResponse: files(index.files.get(asked.value)) };
    case 'fileContainingSymbol':
      return { messageResponse: files(index.symbols.get(asked.value)) };
    default:
      // No extensions in our files: nothing to report for them.
      return {
        messageResponse: {
          case: 'errorResponse',
          value: { errorCode: UNIMPLEMENTED, errorMessage: 'not supported' },
        },
      };
  }
}

/**
 * gRPC server reflection (grpc.reflection.v1) for the services registered on `router` so far, so
 * grpcurl, buf curl or Postman can list and call them without the .proto files. Development only
 * (startGrpcServer's `reflection`): in production the schema is the repository's, not the server's.
 */
export function registerReflection(router: ConnectRouter): void {
  const services = [...new Map(router.handlers.map((h) => [h.service.typeName, h.service])).values()];
  const served = [...services.map((service) => service.typeName), ServerReflection.typeName];
  const index = indexOf([...services, ServerReflection]);
  router.service(ServerReflection, {
    async *serverReflectionInfo(requests: AsyncIterable<ServerReflectionRequest>) {
      for await (const request of requests) {
        const response: Answer = { ...answer(request, served, index), originalRequest: request };
        yield response;
      }
    },
  });
}
