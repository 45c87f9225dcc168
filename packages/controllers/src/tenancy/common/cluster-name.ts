/**
 * kcp's hashing of names (kcp-dev/apimachinery `pkg/util/crypto`): sha224, encoded as lowercase base36, with one
 * `0` prepended per leading zero byte of the digest (`BytesPad`). Logical cluster names are the first 16
 * characters of that encoding of 32 random bytes: 36^16 ≈ 2^82, so P(conflict) < 1e-9 for 2^26 clusters (kcp's
 * comment). The scheduler still survives a conflict: it drops the name and picks another (two-phase commit).
 */
import { createHash, randomBytes } from 'node:crypto';

/** Base36 of `bytes` read as a big-endian unsigned integer, one `0` per leading zero byte (Go's BytesPad). */
export function base36BytesPad(bytes: Uint8Array): string {
  let leadingZeros = 0;
  while (leadingZeros < bytes.length && bytes[leadingZeros] === 0) leadingZeros++;
  if (leadingZeros === bytes.length) return '0'.repeat(leadingZeros);
  const hex = Buffer.from(bytes.subarray(leadingZeros)).toString('hex');
  return '0'.repeat(leadingZeros) + BigInt(`0x${hex}`).toString(36);
}

/** kcp `Base36Sha224.BytesPad`. */
export function base36Sha224(input: Uint8Array | string): string {
  return base36BytesPad(createHash('sha224').update(input).digest());
}

/** Source of random bytes; injected so tests get deterministic cluster names. */
export type RandomBytes = (size: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (size) => randomBytes(size);

/** kcp `randomClusterName`: base36(sha224(32 random bytes))[:16]. */
export function randomClusterName(random: RandomBytes = cryptoRandomBytes): string {
  return base36Sha224(random(32)).slice(0, 16);
}

/** The deprecated `internal.tenancy.kcp.io/shard` value: base36(sha224(shard name))[:8]. */
export function shardNameHash(shardName: string): string {
  return base36Sha224(shardName).slice(0, 8);
}
