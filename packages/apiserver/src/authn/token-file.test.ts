/**
 * kube's token file: CSV lines with Go's quoting rules, optional quoted group lists, kube's column minimum, skipped
 * empty tokens, later duplicates winning; lookups answer the line's user or no opinion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenFileAuthenticator, parseTokenFile } from './token-file.ts';

describe('token file parsing', () => {
  it('reads token, user, uid and a quoted comma-separated group list', () => {
    const entries = parseTokenFile(
      [
        'admin-token,admin,uid-1,"system:kcp:admin,system:masters"',
        'plain-token,plain,uid-2,dev',
        'no-groups,nogroups,uid-3',
        'no-uid,nouid,',
      ].join('\n'),
    );
    assert.deepEqual(entries, [
      {
        token: 'admin-token',
        user: { username: 'admin', uid: 'uid-1', groups: ['system:kcp:admin', 'system:masters'] },
      },
      { token: 'plain-token', user: { username: 'plain', uid: 'uid-2', groups: ['dev'] } },
      { token: 'no-groups', user: { username: 'nogroups', uid: 'uid-3', groups: [] } },
      { token: 'no-uid', user: { username: 'nouid', groups: [] } },
    ]);
  });

  it('follows Go csv: CRLF, blank lines, "" escapes and quoted newlines', () => {
    const entries = parseTokenFile('\r\n"t,1","say ""hi""",u1\r\n\r\nt2,"two\nlines",u2\n');
    assert.deepEqual(
      entries.map((e) => [e.token, e.user.username]),
      [
        ['t,1', 'say "hi"'],
        ['t2', 'two\nlines'],
      ],
    );
  });

  it('skips empty tokens and lets a repeated token take the later user', () => {
    const auth = new TokenFileAuthenticator(',ghost,u0\nsame,first,u1\nsame,second,u2\n');
    assert.equal(auth.authenticateToken('')?.username, undefined);
    assert.equal(auth.authenticateToken('same')?.username, 'second');
  });

  it('rejects lines with fewer than three columns and malformed quoting, naming the line', () => {
    assert.throws(
      () => parseTokenFile('ok,user,uid\nshort,user\n'),
      /line 2: must have at least 3 columns \(token, user name, user uid\), found 2/,
    );
    assert.throws(() => parseTokenFile('tok"en,user,uid'), /line 1: bare " in non-quoted-field/);
    assert.throws(() => parseTokenFile('"token"x,user,uid'), /line 1: extraneous or missing " in quoted-field/);
    assert.throws(() => parseTokenFile('a,b,c\n"unterminated,user,uid'), /line 2: extraneous or missing "/);
  });
});

describe('TokenFileAuthenticator', () => {
  const auth = new TokenFileAuthenticator('alice-token,alice,uid-alice,"dev,ops"\n');

  it('answers the user of a known token', () => {
    assert.deepEqual(auth.authenticateToken('alice-token'), {
      username: 'alice',
      uid: 'uid-alice',
      groups: ['dev', 'ops'],
    });
  });

  it('has no opinion on unknown tokens, prefixes or extensions of a known one', () => {
    for (const token of ['nope', 'alice', 'alice-token ', 'alice-tokenx', 'ALICE-TOKEN']) {
      assert.equal(auth.authenticateToken(token), undefined, token);
    }
  });
});
