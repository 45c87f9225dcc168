/**
 * metav1.LabelSelector validation (apimachinery pkg/apis/meta/v1/validation ValidateLabelSelector), used by
 * ClusterRole aggregation rules and webhook namespace/object selectors.
 */
import { fieldErrors, isPlainObject, isQualifiedName, isValidLabelValue, type FieldError } from '@kcp-ts/apimachinery';
import { arrayAt, own, stringAt } from './object-access.ts';

/** ValidateLabels: keys are qualified names, values label values; kube reports both on the map's path. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (!isPlainObject(labels)) return [];
  const errs: FieldError[] = [];
  for (const key of Object.keys(labels)) {
    for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid(path, key, msg));
    const value = labels[key];
    if (typeof value === 'string') {
      for (const msg of isValidLabelValue(value)) errs.push(fieldErrors.invalid(path, value, msg));
    }
  }
  return errs;
}

export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  if (!isPlainObject(selector)) return [];
  const errs: FieldError[] = [];
  arrayAt(selector, 'matchExpressions').forEach((requirement: unknown, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const operator = stringAt(requirement, 'operator');
    const values = arrayAt(requirement, 'values');
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push(fieldErrors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(
            fieldErrors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
          );
        }
        break;
      default:
        errs.push(fieldErrors.invalid(`${at}.operator`, operator, 'not a valid selector operator'));
    }
    const key = stringAt(requirement, 'key');
    for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid(`${at}.key`, key, msg));
    values.forEach((value: unknown, j) => {
      if (typeof value !== 'string') return;
      for (const msg of isValidLabelValue(value)) errs.push(fieldErrors.invalid(`${at}.values[${j}]`, value, msg));
    });
  });
  errs.push(...validateLabels(own(selector, 'matchLabels'), `${path}.matchLabels`));
  return errs;
}
