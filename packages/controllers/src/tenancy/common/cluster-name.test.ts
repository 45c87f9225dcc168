import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isValidSegment } from '@kcp-ts/apimachinery';
import { base36BytesPad, base36Sha224, randomClusterName, shardNameHash } from './cluster-name.ts';

describe('kcp name hashing', () => {
  // The vectors of kcp-dev/apimachinery pkg/util/crypto hasher_test.go (TestHasherBytesPad).
  const vectors = [
    { name: 'empty', input: '', want: '2n6a5vwpk9ckyxi5x87i7768t4bpqmp64qi0556ih35b' },
    { name: 'hello', input: 'hello', want: '2yfg0ibsewngbzapgs5fesiord507vsncfiw4jd5c2oj' },
    { name: 'leading zero byte', input: 'input50', want: '04xtfzmllsov5334t8xolbc31qfgtl44oza013n6uzk' },
  ];
  for (const { name, input, want } of vectors) {
    it(`base36(sha224) with padding: ${name}`, () => {
      assert.equal(base36Sha224(input), want);
    });
  }

  it('pads one 0 per leading zero byte, and encodes all-zero input as zeros', () => {
    assert.equal(base36BytesPad(Uint8Array.of(0, 0, 35)), '00z');
    assert.equal(base36BytesPad(Uint8Array.of(0, 0)), '00');
    assert.equal(base36BytesPad(Uint8Array.of(1, 0)), '74');
  });

  it('cluster names are 16 base36 characters derived from the injected randomness', () => {
    const fixed = (size: number): Uint8Array => new Uint8Array(size).fill(7);
    const name = randomClusterName(fixed);
    assert.equal(name.length, 16);
    assert.match(name, /^[0-9a-z]{16}$/);
    assert.ok(isValidSegment(name));
    assert.equal(randomClusterName(fixed), name, 'same bytes, same name');
    assert.notEqual(randomClusterName(), randomClusterName(), 'real randomness differs');
  });

  it('shard hashes are 8 characters', () => {
    assert.equal(shardNameHash('root'), base36Sha224('root').slice(0, 8));
    assert.equal(shardNameHash('root').length, 8);
  });
});
