import protobuf from 'protobufjs';
const root = new protobuf.Root();
protobuf.parse('syntax = "proto2"; package a.b; message M { optional int64 x = 1; repeated string s = 2; map<string, bytes> m = 3; optional string uID = 4 [json_name = "uid"]; }', root, { keepCase: true });
root.resolveAll();
const t = root.lookupType('a.b.M');
for (const f of t.fieldsArray) console.log(f.name, f.id, f.type, f.repeated, f instanceof protobuf.MapField, f.options, f.resolvedType?.fullName);
const buf = t.encode(t.fromObject({ x: 5, s: ['a'], m: { k: Buffer.from('v') } })).finish();
const r = protobuf.Reader.create(buf);
console.log(r.constructor.name, protobuf.util.Long !== undefined, r.uint32(), r.int64());
