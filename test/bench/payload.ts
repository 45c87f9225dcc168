/**
 * The benchmark's write payload: a ConfigMap with 1 KiB of data as POSTed to the server, and the raw-etcd value of
 * the same size and shape (what an API server stores), so creates and raw puts move the same bytes.
 */
/** 1 KiB of data; a fixed pseudo-random alphabet string so no layer can cheat with run-length tricks. */
const PAYLOAD = (() => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let seed = 42;
  let out = '';
  for (let i = 0; i < 1024; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet.charAt(seed % alphabet.length);
  }
  return out;
})();

/** POST body of a ConfigMap; string-built because JSON.stringify per request would be load-generator overhead. */
export function configMapBody(name: string, ts?: string): string {
  const tsField = ts === undefined ? '' : `"ts":"${ts}",`;
  return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{${tsField}"payload":"${PAYLOAD}"}}`;
}

/** The raw-etcd value: the same 1 KiB payload in an object shaped like what an API server stores. */
export function rawValue(name: string, ts?: string): string {
  const tsField = ts === undefined ? '' : `"ts":"${ts}",`;
  return (
    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}","namespace":"default",` +
    `"uid":"00000000-0000-4000-8000-${String(name.length).padStart(12, '0')}","creationTimestamp":"2025-01-01T00:00:00Z"},` +
    `"data":{${tsField}"payload":"${PAYLOAD}"}}`
  );
}
