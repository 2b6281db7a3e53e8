/**
 * Paths into a descriptor document, written the way the document reads:
 * `outputPorts[1].contractId`, `contracts[2].schema[0].properties[3].logicalType`.
 * Client-safe.
 */

export type PathSegment = string | number;
export type DocPath = readonly PathSegment[];

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Appends segments to a formatted prefix ("" for the document root). */
export function formatPath(prefix: string, segments: DocPath = []): string {
  let out = prefix;
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (IDENT.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Where an issue is reported when it concerns the whole document. */
export function documentKey(prefix: string): string {
  return prefix || "_";
}

export type DescriptorIssue = { path: string; message: string };

/** Groups issues into the `fieldErrors` shape of UserError, keeping their order. */
export function toFieldErrors(issues: readonly DescriptorIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) {
    const key = i.path || "_";
    const list = (out[key] ??= []);
    if (!list.includes(i.message)) list.push(i.message);
  }
  return out;
}

/** A one-line summary of the first few issues, for the error message itself (curl users see only that). */
export function summarizeIssues(issues: readonly DescriptorIssue[], max = 5): string {
  const lines = issues.slice(0, max).map((i) => (i.path && i.path !== "_" ? `${i.path}: ${i.message}` : i.message));
  const more = issues.length > max ? `; and ${issues.length - max} more` : "";
  return lines.join("; ") + more;
}
