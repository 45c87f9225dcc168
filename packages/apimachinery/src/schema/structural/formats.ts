/**
 * The string formats kube-apiserver checks in custom resources (apiextensions-apiserver
 * `pkg/apiserver/validation/formats.go` supportedFormats, checked with kube-openapi's strfmt registry). Any other
 * `format` is stripped before validation, so it must be ignored here too. Names are normalized as go-openapi does
 * (dashes removed: `date-time` is `datetime`).
 *
 * The checkers follow strfmt's Go implementations (net.ParseIP, net.ParseCIDR, net.ParseMAC, govalidator's ISBN
 * and credit card checks, regexes copied from strfmt) closely enough for real-world values.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';

type Checker = (value: string) => boolean;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
// strfmt's rxHostname (RFC 1034 with unicode letters and symbols allowed), plus its 255-byte limit.
const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC =
  /^(?:[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5}|[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){7}|[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){19}|[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4}){2}|[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4}){3}|[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4}){9})$/;
const SSN = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const HEXCOLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RGB_PART = '\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*';
const RGBCOLOR = new RegExp(`^rgb\\(${RGB_PART},${RGB_PART},${RGB_PART}\\)$`);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BSON_OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const CREDIT_CARD =
  /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11}|6[27][0-9]{14})$/;
// strfmt accepts RFC 3339 date-times with or without fractional seconds and zone (ISO8601 local time too).
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;
// Go's time.ParseDuration syntax, or strfmt's "<n> <unit>" form (units such as d and w included).
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
const STRFMT_DURATION =
  /^\d+\s*(ns|us|µs|μs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$/;

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isDateTime(value: string): boolean {
  const m = DATETIME.exec(value);
  if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
}

function isIPv6(value: string): boolean {
  // Go's net.ParseIP takes no zone; ajv-formats' regex allows one.
  if (value.includes('%') || !value.includes(':')) return false;
  const ipv6 = fullFormats.ipv6;
  return ipv6 instanceof RegExp && ipv6.test(value);
}

function isIP(value: string): boolean {
  return IPV4.test(value) || isIPv6(value);
}

function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (IPV4.test(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

function isURI(value: string): boolean {
  // net/url.ParseRequestURI: an absolute URI or an absolute path, no fragment, no spaces.
  if (value === '' || /\s/.test(value) || value.includes('#')) return false;
  if (value.startsWith('/')) return true;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:.+$/.test(value);
}

function isEmail(value: string): boolean {
  // net/mail.ParseAddress also accepts "Name <addr>".
  const angle = /^[^<>]*<([^<>]+)>$/.exec(value);
  const address = angle?.[1] ?? value;
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/.test(address);
}

function isISBN10(value: string): boolean {
  const s = value.replace(/[\s-]/g, '');
  if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(s[i]);
  sum += s[9] === 'X' ? 100 : 10 * Number(s[9]);
  return sum % 11 === 0;
}

function isISBN13(value: string): boolean {
  const s = value.replace(/[\s-]/g, '');
  if (!/^(?:[0-9]{13})$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(s[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(s[12]);
}

function isCreditCard(value: string): boolean {
  const digits = value.replace(/[^0-9]/g, '');
  if (!CREDIT_CARD.test(digits)) return false;
  // Luhn checksum, as govalidator does.
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const CHECKERS: ReadonlyMap<string, Checker> = new Map<string, Checker>([
  ['bsonobjectid', (v) => BSON_OBJECT_ID.test(v)],
  ['uri', isURI],
  ['email', isEmail],
  ['hostname', (v) => v.length <= 255 && HOSTNAME.test(v)],
  // strfmt: net.ParseIP succeeds and the text has a "." (IPv4, including IPv4-mapped IPv6) or a ":" (IPv6).
  ['ipv4', (v) => v.includes('.') && isIP(v)],
  ['ipv6', (v) => v.includes(':') && isIP(v)],
  ['cidr', isCIDR],
  ['mac', (v) => MAC.test(v)],
  ['uuid', (v) => UUID.test(v)],
  ['uuid3', (v) => UUID3.test(v)],
  ['uuid4', (v) => UUID4.test(v)],
  ['uuid5', (v) => UUID5.test(v)],
  ['isbn', (v) => isISBN10(v) || isISBN13(v)],
  ['isbn10', isISBN10],
  ['isbn13', isISBN13],
  ['creditcard', isCreditCard],
  ['ssn', (v) => SSN.test(v)],
  ['hexcolor', (v) => HEXCOLOR.test(v)],
  ['rgbcolor', (v) => RGBCOLOR.test(v)],
  ['byte', (v) => BASE64.test(v)],
  ['password', () => true],
  ['date', isDate],
  ['duration', (v) => GO_DURATION.test(v) || STRFMT_DURATION.test(v)],
  ['datetime', isDateTime],
]);

/** go-openapi's name normalization: `date-time` and `datetime` are the same format. */
export function normalizeFormat(format: string): string {
  return format.replaceAll('-', '');
}

/** The checker for a format kube validates, or undefined when kube ignores the format. */
export function formatChecker(format: string): Checker | undefined {
  return CHECKERS.get(normalizeFormat(format));
}
