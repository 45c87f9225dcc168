/**
 * Webhook client config validation (k8s.io/apiserver pkg/util/webhook/validation.go), shared by admission webhook
 * configurations and CRD conversion webhooks.
 */
import { fieldErrors, isDns1123Subdomain, type FieldError } from '@kcp-ts/apimachinery';

const FORM = '; desired format: https://host[/path]';

/** ValidateWebhookURL with forceHttps (both callers force it). */
export function validateWebhookUrl(path: string, value: string): FieldError[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : 'invalid URL';
    return [fieldErrors.required(path, `url must be a valid URL: ${detail}${FORM}`)];
  }
  const errs: FieldError[] = [];
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'https') errs.push(fieldErrors.invalid(path, scheme, `'https' is the only allowed URL scheme${FORM}`));
  if (url.host === '') errs.push(fieldErrors.invalid(path, url.host, `host must be specified${FORM}`));
  if (url.username !== '' || url.password !== '') {
    const user = url.password === '' ? url.username : `${url.username}:${url.password}`;
    errs.push(fieldErrors.invalid(path, user, 'user information is not permitted in the URL'));
  }
  if (url.hash !== '')
    errs.push(fieldErrors.invalid(path, url.hash.slice(1), 'fragments are not permitted in the URL'));
  if (url.search !== '') {
    errs.push(fieldErrors.invalid(path, url.search.slice(1), 'query parameters are not permitted in the URL'));
  }
  return errs;
}

/** ValidateWebhookService: name, namespace, port (after its 443 default) and an optional path of DNS segments. */
export function validateWebhookService(
  path: string,
  service: { name: string; namespace: string; path: string | undefined; port: number },
): FieldError[] {
  const errs: FieldError[] = [];
  if (service.name === '') errs.push(fieldErrors.required(`${path}.name`, 'service name is required'));
  if (service.namespace === '') errs.push(fieldErrors.required(`${path}.namespace`, 'service namespace is required'));
  if (!(service.port >= 1 && service.port <= 65535)) {
    errs.push(
      fieldErrors.invalid(`${path}.port`, service.port, 'port is not valid: must be between 1 and 65535, inclusive'),
    );
  }
  const urlPath = service.path;
  if (urlPath === undefined || urlPath === '/' || urlPath === '') return errs;
  if (urlPath === '//') return [...errs, fieldErrors.invalid(`${path}.path`, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(fieldErrors.invalid(`${path}.path`, urlPath, "must start with a '/'"));
  let toCheck = urlPath.slice(1);
  if (toCheck.endsWith('/')) toCheck = toCheck.slice(0, -1);
  toCheck.split('/').forEach((step, i) => {
    if (step === '') {
      errs.push(fieldErrors.invalid(`${path}.path`, urlPath, `segment[${i}] may not be empty`));
      return;
    }
    for (const failure of isDns1123Subdomain(step)) {
      errs.push(fieldErrors.invalid(`${path}.path`, urlPath, `segment[${i}]: ${failure}`));
    }
  });
  return errs;
}
