/**
 * OpenTelemetry tracing through the Node SDK, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard OTel
 * variable; the exporter reads it and OTEL_EXPORTER_OTLP_HEADERS itself). Spans are created through
 * @opentelemetry/api everywhere else, which is a no-op while no SDK is registered.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  shutdown(): Promise<void>;
}

export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined || endpoint === '') return undefined;
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName }),
    traceExporter: new OTLPTraceExporter(),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
