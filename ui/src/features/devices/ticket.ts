/**
 * The start dialog's inline check of a ticket reference against the support policies'
 * patterns (the back end checks it again, with Rust's regular expressions, at the start). A
 * pattern this browser's `RegExp` cannot read is left to the back end.
 */
export type TicketProblem = { kind: "missing" } | { kind: "mismatch"; pattern: string } | null;

export function ticketProblem(patterns: readonly string[], value: string): TicketProblem {
  if (patterns.length === 0) return null;
  const ticket = value.trim();
  if (ticket === "") return { kind: "missing" };
  for (const pattern of patterns) {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pattern})$`, "u");
    } catch {
      continue;
    }
    if (!re.test(ticket)) return { kind: "mismatch", pattern };
  }
  return null;
}
