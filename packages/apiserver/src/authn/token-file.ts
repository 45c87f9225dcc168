/**
 * kube's static token file (`--token-auth-file`, k8s.io/apiserver pkg/authentication/token/tokenfile): CSV lines
 * `token,user,uid[,"group1,group2"]` read with Go's encoding/csv rules (quoted fields, `""` escapes, no bare quotes,
 * blank lines skipped). Fewer than three columns makes the whole file invalid; an empty token is skipped and a
 * repeated token takes the later line's user, as in kube.
 */
import { hash } from 'node:crypto';
import type { UserInfo } from '../registry/registry.ts';
import type { TokenAuthenticator } from './request.ts';

export interface TokenFileEntry {
  readonly token: string;
  readonly user: UserInfo;
}

/** Go's encoding/csv with FieldsPerRecord = -1: records of any width, errors name the line they start on. */
function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  const src = text.replace(/\r\n/g, '\n');
  let i = 0;
  let line = 1;
  while (i < src.length) {
    if (src[i] === '\n') {
      // Go's reader skips empty lines.
      i++;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (src[i] === '"') {
        i++;
        for (;;) {
          if (i >= src.length) throw new Error(`line ${start}: extraneous or missing " in quoted-field`);
          const c = src[i] ?? '';
          if (c === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < src.length && src[i] !== ',' && src[i] !== '\n') {
          throw new Error(`line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < src.length && src[i] !== ',' && src[i] !== '\n') {
          if (src[i] === '"') throw new Error(`line ${line}: bare " in non-quoted-field`);
          field += src[i] ?? '';
          i++;
        }
      }
      fields.push(field);
      if (src[i] === ',') {
        i++;
        continue;
      }
      // End of record: a newline or the end of the text.
      if (src[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    records.push({ line: start, fields });
  }
  return records;
}

/** The entries of a token file, in file order; throws an Error naming the line for an unusable file. */
export function parseTokenFile(contents: string): TokenFileEntry[] {
  const entries: TokenFileEntry[] = [];
  for (const { line, fields } of parseCsv(contents)) {
    const [token = '', username = '', uid = '', groups] = fields;
    if (fields.length < 3) {
      throw new Error(
        `token file line ${line}: must have at least 3 columns (token, user name, user uid), found ${fields.length}`,
      );
    }
    if (token === '') continue;
    // Empty names (from `""` or a trailing comma) would be a group nobody can be bound to by name; dropped.
    const groupList = groups === undefined ? [] : groups.split(',').filter((g) => g !== '');
    entries.push({ token, user: { username, ...(uid !== '' && { uid }), groups: groupList } });
  }
  return entries;
}

/** One-shot hashing: this runs on every token-authenticated request. */
function digest(token: string): string {
  return hash('sha256', token, 'hex');
}

export class TokenFileAuthenticator implements TokenAuthenticator {
  /**
   * Keyed by the token's sha256: a lookup compares digests, never the secret itself, so response timing says
   * nothing about how much of a guessed token was right (kube compares in constant time for the same reason).
   */
  readonly #users = new Map<string, UserInfo>();

  constructor(contents: string) {
    for (const { token, user } of parseTokenFile(contents)) this.#users.set(digest(token), user);
  }

  /** The file's user, or no opinion: an unknown token may still be some other authenticator's. */
  authenticateToken(token: string): UserInfo | undefined {
    return this.#users.get(digest(token));
  }
}
