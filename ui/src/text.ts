/**
 * Text from outside (fleet files, the MDM) as the window shows it: characters that change how
 * text reads without being seen (bidi controls such as U+202E, zero-width characters, line and
 * paragraph separators, other format and control characters) are made visible as `⟨U+202E⟩`,
 * so a name cannot pose as another (the same set as crates/domain `ident::is_invisible`).
 */
const INVISIBLE: readonly (readonly [number, number])[] = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x0600, 0x0605],
  [0x061c, 0x061c],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x08e2, 0x08e2],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
  [0xe0100, 0xe01ef],
];

export function isInvisible(codePoint: number): boolean {
  return INVISIBLE.some(([from, to]) => codePoint >= from && codePoint <= to);
}

export function visibleText(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    out += isInvisible(code) ? `⟨U+${code.toString(16).toUpperCase().padStart(4, "0")}⟩` : c;
  }
  return out;
}
