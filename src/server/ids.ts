/**
 * Ids for rows written in bulk: UUIDv7 (RFC 9562), time-ordered, so a batch's rows land together in
 * the primary key's index, and increasing within the process (a counter after the millisecond, as
 * RFC 9562 §6.2 method 1 and the `uuidv7` library do). Made here rather than by the library because
 * a bulk write makes one per row: the library builds a UUID object and its text one character at a
 * time (~1 KB of short-lived strings an id, a large share of a million-row import's garbage). Here
 * the 36 characters are written into one reused buffer and read out as one string.
 */

/** 42 bits of counter after the 48-bit millisecond: 12 in `rand_a`, 30 at the top of `rand_b`. */
const COUNTER_LIMIT = 2 ** 42;

const WORDS = 4096;
const random = new Uint32Array(WORDS);
let cursor = WORDS;
/** 32 random bits, from a 16 KiB buffer of `crypto.getRandomValues` refilled every 4,096 draws. */
function randomUint32(): number {
  if (cursor >= WORDS) {
    crypto.getRandomValues(random);
    cursor = 0;
  }
  return random[cursor++] as number;
}

const HEX = [..."0123456789abcdef"].map((c) => c.charCodeAt(0));
const DASH = "-".charCodeAt(0);
const text = Buffer.alloc(36, DASH);
/** Where each of the 32 hex digits goes in the 8-4-4-4-12 text. */
const DIGIT_AT = [...Array(36).keys()].filter((i) => i !== 8 && i !== 13 && i !== 18 && i !== 23);

let lastMs = -1;
let counter = 0;

/** Writes `value`'s `digits` low hex digits at digit positions `from`.. of `text`. */
function putHex(value: number, from: number, digits: number): void {
  let v = value;
  for (let d = digits - 1; d >= 0; d--) {
    text[DIGIT_AT[from + d] as number] = HEX[v % 16] as number;
    v = Math.floor(v / 16);
  }
}

export function newRowId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    // a random start with the top bit clear leaves room to count up within the millisecond
    counter = (randomUint32() >>> 22) * 2 ** 31 + (randomUint32() >>> 1);
  } else if (++counter >= COUNTER_LIMIT) {
    // 2^41 ids within one millisecond: borrow the next one (order is kept)
    lastMs += 1;
    counter = 0;
  }
  putHex(lastMs, 0, 12); // unix_ts_ms, 48 bits
  text[DIGIT_AT[12] as number] = HEX[7] as number; // version 7
  const high = Math.floor(counter / 2 ** 30); // the counter's top 12 bits: rand_a
  const low = counter % 2 ** 30; // its 30 low bits start rand_b
  putHex(high, 13, 3);
  // rand_b: variant 0b10, then the counter's 30 low bits, then 32 random bits
  putHex(0x8 | Math.floor(low / 2 ** 28), 16, 1);
  putHex(low % 2 ** 28, 17, 7);
  putHex(randomUint32(), 24, 8);
  return text.toString("latin1", 0, 36);
}
