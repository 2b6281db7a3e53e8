import type { ProductSpec } from "@/lib/products/spec";

/**
 * Built-in publishing checks: the mesh's baseline rules for a product description. Errors block
 * publishing (a draft can still be saved); warnings are advice. Client-safe, so the wizard shows
 * them live; the server runs the same function before publishing.
 */

export type CheckResult = {
  id: string;
  severity: "error" | "warning";
  /** Dotted path of the field to fix, as in the spec (e.g. "outputPorts.0.columns.3.classification"). */
  path: string;
  /** The wizard step the field is on: basics, ports, contract, inputs. */
  step: "basics" | "ports" | "contract" | "inputs";
  message: string;
  fix: string;
};

const SENSITIVE = new Set(["confidential", "restricted"]);
const RANK = { public: 0, internal: 1, confidential: 2, restricted: 3 } as const;

export function runChecks(spec: ProductSpec): CheckResult[] {
  const out: CheckResult[] = [];
  if (spec.description.trim().length < 40)
    out.push({
      id: "description-present",
      severity: "warning",
      path: "description",
      step: "basics",
      message: "The description is missing or very short",
      fix: "Describe what the data is, where it comes from and how often it is refreshed, so consumers can judge it without asking.",
    });
  spec.outputPorts.forEach((port, pi) => {
    const base = `outputPorts.${pi}`;
    port.columns.forEach((c, ci) => {
      if (c.pii && !SENSITIVE.has(c.classification))
        out.push({
          id: "pii-classified",
          severity: "error",
          path: `${base}.columns.${ci}.classification`,
          step: "contract",
          message: `Column ${port.name}.${c.name} is PII but classified ${c.classification}`,
          fix: "Classify personal data as confidential or restricted, so it is masked for readers without PII access.",
        });
    });
    const undocumented = port.columns.filter((c) => !c.description.trim());
    if (undocumented.length)
      out.push({
        id: "columns-described",
        severity: "warning",
        path: `${base}.columns`,
        step: "contract",
        message: `${undocumented.length} of ${port.columns.length} columns of ${port.name} have no description (${undocumented
          .slice(0, 5)
          .map((c) => c.name)
          .join(", ")}${undocumented.length > 5 ? ", …" : ""})`,
        fix: "Describe each column: its meaning, unit and how it is derived.",
      });
    if (port.type === "trino_table" && port.columns.length === 0)
      out.push({
        id: "table-has-schema",
        severity: "error",
        path: `${base}.columns`,
        step: "ports",
        message: `Table port ${port.name} has no columns`,
        fix: "Import the columns from Trino or add them by hand.",
      });
    if (port.type === "trino_table" && port.columns.length > 0 && !port.columns.some((c) => c.primaryKey))
      out.push({
        id: "table-has-key",
        severity: "warning",
        path: `${base}.columns`,
        step: "contract",
        message: `Table port ${port.name} declares no primary key`,
        fix: "Mark the column(s) that identify a row as primary key, so consumers can join and deduplicate safely.",
      });
    if (!port.contract.terms.purpose.trim())
      out.push({
        id: "terms-purpose",
        severity: "warning",
        path: `${base}.contract.terms.purpose`,
        step: "contract",
        message: `Port ${port.name} states no purpose in its terms of use`,
        fix: "Say what the data may be used for; approvers compare access requests against it.",
      });
    if (port.type !== "api" && !port.contract.sla.some((s) => s.property === "freshness" || s.property === "latency"))
      out.push({
        id: "sla-freshness",
        severity: "warning",
        path: `${base}.contract.sla`,
        step: "contract",
        message: `Port ${port.name} promises no freshness`,
        fix: "Add a freshness (or latency) SLA so consumers know how old the data may be.",
      });
    const portClass = port.classification ?? spec.classification;
    const highest = port.columns.reduce((m, c) => Math.max(m, RANK[c.classification]), 0);
    if (highest > RANK[portClass])
      out.push({
        id: "port-classification",
        severity: "warning",
        path: `${base}.classification`,
        step: "ports",
        message: `Port ${port.name} is classified ${portClass} but holds ${Object.keys(RANK)[highest]} columns`,
        fix: "Classify the port at least as strictly as its most sensitive column.",
      });
    if (portClass === "restricted" && port.contract.approvers.length === 0)
      out.push({
        id: "restricted-approvers",
        severity: "warning",
        path: `${base}.contract.approvers`,
        step: "contract",
        message: `Restricted port ${port.name} names no approvers`,
        fix: "Name the people who approve access besides the owners (e.g. the domain's steward).",
      });
  });
  return out;
}

export const blockingChecks = (results: readonly CheckResult[]) => results.filter((r) => r.severity === "error");
