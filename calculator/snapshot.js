// The Pyodide memory snapshot as the site ships it: only the heap's non-zero 4 KiB pages. About
// half of the 31 MB heap is zero, so the copy the service worker keeps, and reads back at every
// start of the calculator, is half the size. Packed by scripts/make_runtime.mjs (which restores
// Pyodide from the unpacked copy before shipping it), unpacked by worker.js.
//
// Layout, little-endian 32-bit words: the heap's size, the number of runs, each run's offset
// and length, then the runs' bytes one after another.

const PAGE = 4096;
const WORD = 4;

/** @param {Uint8Array} heap @param {number} start */
function zeroPage(heap, start) {
  const end = Math.min(start + PAGE, heap.length);
  for (let at = start; at < end; at++) if (heap[at] !== 0) return false;
  return true;
}

/** The non-zero pages of `heap`, packed. @param {Uint8Array} heap @returns {Uint8Array} */
export function packSnapshot(heap) {
  /** @type {Array<[number, number]>} */
  const runs = [];
  for (let start = 0; start < heap.length; start += PAGE) {
    if (zeroPage(heap, start)) continue;
    const end = Math.min(start + PAGE, heap.length);
    const last = runs.at(-1);
    if (last && last[0] + last[1] === start) last[1] = end - last[0];
    else runs.push([start, end - start]);
  }
  const head = WORD * (2 + 2 * runs.length);
  const packed = new Uint8Array(head + runs.reduce((sum, [, length]) => sum + length, 0));
  const words = new DataView(packed.buffer);
  words.setUint32(0, heap.length, true);
  words.setUint32(WORD, runs.length, true);
  let at = head;
  runs.forEach(([offset, length], n) => {
    words.setUint32(WORD * (2 + 2 * n), offset, true);
    words.setUint32(WORD * (3 + 2 * n), length, true);
    packed.set(heap.subarray(offset, offset + length), at);
    at += length;
  });
  return packed;
}

/** The heap again, zero pages included; throws on bytes that are not a packed snapshot.
 * @param {ArrayBuffer} packed @returns {Uint8Array} */
export function unpackSnapshot(packed) {
  const words = new DataView(packed);
  const fail = () => new Error("snapshot rusak");
  if (packed.byteLength < 2 * WORD) throw fail();
  const size = words.getUint32(0, true);
  const count = words.getUint32(WORD, true);
  let at = WORD * (2 + 2 * count);
  if (at > packed.byteLength) throw fail();
  const heap = new Uint8Array(size);
  for (let n = 0; n < count; n++) {
    const offset = words.getUint32(WORD * (2 + 2 * n), true);
    const length = words.getUint32(WORD * (3 + 2 * n), true);
    if (offset + length > size || at + length > packed.byteLength) throw fail();
    heap.set(new Uint8Array(packed, at, length), offset);
    at += length;
  }
  if (at !== packed.byteLength) throw fail();
  return heap;
}
