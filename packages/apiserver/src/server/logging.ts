/**
 * Structured JSON logs, one object per line on stdout (stderr for errors). Keys are constants so logs stay
 * greppable across components (style anchor §12).
 */
export const LogKey = {
  cluster: 'cluster',
  namespace: 'namespace',
  name: 'name',
  resource: 'resource',
  verb: 'verb',
  controller: 'controller',
  key: 'key',
  informer: 'informer',
  election: 'election',
  identity: 'identity',
  step: 'step',
  requeues: 'requeues',
  error: 'error',
} as const;

export type LogFields = Readonly<Record<string, unknown>>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{controller: CONTROLLER_NAME}`). */
  child(fields: LogFields): Logger;
}

/** Errors do not survive JSON.stringify (their fields are non-enumerable); render name, message, code and stack. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const rendered: Record<string, unknown> = { name: value.name, message: value.message };
    if ('code' in value) rendered.code = value.code;
    if (value.stack !== undefined) rendered.stack = value.stack;
    return rendered;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export interface LoggerOptions {
  /** Lines below this level are dropped. Default `info`. */
  level?: LogLevel;
  /** Fields on every line. */
  base?: LogFields;
  /** Where lines go; default stdout, stderr for errors. */
  write?: (line: string, level: LogLevel) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const base = options.base ?? {};
  const write =
    options.write ??
    ((line: string, level: LogLevel) => {
      (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
    });
  const log = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (LEVELS[level] < min) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...fields }, errorReplacer), level);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** Drops everything; the default in unit tests and for components nobody wired a logger into. */
export const nopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => nopLogger,
};

/** Narrows an unknown thrown value to a message without losing non-Error throws. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
