import { randomBytes } from 'node:crypto';

/** No 0/O or 1/I: a code read aloud or copied by hand comes out right. 32 letters, so 5 random bits pick one evenly. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A fresh code such as `7K3Q-XH9M-2TPA`: 12 letters, 60 bits from the system's secure random source. */
export function newCode(): string {
  const letters = Array.from(randomBytes(12), (b) => ALPHABET[b & 31]!).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8)}`;
}

export const GENERATED_CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** Codes the shop side may upload: what its own systems make, within reason. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/;
