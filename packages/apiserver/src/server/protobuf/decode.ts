// PLACEHOLDER written by the lead so the server starts; the protobuf helper replaces this file entirely.
import { errors } from '@kcp-ts/apimachinery';

export function decodeKubernetesProtobuf(body: Uint8Array): unknown {
  throw errors.unsupportedMediaType(`protobuf bodies are not supported yet (${body.length} bytes)`);
}
