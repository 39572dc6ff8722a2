/**
 * GPT-2's byte-to-text table, by which BPE ("gpt2") vocabularies in GGUF files spell their tokens: printable
 * bytes stand for themselves, the other 68 map in order to U+0100…U+0143 (a space is "Ġ", U+0120).
 * `decodeGpt2Text` turns a token's spelling back into its bytes.
 */
const unicodeToByte: ReadonlyMap<number, number> = (() => {
  const table = new Map<number, number>();
  let shift = 0;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
    table.set(printable ? byte : 256 + shift++, byte);
  }
  return table;
})();

/** The bytes a GPT-2-spelled token stands for, or undefined when a character is not in the table. */
export function decodeGpt2Text(spelling: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const character of spelling) {
    const byte = unicodeToByte.get(character.codePointAt(0)!);
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  return Uint8Array.from(bytes);
}
