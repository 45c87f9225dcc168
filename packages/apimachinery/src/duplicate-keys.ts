/**
 * Duplicate JSON object keys. JSON.parse silently keeps the last one; kube's strict decoder reports them
 * (`strict decoding error: duplicate field "data"`) under fieldValidation=Strict and warns under Warn. This scanner
 * runs over text that JSON.parse already accepted, so it only tracks structure, never validates.
 */

interface Frame {
  readonly kind: 'object' | 'array';
  readonly path: string;
  readonly keys: Set<string>;
  index: number;
  /** The key just read in an object, whose value comes next. */
  pendingKey: string | undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Paths (`data`, `metadata.labels.app`, `rules[0].verbs`) of every duplicated key, in order of appearance. */
export function findDuplicateJsonKeys(text: string): string[] {
  const found: string[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === 'object') {
        const raw = text.slice(start, i + 1);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(key)) found.push(join(top.path, key));
        else top.keys.add(key);
        top.pendingKey = key;
        expectKey = false;
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = stack[stack.length - 1];
      let path = '';
      if (parent?.kind === 'object') path = join(parent.path, parent.pendingKey ?? '');
      else if (parent?.kind === 'array') path = `${parent.path}[${parent.index}]`;
      stack.push({ kind: c === 0x7b ? 'object' : 'array', path, keys: new Set(), index: 0, pendingKey: undefined });
      expectKey = c === 0x7b;
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      continue;
    }
    if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') expectKey = true;
      else if (top) top.index++;
    }
  }
  return found;
}
