/**
 * Structured logging for controllers (DESIGN §9: structured JSON logs). Log keys are constants (style anchor §12)
 * and objects are rendered as `cluster|namespace/name`, so one grep finds every line about one object.
 *
 * The interface is tiny on purpose: the lead can adapt the server's logger to it at wiring time.
 */

export const LogKey = {
  controller: 'controller',
  key: 'key',
  cluster: 'cluster',
  namespace: 'namespace',
  name: 'name',
  informer: 'informer',
  election: 'election',
  identity: 'identity',
  step: 'step',
  error: 'error',
  requeues: 'requeues',
} as const;

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{controller: CONTROLLER_NAME}`). */
  child(fields: LogFields): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  /** Lines below this level are dropped. Default `info`. */
  readonly level?: LogLevel;
  /** Where lines go; default stderr (stdout is left to the CLI). */
  readonly write?: (line: string) => void;
  readonly fields?: LogFields;
  readonly now?: () => number;
}

/** Errors do not survive JSON.stringify (their fields are non-enumerable); render name, message and code. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const rendered: Record<string, unknown> = { name: value.name, message: value.message };
    if ('code' in value) rendered.code = value.code;
    return rendered;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** One JSON object per line: `{"time","level","msg",...fields}`. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const write =
    options.write ??
    ((line: string) => {
      process.stderr.write(`${line}\n`);
    });
  const now = options.now ?? Date.now;
  const base = options.fields ?? {};
  const log = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold) return;
    write(
      JSON.stringify({ time: new Date(now()).toISOString(), level, msg: message, ...base, ...fields }, errorReplacer),
    );
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => createJsonLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** Drops everything; the default in unit tests. */
export const nopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => nopLogger,
};

/** Narrow an unknown thrown value to a message without losing non-Error throws. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
