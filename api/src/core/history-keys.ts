import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Signatures of the history: each revision's hash is signed with Ed25519 by
 * a key the database never holds (HISTORY_SIGNING_KEY, or a key kept in
 * DATA_DIR; see auth/secret.ts), so no database role can append or rewrite
 * an entry that verifies. Verifying needs the public keys only: the current
 * one and the retired ones (HISTORY_PUBLIC_KEYS), each retired key valid for
 * revisions up to its retirement.
 */

/** A public key the verifier trusts; `retiredAt` null for the current key. */
export interface HistoryPublicKey {
  keyId: string;
  key: KeyObject;
  retiredAt: Date | null;
}

/** What verifying needs: public keys only (an auditor's CLI holds nothing else). */
export interface HistoryPublicKeys {
  /** Every key a stored revision or a checkpoint may name, by key id. */
  publicKeys: Map<string, HistoryPublicKey>;
}

/** What signing needs besides: the private key, held by the API processes only. */
export interface HistoryKeyring extends HistoryPublicKeys {
  /** The key new revisions and checkpoints are signed with. */
  signing: { keyId: string; key: KeyObject };
}

/** What a revision stores besides its hash: which key signed it, and the signature (base64). */
export interface RevisionSignature {
  keyId: string;
  signature: string;
}

// The DER header of a PKCS#8 Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED = /^[0-9a-f]{64}$/i;

/** The public key as its 32 raw bytes in base64url (what HISTORY_PUBLIC_KEYS lists). */
export function publicKeyText(key: KeyObject): string {
  return key.export({ format: 'jwk' }).x!;
}

/** A key id derived from the public key, so an entry's key id cannot name a different key. */
export function keyIdOf(key: KeyObject): string {
  return `ed25519:${createHash('sha256').update(publicKeyText(key), 'utf8').digest('hex').slice(0, 16)}`;
}

function privateKeyOf(seedHex: string, name: string): KeyObject {
  if (!SEED.test(seedHex))
    throw new Error(
      `${name} must be 64 hexadecimal characters (32 random bytes, e.g. \`openssl rand -hex 32\`), got ${seedHex.length} characters`,
    );
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** A retired public key, as listed in HISTORY_PUBLIC_KEYS: `<public key>@<retired at, ISO 8601>`. */
export function parseRetiredKey(entry: string, name: string): HistoryPublicKey {
  return parseKey(entry, name, true);
}

/** A public key an auditor trusts: `<public key>` (the current one) or `<public key>@<retired at, ISO 8601>`. */
export function parsePublicKey(entry: string, name: string): HistoryPublicKey {
  return parseKey(entry, name, false);
}

function parseKey(entry: string, name: string, retiredOnly: boolean): HistoryPublicKey {
  const [x, retired, ...rest] = entry.split('@');
  const retiredAt = retired === undefined ? null : new Date(retired);
  if (rest.length || (retiredAt && Number.isNaN(retiredAt.getTime())) || (retiredOnly && !retiredAt))
    throw new Error(
      `${name}: "${entry}" must be ${retiredOnly ? '' : '<public key> or '}<public key>@<retirement time, ISO 8601>`,
    );
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch {
    throw new Error(`${name}: "${x}" is not an Ed25519 public key (43 base64url characters)`);
  }
  return { keyId: keyIdOf(key), key, retiredAt };
}

/** The public keys a verifier trusts, by key id. */
export function publicKeyring(keys: readonly HistoryPublicKey[]): HistoryPublicKeys {
  return { publicKeys: new Map(keys.map((k) => [k.keyId, k])) };
}

/** The keyring of a process: the signing key's seed (hex), and the retired public keys it still trusts. */
export function historyKeyring(
  seedHex: string,
  retired: readonly HistoryPublicKey[] = [],
  name = 'HISTORY_SIGNING_KEY',
): HistoryKeyring {
  const key = privateKeyOf(seedHex, name);
  const current: HistoryPublicKey = {
    keyId: keyIdOf(createPublicKey(key)),
    key: createPublicKey(key),
    retiredAt: null,
  };
  const publicKeys = new Map(retired.map((k) => [k.keyId, k]));
  publicKeys.set(current.keyId, current);
  return { signing: { keyId: current.keyId, key }, publicKeys };
}

// What is signed: the revision's hash (which covers its content and its link), under a label and the key id.
const message = (keyId: string, hash: string) => Buffer.from(`icp-history/v1\n${keyId}\n${hash}`, 'utf8');

export function signRevision(ring: HistoryKeyring, hash: string): RevisionSignature {
  return signMessage(ring, (keyId) => message(keyId, hash));
}

/** A signature by the ring's signing key of the message made for its key id. */
export function signMessage(ring: HistoryKeyring, message: (keyId: string) => Buffer): RevisionSignature {
  const { keyId, key } = ring.signing;
  return { keyId, signature: sign(null, message(keyId), key).toString('base64') };
}

/**
 * Why a signature by `keyId` of a message made at `atMicros` does not hold,
 * or null when it does; `what` names the signature and `made` what it signs
 * in the answer. A retired key signs nothing made after its retirement.
 */
export function signedProblem(
  ring: HistoryPublicKeys,
  signed: { keyId: string; signature: string; atMicros: bigint },
  message: Buffer,
  what: string,
  made: string,
): string | null {
  const known = ring.publicKeys.get(signed.keyId);
  if (!known) return `${what} names key ${signed.keyId}, which is not among the history's public keys`;
  if (known.retiredAt && signed.atMicros > BigInt(known.retiredAt.getTime()) * 1000n)
    return `${what} is by key ${signed.keyId}, retired at ${known.retiredAt.toISOString()}, before ${made} was made`;
  if (!verify(null, message, known.key, Buffer.from(signed.signature, 'base64')))
    return `${what} does not match (key ${signed.keyId})`;
  return null;
}

/** A stored revision as the signature check reads it. */
export interface SignedRow {
  hash: string;
  keyId: string | null;
  signature: string | null;
  /** Microseconds since the epoch (the revision's `at`). */
  atMicros: string;
}

/** Why a revision's signature does not hold, or null when it does. */
export function signatureProblem(ring: HistoryPublicKeys, row: SignedRow): string | null {
  if (!row.keyId || !row.signature) return 'it carries no signature';
  const { keyId, signature } = row;
  return signedProblem(
    ring,
    { keyId, signature, atMicros: BigInt(row.atMicros) },
    message(keyId, row.hash),
    'its signature',
    'the revision',
  );
}
