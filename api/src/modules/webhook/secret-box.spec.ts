import { newWebhookSecret, openSecret, sealSecret } from './secret-box';

describe('webhook secret box', () => {
  const key = new TextEncoder().encode('a server secret that is long enough 0123');

  it('opens what it sealed, and the sealed text does not show the secret', () => {
    const { secret, prefix } = newWebhookSecret();
    const sealed = sealSecret(key, secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(secret.startsWith(prefix)).toBe(true);
    expect(openSecret(key, sealed)).toBe(secret);
  });

  it('refuses another server secret or an altered box, saying what to do', () => {
    const sealed = sealSecret(key, 'whsec_x');
    const other = new TextEncoder().encode('another server secret, also long enough');
    expect(() => openSecret(other, sealed)).toThrow(/AUTH_SECRET changed.*create it again/);
    const altered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'AB' : 'AA');
    expect(() => openSecret(key, altered)).toThrow(/cannot be opened/);
  });
});
