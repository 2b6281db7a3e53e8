import type { QualityRule } from "@/lib/products/spec";
import type { DbtTest } from "@/lib/lineage/dbt/manifest";

/**
 * dbt's generic tests as contract quality rules. not_null and unique map onto the null and
 * duplicate checks; accepted_values and relationships (and any test with a `where` filter) become
 * SQL checks that count failing rows, `{object}` standing for the port's table as in every SQL
 * check. dbt's `error_if` threshold carries over when it is a simple comparison.
 *
 * A rule written by an import carries `source: "dbt"` and the test's unique id and project, so the
 * next import of that project replaces exactly its own rules. The product service keeps only the
 * fields it models, so once an owner saves the port's contract the rules are theirs: a later import
 * neither removes them nor adds a second copy of an equal rule.
 */

export type DbtQualityRule = QualityRule & { source: "dbt"; dbt: { project: string; test: string } };

export const MAX_RULES_PER_CONTRACT = 100;
const MAX_QUERY = 4000;
const MAX_DESCRIPTION = 500;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const tableRef = (fqn: string) => fqn.split(".").map(ident).join(".");

function literal(v: unknown, quote: boolean): string | null {
  if (v === null) return "NULL";
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v !== "string") return null;
  return quote ? `'${v.replace(/'/g, "''")}'` : v;
}

/** dbt's error_if ("!= 0", "> 10", ">= 5") as an operator and threshold on the failing-row count. */
function threshold(errorIf: string): { operator: QualityRule["operator"]; threshold: number } | null {
  const m = /^(!=|<>|>|>=)\s*(\d+)$/.exec(errorIf.replace(/\s+/g, " ").trim());
  if (!m) return null;
  const n = Number.parseInt(m[2]!, 10);
  if (m[1] === "!=" || m[1] === "<>") return n === 0 ? { operator: "mustBe", threshold: 0 } : null;
  if (m[1] === ">") return { operator: "mustBeLessOrEqualTo", threshold: n };
  return { operator: "mustBeLessThan", threshold: n };
}

const TITLES: Record<DbtTest["kind"], string> = {
  not_null: "no nulls",
  unique: "no duplicates",
  accepted_values: "only accepted values",
  relationships: "every value exists in the referenced table",
};

export type RuleOutcome = { ok: true; rule: DbtQualityRule } | { ok: false; reason: string };

/** The quality rule for a test on a port whose column is called `column` (as the port spells it). */
export function ruleFor(test: DbtTest, column: string, project: string): RuleOutcome {
  const limit = threshold(test.errorIf);
  if (!limit) return { ok: false, reason: `its error_if (${test.errorIf}) has no quality-rule equivalent` };
  const c = ident(column);
  const where = test.where ? ` AND (${test.where})` : "";
  let metric: QualityRule["metric"] = "sql";
  let query = "";
  switch (test.kind) {
    case "not_null":
      if (test.where) query = `SELECT count(*) FROM {object} WHERE ${c} IS NULL${where}`;
      else metric = "nullValues";
      break;
    case "unique":
      if (test.where) query = `SELECT count(*) FROM (SELECT ${c} FROM {object} WHERE ${c} IS NOT NULL${where} GROUP BY ${c} HAVING count(*) > 1) AS duplicates`;
      else metric = "duplicateValues";
      break;
    case "accepted_values": {
      const values = (test.values ?? []).map((v) => literal(v, test.quote !== false));
      if (values.some((v) => v === null)) return { ok: false, reason: "accepted_values lists values that are not text, numbers or booleans" };
      query = `SELECT count(*) FROM {object} WHERE ${c} NOT IN (${values.join(", ")})${where}`;
      break;
    }
    case "relationships":
      query =
        `SELECT count(*) FROM {object} AS child WHERE child.${c} IS NOT NULL${where}` +
        ` AND NOT EXISTS (SELECT 1 FROM ${tableRef(test.toFqn!)} AS parent WHERE parent.${ident(test.toField!)} = child.${c})`;
      break;
  }
  if (query.length > MAX_QUERY) return { ok: false, reason: `the check's SQL would be longer than ${MAX_QUERY} characters` };
  const target = test.kind === "relationships" ? ` (${test.toFqn}.${test.toField})` : "";
  const description = `dbt test ${test.kind}: ${TITLES[test.kind]}${target}${test.severity === "warn" ? "; warns only in dbt" : ""}.`.slice(0, MAX_DESCRIPTION);
  return {
    ok: true,
    rule: { metric, column, operator: limit.operator, threshold: limit.threshold, query, description, source: "dbt", dbt: { project, test: test.uniqueId } },
  };
}

/** What makes two rules the same check, whoever wrote them. */
export function ruleSignature(r: { metric?: unknown; column?: unknown; operator?: unknown; threshold?: unknown; query?: unknown }): string {
  return [r.metric, String(r.column ?? "").toLowerCase(), r.operator ?? "mustBe", r.threshold, String(r.query ?? "").trim()].join("|");
}

export function isDbtRule(r: unknown, project?: string): r is DbtQualityRule {
  if (!r || typeof r !== "object") return false;
  const x = r as { source?: unknown; dbt?: { project?: unknown } };
  return x.source === "dbt" && !!x.dbt && typeof x.dbt === "object" && (project === undefined || x.dbt.project === project);
}
