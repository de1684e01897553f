import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMasterKey, Vault } from './vault.js';

describe('Vault', () => {
  const key = crypto.randomBytes(32);
  const vault = new Vault(key);

  it('round-trips a number and never stores it in clear', () => {
    const sealed = vault.seal('account_number', '6222020200001234562');
    expect(sealed.toString('latin1')).not.toContain('6222020200001234562');
    expect(vault.open('account_number', sealed)).toBe('6222020200001234562');
    // A fresh nonce each time: equal numbers do not give equal ciphertexts.
    expect(vault.seal('account_number', '6222020200001234562').equals(sealed)).toBe(false);
  });

  it('refuses a ciphertext opened for another purpose, with another key, or altered', () => {
    const sealed = vault.seal('account_number', '6222020200001234562');
    expect(() => vault.open('resident_id', sealed)).toThrow();
    expect(() => new Vault(crypto.randomBytes(32)).open('account_number', sealed)).toThrow();
    const altered = Buffer.from(sealed);
    altered[altered.length - 1] = (altered.at(-1) ?? 0) ^ 1;
    expect(() => vault.open('account_number', altered)).toThrow();
  });

  it('fingerprints equal numbers equally, under a key, per purpose', () => {
    const a = vault.fingerprint('account_number', '6222020200001234562');
    expect(vault.fingerprint('account_number', '6222020200001234562')).toBe(a);
    expect(vault.fingerprint('account_number', '6222020200001234570')).not.toBe(a);
    expect(vault.fingerprint('resident_id', '6222020200001234562')).not.toBe(a);
    expect(
      new Vault(crypto.randomBytes(32)).fingerprint('account_number', '6222020200001234562'),
    ).not.toBe(a);
  });

  it('keeps the fingerprints stored data was matched with: HMAC-SHA256 under the HKDF key', () => {
    // Computed here from the definition, not by the vault, so that a change of how the key is
    // held cannot change a fingerprint already in a database.
    const fingerprintKey = Buffer.from(
      crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'settleguard/hmac-fingerprint/v1', 32),
    );
    const expected = crypto
      .createHmac('sha256', fingerprintKey)
      .update('card:6222020200001234562')
      .digest('hex');
    expect(vault.fingerprint('card', '6222020200001234562')).toBe(expected);
  });

  it('fingerprints values of every length as HMAC-SHA256 does, across the short-value path', () => {
    const fingerprintKey = Buffer.from(
      crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'settleguard/hmac-fingerprint/v1', 32),
    );
    const hmac = (message: string) =>
      crypto.createHmac('sha256', fingerprintKey).update(message).digest('hex');
    const values = [
      '',
      '6222020200001234562',
      '张丽',
      '𠮷'.repeat(40),
      'x'.repeat(74),
      'x'.repeat(75),
      'x'.repeat(76),
      '建设银行'.repeat(30),
    ];
    for (let n = 0; n < 200; n += 1) values.push(crypto.randomBytes(n % 97).toString('base64'));
    for (const value of values) {
      // The same value twice: a value's bytes left in the buffer must not change the next.
      expect(vault.fingerprint('card', value), value).toBe(hmac(`card:${value}`));
      expect(vault.fingerprint('account_number', value), value).toBe(
        hmac(`account_number:${value}`),
      );
    }
  });

  it('parses master keys as hex or base64 of 32 bytes only', () => {
    expect(parseMasterKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseMasterKey(key.toString('base64')).equals(key)).toBe(true);
    expect(() => parseMasterKey('too-short')).toThrow(/32 bytes/);
  });
});
