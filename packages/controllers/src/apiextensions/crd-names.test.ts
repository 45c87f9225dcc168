/**
 * kube's naming + establishing decision for a CRD, given the other CRDs of its group in the same logical cluster:
 * which requested names it gets, the NamesAccepted reason and message kubectl shows, and Established.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { calculateNames, type CrdNames } from './crd-names.ts';

interface Names {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

function full(names: Names): CrdNames {
  return {
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
  };
}

/** A CRD requesting `names`; `accepted` as the naming controller left it before, with Established if given. */
function crd(names: Names, accepted?: Names, established?: 'True' | 'False'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.example.com` },
    spec: { group: 'example.com', names: full(names) },
    status: {
      acceptedNames: accepted === undefined ? { plural: '', kind: '' } : full(accepted),
      ...(established !== undefined && {
        conditions: [{ type: 'Established', status: established, reason: 'InitialNamesAccepted', message: '' }],
      }),
    },
  };
}

/** Another CRD of the group that already holds `names`. */
function holder(names: Names): KubeObject {
  return crd(names, names, 'True');
}

const WIDGETS: Names = { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], categories: ['all'] };

describe('calculateNames', () => {
  it('accepts fresh names and establishes the CRD at once', () => {
    const result = calculateNames(crd(WIDGETS), []);
    assert.deepEqual(result.acceptedNames, full(WIDGETS));
    assert.deepEqual(result.namesAccepted, {
      type: 'NamesAccepted',
      status: 'True',
      reason: 'NoConflicts',
      message: 'no conflicts found',
    });
    assert.deepEqual(result.established, {
      type: 'Established',
      status: 'True',
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    });
  });

  it('refuses a plural another CRD of the group holds, accepting the other names', () => {
    const result = calculateNames(crd({ plural: 'widgets', kind: 'Gizmo' }), [holder(WIDGETS)]);
    assert.deepEqual(result.namesAccepted, {
      type: 'NamesAccepted',
      status: 'False',
      reason: 'PluralConflict',
      message: '"widgets" is already in use',
    });
    assert.equal(result.acceptedNames.plural, '', 'the plural stays unaccepted');
    assert.equal(result.acceptedNames.kind, 'Gizmo');
    assert.equal(result.acceptedNames.singular, 'gizmo');
    assert.deepEqual(result.established, {
      type: 'Established',
      status: 'False',
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    });
  });

  it('counts plurals, singulars and short names as one namespace of resource names', () => {
    const singular = calculateNames(crd({ plural: 'gizmos', singular: 'wd', kind: 'Gizmo' }), [holder(WIDGETS)]);
    assert.equal(singular.namesAccepted.reason, 'SingularConflict');
    assert.equal(singular.namesAccepted.message, '"wd" is already in use');
    const pluralTakenAsShortName = calculateNames(crd({ plural: 'gizmos', kind: 'Gizmo', shortNames: ['widget'] }), [
      holder(WIDGETS),
    ]);
    assert.equal(pluralTakenAsShortName.namesAccepted.reason, 'ShortNamesConflict');
    assert.equal(pluralTakenAsShortName.namesAccepted.message, '"widget" is already in use');
    assert.deepEqual(pluralTakenAsShortName.acceptedNames.shortNames, [], 'no short name is accepted');
    assert.equal(pluralTakenAsShortName.acceptedNames.plural, 'gizmos');
  });

  it('lists every conflicting short name the way kube aggregates errors', () => {
    const result = calculateNames(crd({ plural: 'gizmos', kind: 'Gizmo', shortNames: ['wd', 'gz', 'widgets'] }), [
      holder(WIDGETS),
    ]);
    assert.equal(result.namesAccepted.reason, 'ShortNamesConflict');
    assert.equal(result.namesAccepted.message, '["wd" is already in use, "widgets" is already in use]');
  });

  it('refuses a kind or list kind another CRD of the group holds', () => {
    const kind = calculateNames(crd({ plural: 'gizmos', kind: 'Widget', listKind: 'GizmoList' }), [holder(WIDGETS)]);
    assert.equal(kind.namesAccepted.reason, 'KindConflict');
    assert.equal(kind.namesAccepted.message, '"Widget" is already in use');
    assert.equal(kind.acceptedNames.kind, '');
    assert.equal(kind.acceptedNames.listKind, 'GizmoList');
    const listKind = calculateNames(crd({ plural: 'gizmos', kind: 'Gizmo', listKind: 'WidgetList' }), [
      holder(WIDGETS),
    ]);
    assert.equal(listKind.namesAccepted.reason, 'ListKindConflict');
    assert.equal(listKind.namesAccepted.message, '"WidgetList" is already in use');
  });

  it('reports the last conflict found, in kube’s order of checks', () => {
    const result = calculateNames(crd({ plural: 'widgets', kind: 'Widget' }), [holder(WIDGETS)]);
    assert.equal(result.namesAccepted.reason, 'ListKindConflict');
    assert.equal(result.namesAccepted.message, '"WidgetList" is already in use');
  });

  it('ignores names only requested, not accepted, by other CRDs', () => {
    const pending = crd(WIDGETS); // requested, never accepted
    assert.equal(calculateNames(crd(WIDGETS), [pending]).namesAccepted.status, 'True');
  });

  it('keeps names that are already its own even when another CRD now claims them too', () => {
    const mine = crd(WIDGETS, WIDGETS, 'True');
    const rival = holder(WIDGETS);
    const result = calculateNames(mine, [rival]);
    assert.equal(result.namesAccepted.status, 'True');
    assert.deepEqual(result.acceptedNames, full(WIDGETS));
  });

  it('keeps the accepted name and stays Established when a later rename conflicts', () => {
    const renamed = crd({ ...WIDGETS, singular: 'gizmo' }, WIDGETS, 'True');
    const result = calculateNames(renamed, [holder({ plural: 'gizmos', kind: 'Gizmo' })]);
    assert.equal(result.namesAccepted.reason, 'SingularConflict');
    assert.equal(result.acceptedNames.singular, 'widget');
    assert.equal(result.established.status, 'True', 'kube never un-establishes a CRD');
  });

  it('takes the requested categories as they are', () => {
    const result = calculateNames(crd({ ...WIDGETS, categories: ['shop'] }, WIDGETS, 'True'), []);
    assert.deepEqual(result.acceptedNames.categories, ['shop']);
  });
});
