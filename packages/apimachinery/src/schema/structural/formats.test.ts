import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatChecker } from './formats.ts';
import { goFloat, goSharpV } from './go-format.ts';

// Values kube (strfmt) accepts must pass: a false rejection breaks real CRDs.
const cases: { format: string; valid: string[]; invalid: string[] }[] = [
  {
    format: 'uuid',
    valid: ['123e4567-e89b-12d3-a456-426614174000', '123E4567E89B12D3A456426614174000'],
    invalid: ['nope'],
  },
  {
    format: 'uuid4',
    valid: ['123e4567-e89b-42d3-a456-426614174000'],
    invalid: ['123e4567-e89b-12d3-a456-426614174000'],
  },
  {
    format: 'date-time',
    valid: ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.123+02:00', '2024-01-02T03:04:05'],
    invalid: ['2024-13-02T03:04:05Z', 'yesterday'],
  },
  { format: 'datetime', valid: ['2024-02-29T00:00:00Z'], invalid: ['2023-02-29T00:00:00Z'] },
  { format: 'date', valid: ['2024-02-29'], invalid: ['2024-02-30', '2024-1-1'] },
  { format: 'duration', valid: ['1h30m', '300ms', '-1.5h', '0', '3 days', '2w'], invalid: ['1hour and a bit', ''] },
  { format: 'ipv4', valid: ['10.0.0.1', '255.255.255.255'], invalid: ['256.0.0.1', '10.0.0', '::1'] },
  {
    format: 'ipv6',
    valid: ['::1', 'fe80::1', '2001:db8::8a2e:370:7334', '::ffff:10.0.0.1'],
    invalid: ['10.0.0.1', 'fe80::1%eth0', ':::'],
  },
  { format: 'cidr', valid: ['10.0.0.0/8', '2001:db8::/32'], invalid: ['10.0.0.0/33', '10.0.0.0'] },
  { format: 'mac', valid: ['00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5E', '001a.2b3c.4d5e'], invalid: ['00:1a:2b:3c:4d'] },
  { format: 'hostname', valid: ['example.com', 'a', 'my-host.internal'], invalid: ['-bad.example.com', 'a..b'] },
  { format: 'email', valid: ['a@example.com', 'Jane <jane@example.com>'], invalid: ['not-an-email'] },
  {
    format: 'uri',
    valid: ['https://example.com/x?y=1', '/just/a/path', 'urn:isbn:0451450523'],
    invalid: ['relative/path', ''],
  },
  { format: 'byte', valid: ['aGVsbG8=', ''], invalid: ['not base64!'] },
  { format: 'hexcolor', valid: ['#fff', 'A0B1C2'], invalid: ['#ffff'] },
  { format: 'rgbcolor', valid: ['rgb(255, 0, 10)'], invalid: ['rgb(256,0,0)'] },
  { format: 'isbn10', valid: ['0321751043', '0-321-75104-3'], invalid: ['0321751044'] },
  { format: 'isbn13', valid: ['978-0321751041'], invalid: ['978-0321751042'] },
  { format: 'creditcard', valid: ['4111 1111 1111 1111'], invalid: ['4111 1111 1111 1112'] },
  { format: 'ssn', valid: ['123-45-6789', '123456789'], invalid: ['12-345-6789'] },
  { format: 'bsonobjectid', valid: ['507f1f77bcf86cd799439011'], invalid: ['507f1f77bcf86cd79943901'] },
  { format: 'password', valid: ['anything at all'], invalid: [] },
];

for (const c of cases) {
  test(`format ${c.format}`, () => {
    const check = formatChecker(c.format);
    assert.ok(check !== undefined);
    for (const v of c.valid) assert.equal(check(v), true, `${c.format} should accept ${JSON.stringify(v)}`);
    for (const v of c.invalid) assert.equal(check(v), false, `${c.format} should reject ${JSON.stringify(v)}`);
  });
}

test('formats kube does not know are not checked', () => {
  for (const f of ['int32', 'int64', 'url', 'k8s-short-name', 'quantity']) assert.equal(formatChecker(f), undefined, f);
});

test('goFloat prints like Go %v of a float64', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [0.5, '0.5'],
    [123456, '123456'],
    [1000000, '1e+06'],
    [1234567.5, '1.2345675e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5e-7, '-2.5e-07'],
    [1e21, '1e+21'],
  ];
  for (const [input, want] of cases) assert.equal(goFloat(input), want, String(input));
});

test('goSharpV prints decoded JSON like Go %#v', () => {
  assert.equal(goSharpV({ b: 1, a: 'x' }), 'map[string]interface {}{"a":"x", "b":1}');
  assert.equal(goSharpV(['x', 1.5, true, null]), '[]interface {}{"x", 1.5, true, interface {}(nil)}');
});
