/**
 * Controllers log through the server's structured JSON logger (one implementation for every component of a
 * shard). Log keys are constants (style anchor §12) and objects are rendered as `cluster|namespace/name`.
 */
export {
  LogKey,
  createLogger as createJsonLogger,
  errorMessage,
  nopLogger,
  type LogFields,
  type LogLevel,
  type Logger,
  type LoggerOptions as JsonLoggerOptions,
} from '@kcp-ts/apiserver';
