import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expiringAmount, monthsBefore } from '../../src/ledger/expiry-fifo.ts';

describe('which points expire, oldest first', () => {
  it('spends the oldest points first and expires what is left from before the cutoff', () => {
    const movements = [
      { amount: 100, at: 1 },
      { amount: 50, at: 3 },
      { amount: -120, at: 4 },
      { amount: 40, at: 5 },
    ];
    expect(expiringAmount(movements, 3)).toBe(30);
    expect(expiringAmount(movements, 2)).toBe(0);
    expect(expiringAmount(movements, 5)).toBe(70);
    expect(expiringAmount([...movements, { amount: -30, at: 6 }], 3)).toBe(0);
    expect(expiringAmount([], 3)).toBe(0);
  });

  it('never expires more than what is unspent, nor anything credited after the cutoff', () => {
    const movement = fc.record({ amount: fc.integer({ min: -50, max: 50 }).filter((n) => n !== 0), at: fc.nat(100) });
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 40 }), fc.nat(100), (raw, cutoff) => {
        // Balances never go below zero in the ledger, so keep only spending that the balance covers.
        let balance = 0;
        const movements = raw.sort((a, b) => a.at - b.at).filter((m) => (balance + m.amount >= 0 ? ((balance += m.amount), true) : false));
        const expiring = expiringAmount(movements, cutoff);
        const creditedBefore = movements.filter((m) => m.amount > 0 && m.at <= cutoff).reduce((s, m) => s + m.amount, 0);
        expect(expiring).toBeGreaterThanOrEqual(0);
        expect(expiring).toBeLessThanOrEqual(Math.min(balance, creditedBefore));
        // Expiring it leaves nothing more to expire at the same cutoff.
        expect(expiringAmount([...movements, { amount: -expiring, at: 101 }], cutoff)).toBe(0);
      }),
    );
  });

  it('counts calendar months back, ending on a shorter month\'s last day', () => {
    expect(new Date(monthsBefore(Date.parse('2026-03-15T10:30:00Z'), 12)).toISOString()).toBe('2025-03-15T10:30:00.000Z');
    expect(new Date(monthsBefore(Date.parse('2025-03-31T08:00:00Z'), 1)).toISOString()).toBe('2025-02-28T08:00:00.000Z');
    expect(new Date(monthsBefore(Date.parse('2025-01-10T00:00:00Z'), 3)).toISOString()).toBe('2024-10-10T00:00:00.000Z');
  });
});
