import type { Tx } from "@/lib/db/client";

/**
 * Trino's Iceberg connector has no GRANT, so Canopy enforces access by serving Trino's
 * file-based access-control rules (system level), computed from the catalogue:
 *   1. owners of a product (directly or through their team) read its tables in full;
 *   2. each active, unexpired grant lets its principal read the port's table, with classified
 *      columns (PII or restricted) masked — PII columns unmasked when the grant's purpose is one the
 *      port's contract allows personal data for (`piiUnmasked`);
 *   3. every other principal is denied the tables Canopy manages (explicit rules, for readers);
 * and no rule matches anything else, which Trino denies. Within a section the first matching rule
 * wins, so the order above matters. Trino polls this document (docs/trino.md).
 */

export type TrinoUserMapping = "email" | "localpart";

export type TableRule = {
  user?: string;
  group?: string;
  catalog: string;
  schema: string;
  table: string;
  privileges: ("SELECT" | "INSERT" | "DELETE" | "UPDATE" | "OWNERSHIP" | "GRANT_SELECT")[];
  columns?: { name: string; allow?: boolean; mask?: string }[];
  /** Not part of Trino's format (ignored by it): why the rule exists, for people reading the file. */
  description?: string;
};

export type TrinoRules = {
  catalogs: { allow: "all" | "read-only" | "none"; catalog?: string; user?: string }[];
  schemas: { owner: boolean; catalog?: string; schema?: string }[];
  tables: TableRule[];
};

/** Regex that matches exactly this string (Trino matches selectors against the whole name). */
export function exactly(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const anyOf = (values: string[]) => (values.length === 1 ? exactly(values[0]!) : `(${values.map(exactly).join("|")})`);

export function trinoUserName(email: string, mapping: TrinoUserMapping): string {
  return mapping === "localpart" ? email.split("@")[0]! : email;
}

/** A data product acting as a consumer reads with its own service user. */
export const productServiceUser = (slug: string) => `dp-${slug}`;

const TEXT = /^(var)?char\b|^varchar|^char/i;

/** A mask keeps the column's type: text becomes a constant, anything else NULL of that type. */
export function maskExpression(type: string): string {
  return TEXT.test(type.trim()) ? "'***'" : `CAST(NULL AS ${type.trim()})`;
}

/**
 * Whether a grant sees the column masked. PII is masked unless the grant's purpose allows personal
 * data (`piiUnmasked`); other restricted columns stay masked for every grant.
 */
export function needsMask(field: { pii: boolean; classification: string }, piiUnmasked = false): boolean {
  if (field.pii) return !piiUnmasked;
  return field.classification === "restricted";
}

function parseLocation(location: string) {
  const parts = location.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return null;
  const [catalog, schema, table] = parts as [string, string, string];
  return { catalog, schema, table };
}

export async function buildTrinoRules(
  db: Tx,
  opts: {
    now?: Date;
    userMapping?: TrinoUserMapping;
    /** Only the rules for the port at this `catalog.schema.table` (enough to decide about that one table). */
    location?: string;
  } = {},
): Promise<TrinoRules> {
  const now = opts.now ?? new Date();
  const mapping = opts.userMapping ?? "email";
  const ports = await db.outputPort.findMany({
    where: { type: "trino_table", ...(opts.location ? { location: opts.location } : {}) },
    orderBy: [{ location: "asc" }],
    select: {
      id: true,
      name: true,
      location: true,
      fields: { orderBy: { position: "asc" }, select: { name: true, type: true, pii: true, classification: true } },
      product: {
        select: {
          slug: true,
          status: true,
          owners: { select: { user: { select: { email: true } } } },
          ownerTeam: { select: { members: { select: { user: { select: { email: true } } } } } },
        },
      },
      accessRequests: {
        where: { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        orderBy: { createdAt: "asc" },
        select: { id: true, principalType: true, principalRef: true, expiresAt: true, piiUnmasked: true, requester: { select: { email: true } } },
      },
    },
  });

  // Principals of type "user" store the user id; resolve them to names in one query.
  const userIds = [...new Set(ports.flatMap((p) => p.accessRequests.filter((r) => r.principalType === "user").map((r) => r.principalRef)))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const emailOf = new Map(users.map((u) => [u.id, u.email]));

  const owners: TableRule[] = [];
  const grants: TableRule[] = [];
  const denials: TableRule[] = [];
  for (const port of ports) {
    const loc = parseLocation(port.location);
    if (!loc) continue;
    const where = { catalog: exactly(loc.catalog), schema: exactly(loc.schema), table: exactly(loc.table) };
    const ownerNames = [
      ...new Set([
        ...port.product.owners.map((o) => o.user.email),
        ...(port.product.ownerTeam?.members.map((m) => m.user.email) ?? []),
      ]),
    ].map((e) => trinoUserName(e, mapping));
    if (ownerNames.length) {
      owners.push({ user: anyOf(ownerNames.sort()), ...where, privileges: ["SELECT"], description: `owners of ${port.product.slug}` });
    }
    // Retired products serve no data; drafts have no consumers yet.
    if (port.product.status === "published" || port.product.status === "deprecated") {
      for (const g of port.accessRequests) {
        const masked = port.fields.filter((f) => needsMask(f, g.piiUnmasked)).map((f) => ({ name: f.name, mask: maskExpression(f.type) }));
        const principal =
          g.principalType === "user"
            ? { user: exactly(trinoUserName(emailOf.get(g.principalRef) ?? g.requester.email, mapping)) }
            : g.principalType === "group"
              ? { group: exactly(g.principalRef) }
              : { user: exactly(productServiceUser(g.principalRef)) };
        grants.push({
          ...principal,
          ...where,
          privileges: ["SELECT"],
          ...(masked.length ? { columns: masked } : {}),
          description: `grant ${g.id}${g.expiresAt ? ` until ${g.expiresAt.toISOString()}` : ""}${g.piiUnmasked ? ", personal data unmasked for its purpose" : ""}`,
        });
      }
    }
    denials.push({ ...where, privileges: [], description: `managed by Canopy: ${port.product.slug}/${port.name}` });
  }

  return {
    catalogs: [{ allow: "read-only" }],
    schemas: [{ owner: false }],
    tables: [...owners, ...grants, ...denials],
  };
}

/**
 * What Trino would decide for a principal and a table under these rules (first match wins, no match
 * denies). Used by tests and by the admin page to explain access.
 */
export function evaluateTableAccess(
  rules: TrinoRules,
  who: { user: string; groups?: string[] },
  table: { catalog: string; schema: string; table: string },
): { allowed: boolean; masked: string[]; rule?: TableRule } {
  const full = (pattern: string | undefined, value: string) => pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
  for (const rule of rules.tables) {
    const principalMatches = rule.group !== undefined ? (who.groups ?? []).some((g) => full(rule.group, g)) : full(rule.user, who.user);
    if (!principalMatches) continue;
    if (!full(rule.catalog, table.catalog) || !full(rule.schema, table.schema) || !full(rule.table, table.table)) continue;
    return {
      allowed: rule.privileges.includes("SELECT"),
      masked: (rule.columns ?? []).filter((c) => c.mask !== undefined).map((c) => c.name),
      rule,
    };
  }
  return { allowed: false, masked: [] };
}
