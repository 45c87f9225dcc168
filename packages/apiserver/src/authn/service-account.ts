/**
 * ServiceAccount tokens: kube's bound token JWTs (k8s.io/kubernetes pkg/serviceaccount), signed by the shard
 * (TokenRequest, `kubectl create token`) and verified by every shard and the front proxy with the public keys.
 * The claims are kube's (`sub`, `kubernetes.io.namespace`, `kubernetes.io.serviceaccount.{name,uid}`, `jti`) plus
 * `kcp.io/cluster`, the logical cluster the ServiceAccount lives in: a token is valid only in that workspace.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { isPlainObject } from '@kcp-ts/apimachinery';
import { SERVICE_ACCOUNT_CLUSTER_EXTRA, serviceAccountGroups, serviceAccountUsername } from '../auth/subjects.ts';
import type { UserInfo } from '../registry/registry.ts';
import { authenticationFailed, type TokenAuthenticator } from './request.ts';
import { CREDENTIAL_ID_EXTRA } from './x509.ts';

/** The claim carrying that logical cluster in kcp-ts ServiceAccount tokens. */
export const CLUSTER_CLAIM = 'kcp.io/cluster';
/** kube's TokenRequest default (spec.expirationSeconds) and minimum (10 minutes). */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
/** go-jose's DefaultLeeway, which kube's validator uses for exp / nbf / iat. */
const CLOCK_LEEWAY_SECONDS = 60;

