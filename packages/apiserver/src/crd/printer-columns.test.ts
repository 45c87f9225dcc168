/**
 * Custom resource tables from additionalPrinterColumns, as kube's tableconvertor serves them to `kubectl get`:
 * column definitions, typed cells, the default Age column, and the JSONPath subset printer columns use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { fieldDescription } from '../resources/schemas.ts';
import { evaluateJsonPath, parseJsonPath, printerColumnsTable, type PrinterColumn } from './printer-columns.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const NOW = new Date('2024-05-10T12:00:00Z');

const WIDGET: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: {
    name: 'w1',
    creationTimestamp: '2024-05-07T12:00:00Z',
    labels: { 'app.kubernetes.io/name': 'shop' },
  },
  spec: {
    replicas: 3,
    ratio: 1.5,
    paused: false,
    owner: 'alice',
    size: { cpu: '2' },
    items: [{ name: 'first' }, { name: 'second' }],
  },
  status: {
    conditions: [
      { type: 'Synced', status: 'False' },
      { type: 'Ready', status: 'True', lastTransitionTime: '2024-05-10T11:58:30Z' },
    ],
  },
};

function col(name: string, type: string, jsonPath: string, extra: Partial<PrinterColumn> = {}): PrinterColumn {
  return { name, type, jsonPath, ...extra };
}

/** The cell of a single-column table (after Name). */
function cell(column: PrinterColumn, object: KubeObject = WIDGET): unknown {
  const cells = printerColumnsTable([column]).cells(object, NOW);
  assert.equal(cells.length, 2);
  assert.equal(cells[0], object.metadata.name);
  return cells[1];
}

describe('printerColumnsTable columns', () => {
  it('puts Name first, then every declared column with its type, format, priority and description', () => {
    const table = printerColumnsTable([
      col('Replicas', 'integer', '.spec.replicas', { format: 'int32', priority: 1, description: 'How many' }),
      col('Owner', 'string', '.spec.owner'),
    ]);
    assert.deepEqual(table.columns, [
      { name: 'Name', type: 'string', format: 'name', description: fieldDescription(OBJECT_META, 'name'), priority: 0 },
      { name: 'Replicas', type: 'integer', format: 'int32', description: 'How many', priority: 1 },
      {
        name: 'Owner',
        type: 'string',
        format: '',
        description: 'Custom resource definition column (in JSONPath format): .spec.owner',
        priority: 0,
      },
    ]);
  });

  it('gives a column with an empty description kube’s JSONPath text', () => {
    const table = printerColumnsTable([col('Owner', 'string', '.spec.owner', { description: '' })]);
    assert.equal(table.columns[1]?.description, 'Custom resource definition column (in JSONPath format): .spec.owner');
  });

  it('serves an Age column from creationTimestamp when the version declares none', () => {
    const table = printerColumnsTable([]);
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Age', 'date'],
      ],
    );
    assert.equal(table.columns[1]?.description, fieldDescription(OBJECT_META, 'creationTimestamp'));
    assert.deepEqual(table.cells(WIDGET, NOW), ['w1', '3d']);
  });
});

