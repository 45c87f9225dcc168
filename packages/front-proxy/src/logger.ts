/**
 * Structured JSON logs, one object per line. The front proxy sits beside the apiserver in the layering (it may
 * only import apimachinery), so it carries its own tiny logger; the interface is a structural subset of the
 * apiserver's Logger, so the CLI can hand the same logger to both.
 */
export interface ProxyLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type ProxyLogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<ProxyLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Log keys shared by every proxy log line, so lines stay greppable. */
export const ProxyLogKey = {
  shard: 'shard',
  cluster: 'cluster',
  path: 'path',
  url: 'url',
  error: 'error',
} as const;

function render(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    // Errors serialize to `{}` with JSON.stringify; keep what an operator needs to act on.
    out[k] = v instanceof Error ? { message: v.message, name: v.name, ...('code' in v ? { code: v.code } : {}) } : v;
  }
  return out;
}

export function createProxyLogger(
  options: { level?: ProxyLogLevel; base?: Record<string, unknown>; write?: (line: string) => void } = {},
): ProxyLogger {
  const min = LEVELS[options.level ?? 'info'];
  const base = { component: 'front-proxy', ...options.base };
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const log = (level: ProxyLogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[level] < min) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...(fields && render(fields)) }));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** For tests and embedders that want silence. */
export const silentLogger: ProxyLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
