import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  ChainVerifier,
  GENESIS_HASH,
  hashAuditEntry,
  type AuditContent,
  type AuditLink,
} from './audit-chain.js';

function chain(count: number): AuditLink[] {
  const links: AuditLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const content: AuditContent = {
      seq,
      at: new Date(Date.UTC(2026, 10, 26, 8, 0, seq)).toISOString(),
      actor: 'ops1',
      action: 'merchant.created',
      entityType: 'merchant',
      entityId: `10000000000000${seq}`,
      merchantNo: `10000000000000${seq}`,
      before: null,
      after: { name: `商户${seq}`, nested: { b: 2, a: 1 } },
    };
    const hash = hashAuditEntry(content, prevHash);
    links.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return links;
}

function verify(links: AuditLink[], head = links.at(-1)) {
  const verifier = new ChainVerifier();
  for (const link of links) verifier.push(link);
  return verifier.finish({ lastSeq: head?.seq ?? 0, lastHash: head?.hash ?? GENESIS_HASH });
}

describe('canonicalJson', () => {
  it('sorts keys at every depth so equal values hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: '中' })).toBe('{"b":"中"}');
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verify(chain(5))).toEqual({ ok: true, entries: 5 });
    expect(verify([])).toEqual({ ok: true, entries: 0 });
  });

  it('names an altered entry', () => {
    const links = chain(5);
    links[2] = { ...links[2]!, actor: 'mallory' };
    expect(verify(links)).toMatchObject({ ok: false, firstBrokenSeq: 3, problem: 'hash_mismatch' });
  });

  it('names an entry whose hash was recomputed after altering it, by the next link', () => {
    const links = chain(5);
    const altered = { ...links[1]!, actor: 'mallory' };
    const { prevHash, hash, ...content } = altered;
    expect(hash).toBe(links[1]!.hash);
    links[1] = { ...altered, hash: hashAuditEntry(content, prevHash) };
    expect(verify(links)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      problem: 'prev_hash_mismatch',
    });
  });

  it('names a deleted entry by the gap it leaves', () => {
    const links = chain(5);
    links.splice(3, 1);
    expect(verify(links)).toMatchObject({ ok: false, firstBrokenSeq: 4, problem: 'sequence_gap' });
  });

  it('detects deleted newest entries through the head', () => {
    const links = chain(5);
    const head = links.at(-1);
    expect(verify(links.slice(0, 3), head)).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      problem: 'head_mismatch',
    });
  });
});
