/**
 * A session code in the groups it is read aloud in: TeamViewer's own groups (`s123-456-789` →
 * `s123`, `456`, `789`), else groups of three characters (`123456789` → `123`, `456`, `789`).
 */
export function codeGroups(code: string): string[] {
  const trimmed = code.trim();
  if (/^s\d{2,4}(-\d{3})+$/i.test(trimmed)) return trimmed.split("-");
  const plain = trimmed.replace(/[\s-]+/g, "");
  const groups: string[] = [];
  for (let i = 0; i < plain.length; i += 3) groups.push(plain.slice(i, i + 3));
  return groups;
}