describe('printerColumnsTable cells', () => {
  it('types cells by the column type and leaves values of another type empty', () => {
    assert.equal(cell(col('R', 'integer', '.spec.replicas')), 3);
    assert.equal(cell(col('R', 'integer', '.spec.ratio')), 1, 'kube truncates a float in an integer column');
    assert.equal(cell(col('R', 'integer', '.spec.owner')), null);
    assert.equal(cell(col('N', 'number', '.spec.ratio')), 1.5);
    assert.equal(cell(col('N', 'number', '.spec.replicas')), 3);
    assert.equal(cell(col('N', 'number', '.spec.owner')), null);
    assert.equal(cell(col('B', 'boolean', '.spec.paused')), false);
    assert.equal(cell(col('B', 'boolean', '.spec.owner')), null);
  });

  it('prints any value in a string column: strings bare, scalars as text, objects and arrays as JSON', () => {
    assert.equal(cell(col('S', 'string', '.spec.owner')), 'alice');
    assert.equal(cell(col('S', 'string', '.spec.replicas')), '3');
    assert.equal(cell(col('S', 'string', '.spec.paused')), 'false');
    assert.equal(cell(col('S', 'string', '.spec.size')), '{"cpu":"2"}');
    assert.equal(cell(col('S', 'string', '.spec.items[0]')), '{"name":"first"}');
  });

  it('turns date columns into ages like kubectl shows them', () => {
    assert.equal(cell(col('Since', 'date', '.status.conditions[?(@.type=="Ready")].lastTransitionTime')), '90s');
    assert.equal(cell(col('Age', 'date', '.metadata.creationTimestamp')), '3d');
    const odd: KubeObject = { metadata: { name: 'odd' }, spec: { at: 'yesterday', empty: '', n: 5 } };
    assert.equal(cell(col('At', 'date', '.spec.at'), odd), '<invalid>');
    assert.equal(cell(col('At', 'date', '.spec.empty'), odd), '<unknown>');
    assert.equal(cell(col('At', 'date', '.spec.n'), odd), null);
  });

  it('answers null for a path that finds nothing or cannot be parsed, never an error', () => {
    assert.equal(cell(col('Phase', 'string', '.status.phase')), null);
    assert.equal(cell(col('Deep', 'string', '.spec.owner.name')), null);
    assert.equal(cell(col('Index', 'string', '.spec.items[5].name')), null);
    assert.equal(cell(col('Bad', 'string', '.spec[')), null);
    assert.equal(cell(col('Recursive', 'string', '..name')), null);
    const bare: KubeObject = { metadata: { name: 'bare' } };
    assert.deepEqual(
      printerColumnsTable([
        col('Owner', 'string', '.spec.owner'),
        col('Age', 'date', '.metadata.creationTimestamp'),
      ]).cells(bare, NOW),
      ['bare', null, null],
    );
  });

  it('shows only the first value when a path selects several, as kube does', () => {
    assert.equal(cell(col('Items', 'string', '.spec.items[*].name')), 'first');
    assert.equal(cell(col('Status', 'string', '.status.conditions[*].status')), 'False');
  });
});

describe('printer column JSONPath', () => {
  const select = (path: string): unknown[] => {
    const steps = parseJsonPath(path);
    assert.ok(steps !== undefined, `${path} should parse`);
    return evaluateJsonPath(steps, WIDGET);
  };

  it('follows fields, indexes, wildcards, quoted keys and equality filters', () => {
    assert.deepEqual(select('.spec.owner'), ['alice']);
    assert.deepEqual(select('{.spec.owner}'), ['alice'], 'the {} kube wraps paths in');
    assert.deepEqual(select('$.spec.owner'), ['alice']);
    assert.deepEqual(select('.spec.items[1].name'), ['second']);
    assert.deepEqual(select('.spec.items[*].name'), ['first', 'second']);
    assert.deepEqual(select('.spec.size[*]'), ['2']);
    assert.deepEqual(select(".metadata.labels['app.kubernetes.io/name']"), ['shop']);
    assert.deepEqual(select('.metadata.labels["app.kubernetes.io/name"]'), ['shop']);
    assert.deepEqual(select('.status.conditions[?(@.type=="Ready")].status'), ['True']);
    assert.deepEqual(select(".status.conditions[?(@.type=='Synced')].status"), ['False']);
    assert.deepEqual(select('.status.conditions[?(@.type=="Gone")].status'), []);
  });

  it('filters on numbers and booleans', () => {
    const object = {
      list: [
        { n: 1, ok: true },
        { n: 2, ok: false },
      ],
    };
    const run = (path: string): unknown[] => evaluateJsonPath(parseJsonPath(path) ?? [], object);
    assert.deepEqual(run('.list[?(@.n==2)]'), [{ n: 2, ok: false }]);
    assert.deepEqual(run('.list[?(@.ok==true)].n'), [1]);
    assert.deepEqual(run('.list[?(@.ok==false)].n'), [2]);
  });

  it('does not read inherited properties', () => {
    assert.deepEqual(evaluateJsonPath(parseJsonPath('.spec.constructor') ?? [], WIDGET), []);
    assert.deepEqual(evaluateJsonPath(parseJsonPath('.spec.owner.length') ?? [], WIDGET), []);
  });

  it('refuses what is outside the dialect', () => {
    for (const path of ['..name', '.spec[', '.spec.items[-1]', '.spec.items[?(@.name>1)]', 'spec', '.spec.']) {
      assert.equal(parseJsonPath(path), undefined, path);
    }
  });
});