/** The JWS algorithm a key signs with; one algorithm per key, so a token cannot pick a weaker one (alg confusion). */
function algorithmOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1' || curve === 'P-256') return 'ES256';
    if (curve === 'secp384r1' || curve === 'P-384') return 'ES384';
    if (curve === 'secp521r1' || curve === 'P-521') return 'ES512';
  }
  throw new Error(`unsupported ServiceAccount signing key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** kube's keyIDFromPublicKey: base64url(sha256(DER SPKI)), so verifiers pick the key without trying each one. */
function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}

/** `YYYY-MM-DDTHH:MM:SSZ`, as metav1.Time serializes (whole seconds). */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface TokenIssueRequest {
  /** Logical cluster of the ServiceAccount; the token is valid there only. */
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Default: the issuer, kube's default API audience (a token for other audiences does not authenticate here). */
  readonly audiences?: readonly string[];
  /** Default 3600. Callers validate the range (TokenRequest: at least 600). */
  readonly expirationSeconds?: number;
}

export interface IssuedToken {
  readonly token: string;
  /** RFC 3339, whole seconds; equal to the token's `exp`. */
  readonly expirationTimestamp: string;
}

export interface ServiceAccountTokenIssuerOptions {
  /** PEM private key (PKCS#8, or PKCS#1/SEC1); ES256 keys as kcp-ts generates them, RSA as kube's default. */
  readonly privateKey: string;
  /** `iss` of every token, and the audience tokens get by default. */
  readonly issuer: string;
  readonly now?: () => Date;
}

export class ServiceAccountTokenIssuer {
  readonly issuer: string;
  readonly #key: KeyObject;
  readonly #algorithm: string;
  readonly #keyId: string;
  readonly #now: () => Date;

  constructor(options: ServiceAccountTokenIssuerOptions) {
    this.issuer = options.issuer;
    this.#key = createPrivateKey(options.privateKey);
    this.#algorithm = algorithmOf(this.#key);
    this.#keyId = keyIdOf(createPublicKey(this.#key));
    this.#now = options.now ?? (() => new Date());
  }

  async issue(request: TokenIssueRequest): Promise<IssuedToken> {
    // Whole seconds throughout, so expirationTimestamp is exactly `exp` (kube keeps the status at or before it).
    const now = Math.floor(this.#now().getTime() / 1000);
    const exp = now + (request.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS);
    const token = await new SignJWT({
      [CLUSTER_CLAIM]: request.cluster,
      'kubernetes.io': {
        namespace: request.namespace,
        serviceaccount: { name: request.name, uid: request.uid },
      },
    })
      .setProtectedHeader({ alg: this.#algorithm, kid: this.#keyId })
      .setIssuer(this.issuer)
      .setSubject(serviceAccountUsername(request.namespace, request.name))
      .setAudience([...(request.audiences ?? [this.issuer])])
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.#key);
    return { token, expirationTimestamp: rfc3339(exp) };
  }
}

interface VerificationKey {
  readonly key: KeyObject;
  readonly algorithm: string;
  readonly keyId: string;
}

/** Every key of a PEM text (a file may hold several; a private key stands for its public half, as in kube). */
function verificationKeys(pem: string): VerificationKey[] {
  const blocks = pem.match(/-----BEGIN [A-Z0-9 ]+-----[\s\S]+?-----END [A-Z0-9 ]+-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no PEM key found in a ServiceAccount public key');
  return blocks.map((block) => {
    const key = createPublicKey(block);
    return { key, algorithm: algorithmOf(key), keyId: keyIdOf(key) };
  });
}

export interface ServiceAccountAuthenticatorOptions {
  /** PEM public keys (SPKI), private keys or certificates whose keys verify tokens. */
  readonly publicKeys: readonly string[];
  readonly issuer: string;
  readonly now?: () => Date;
}

function stringClaim(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  readonly #keys: readonly VerificationKey[];
  readonly #issuer: string;
  readonly #now: () => Date;

  constructor(options: ServiceAccountAuthenticatorOptions) {
    this.#keys = options.publicKeys.flatMap(verificationKeys);
    this.#issuer = options.issuer;
    this.#now = options.now ?? (() => new Date());
  }

  async authenticateToken(token: string, cluster: string | undefined): Promise<UserInfo | undefined> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      // Not a JWT: some other token authenticator's (kube's hasCorrectIssuer says no opinion, too).
      return undefined;
    }
    if (unverified.iss !== this.#issuer) return undefined;
    const payload = await this.#verifyCached(token);
    const k8s = payload['kubernetes.io'];
    const sa = isPlainObject(k8s) ? k8s['serviceaccount'] : undefined;
    const namespace = isPlainObject(k8s) ? stringClaim(k8s['namespace']) : '';
    const name = isPlainObject(sa) ? stringClaim(sa['name']) : '';
    const uid = isPlainObject(sa) ? stringClaim(sa['uid']) : '';
    const home = stringClaim(payload[CLUSTER_CLAIM]);
    if (namespace === '' || name === '' || uid === '' || home === '') {
      throw authenticationFailed('service account token is missing required claims');
    }
    const username = serviceAccountUsername(namespace, name);
    if (payload.sub !== username) throw authenticationFailed('service account token subject does not match its claims');
    // A token is valid in its own logical cluster only. The issue asks for 401 elsewhere; kcp itself keeps such a
    // caller authenticated but maps it to system:anonymous (groups system:authenticated, system:cluster:<home>) in
    // a foreign workspace, where authorization then refuses it. `*` (wildcard list/watch) is never its own.
    if (cluster !== undefined && cluster !== home) {
      throw authenticationFailed(`service account token of logical cluster ${home} is not valid in ${cluster}`);
    }
    const jti = stringClaim(payload.jti);
    return {
      username,
      uid,
      groups: serviceAccountGroups(namespace),
      extra: {
        // kcp's extra naming the SA's logical cluster: the authorizer scopes the user down anywhere else.
        [SERVICE_ACCOUNT_CLUSTER_EXTRA]: [home],
        ...(jti !== '' && { [CREDENTIAL_ID_EXTRA]: [`JTI=${jti}`] }),
      },
    };
  }

  /**
   * A controller sends the same token on every request; an ES256 verification costs more than serving a cached GET,
   * so verified payloads are remembered for up to VERIFIED_TTL_MS and never past their own `exp` (failures are
   * not cached: they are cheap to repeat and must not pin memory for garbage tokens).
   */
  async #verifyCached(token: string): Promise<JWTPayload> {
    const now = this.#now().getTime();
    const hit = this.#verified.get(token);
    if (hit !== undefined && now < hit.until && now >= hit.since) return hit.payload;
    const payload = await this.#verify(token);
    const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : now;
    if (this.#verified.size >= VERIFIED_MAX) this.#verified.clear();
    this.#verified.set(token, { payload, since: now, until: Math.min(exp, now + VERIFIED_TTL_MS) });
    return payload;
  }

  readonly #verified = new Map<
    string,
    { readonly payload: JWTPayload; readonly since: number; readonly until: number }
  >();

  /** The verified payload; throws a 401 naming why (kube's validator messages) for anything that does not verify. */
  async #verify(token: string): Promise<JWTPayload> {
    let kid = '';
    try {
      const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as unknown;
      if (isPlainObject(header)) kid = stringClaim(header['kid']);
    } catch {
      // A malformed header fails verification below.
    }
    // The key named by `kid` first; every key when none matches (tokens of other issuers' tooling may lack it).
    const named = this.#keys.filter((k) => k.keyId === kid);
    const candidates = named.length > 0 ? named : this.#keys;
    for (const { key, algorithm } of candidates) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: this.#issuer,
          audience: this.#issuer,
          algorithms: [algorithm],
          currentDate: this.#now(),
          clockTolerance: CLOCK_LEEWAY_SECONDS,
          requiredClaims: ['exp'],
        });
        return payload;
      } catch (error: unknown) {
        if (error instanceof joseErrors.JWTExpired) throw authenticationFailed('service account token has expired');
        if (error instanceof joseErrors.JWTClaimValidationFailed) {
          if (error.claim === 'aud') {
            throw authenticationFailed(`token audiences are invalid for the target audience ${this.#issuer}`);
          }
          if (error.claim === 'nbf') throw authenticationFailed('service account token is not valid yet');
          throw authenticationFailed(`service account token claims could not be validated: ${error.message}`);
        }
        // Wrong key or algorithm for this key: the next key may be the right one.
      }
    }
    throw authenticationFailed('service account token could not be verified: invalid signature');
  }
}

const VERIFIED_TTL_MS = 10_000;
const VERIFIED_MAX = 10_000;
