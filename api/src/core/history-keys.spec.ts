import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyKeys } from '../auth/secret';
import { historyKeyring, parseRetiredKey, publicKeyText, signatureProblem, signRevision } from './history-keys';

const OLD = historyKeyring('01'.repeat(32));
const hash = 'ab'.repeat(32);
const at = (iso: string) => String(BigInt(Date.parse(iso)) * 1000n);
const publicKeyOf = (ring: typeof OLD) => publicKeyText(ring.publicKeys.get(ring.signing.keyId)!.key);

describe('history signatures', () => {
  it('a signature verifies with the public key only, and covers the hash', () => {
    const signed = signRevision(OLD, hash);
    expect(signed.keyId).toMatch(/^ed25519:[0-9a-f]{16}$/);
    const row = { hash, ...signed, atMicros: at('2026-01-01T00:00:00Z') };
    // A verifier that holds nothing but the public key (as an auditor would).
    const auditor = historyKeyring('02'.repeat(32), [parseRetiredKey(`${publicKeyOf(OLD)}@2100-01-01T00:00:00Z`, 'X')]);
    expect(signatureProblem(auditor, row)).toBeNull();
    expect(signatureProblem(auditor, { ...row, hash: 'cd'.repeat(32) })).toBe(
      `its signature does not match (key ${signed.keyId})`,
    );
    expect(signatureProblem(auditor, { ...row, keyId: null, signature: null })).toBe('it carries no signature');
  });

  it('a retired key holds up to its retirement, to the microsecond, and not after', () => {
    const ring = historyKeyring('02'.repeat(32), [parseRetiredKey(`${publicKeyOf(OLD)}@2026-06-01T00:00:00Z`, 'X')]);
    const signed = signRevision(OLD, hash);
    const row = (atMicros: string) => ({ hash, ...signed, atMicros });
    expect(signatureProblem(ring, row(at('2026-06-01T00:00:00Z')))).toBeNull();
    expect(signatureProblem(ring, row(String(BigInt(at('2026-06-01T00:00:00Z')) + 1n)))).toBe(
      `its signature is by key ${signed.keyId}, retired at 2026-06-01T00:00:00.000Z, before the revision was made`,
    );
  });

  it('a key that is not listed is named', () => {
    const signed = signRevision(historyKeyring('03'.repeat(32)), hash);
    expect(signatureProblem(OLD, { hash, ...signed, atMicros: '0' })).toBe(
      `its signature names key ${signed.keyId}, which is not among the history's public keys`,
    );
  });

  it('without HISTORY_SIGNING_KEY, a key is generated once in DATA_DIR (0600) and kept', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-history-key-'));
    try {
      const first = historyKeys({ dataDir, historyRetiredKeys: [] });
      const file = path.join(dataDir, 'history-signing-key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(historyKeys({ dataDir, historyRetiredKeys: [] }).signing.keyId).toBe(first.signing.keyId);
      // The configured key wins over the kept one.
      expect(historyKeys({ dataDir, historyRetiredKeys: [], historySigningKey: '01'.repeat(32) }).signing.keyId).toBe(
        OLD.signing.keyId,
      );
      fs.writeFileSync(file, 'not a key');
      expect(() => historyKeys({ dataDir, historyRetiredKeys: [] })).toThrow(
        `${file} must be 64 hexadecimal characters`,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
