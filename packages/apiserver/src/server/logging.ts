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
  error: 'error',
} as const;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function errorFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { message: v.message, name: v.name, stack: v.stack } : v;
  }
  return out;
}

export function createLogger(
  options: { level?: LogLevel; base?: Record<string, unknown>; write?: (line: string, level: LogLevel) => void } = {},
): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const base = options.base ?? {};
  const write =
    options.write ??
    ((line: string, level: LogLevel) => {
      (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
    });
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    write(
      JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...(fields && errorFields(fields)) }),
      level,
    );
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}
