import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import type { Classification, LifecycleStatus, PortType } from "@/lib/db/generated/enums";

/**
 * A small hand-made catalogue for search tests: every product is written so that one field decides
 * where it ranks for the queries the tests use.
 */

export type TestProduct = {
  slug: string;
  name: string;
  summary?: string;
  description?: string;
  tags?: string[];
  status?: LifecycleStatus;
  classification?: Classification;
  domain?: "sales" | "finance";
  team?: "sales-team" | "finance-team" | null;
  owners?: ("olga" | "frank")[];
  ports?: { name: string; type?: PortType; description?: string; columns: (string | { name: string; description: string })[] }[];
};

export type Catalogue = {
  users: Record<"olga" | "frank" | "carl" | "ada" | "stella", Principal>;
  ids: Record<string, string>;
  domainIds: Record<"sales" | "finance", string>;
  teamIds: Record<"sales-team" | "finance-team", string>;
};

export async function buildCatalogue(db: Db, products: TestProduct[]): Promise<Catalogue> {
  const domainIds = { sales: randomUUID(), finance: randomUUID() };
  const teamIds = { "sales-team": randomUUID(), "finance-team": randomUUID() };
  await db.domain.createMany({
    data: [
      { id: domainIds.sales, slug: "sales", name: "Sales" },
      { id: domainIds.finance, slug: "finance", name: "Finance" },
    ],
  });
  await db.team.createMany({
    data: [
      { id: teamIds["sales-team"], slug: "sales-team", name: "Sales Engineering", domainId: domainIds.sales },
      { id: teamIds["finance-team"], slug: "finance-team", name: "Finance Platform", domainId: domainIds.finance },
    ],
  });
  const people = {
    olga: { name: "Olga Owner", teams: ["sales-team"] as const, stewardOf: [] as string[], admin: false },
    frank: { name: "Frank Fischer", teams: ["finance-team"] as const, stewardOf: [] as string[], admin: false },
    carl: { name: "Carl Consumer", teams: [] as const, stewardOf: [] as string[], admin: false },
    ada: { name: "Ada Admin", teams: [] as const, stewardOf: [] as string[], admin: true },
    stella: { name: "Stella Steward", teams: [] as const, stewardOf: [domainIds.sales], admin: false },
  };
  const users = {} as Catalogue["users"];
  for (const [key, p] of Object.entries(people) as [keyof typeof people, (typeof people)[keyof typeof people]][]) {
    const id = randomUUID();
    await db.user.create({ data: { id, email: `${key}@example.test`, name: p.name, provider: "demo", roles: p.admin ? ["platform_admin"] : [] } });
    for (const t of p.teams) await db.teamMember.create({ data: { teamId: teamIds[t], userId: id } });
    for (const d of p.stewardOf) await db.domainMember.create({ data: { domainId: d, userId: id, role: "steward" } });
    users[key] = {
      id,
      email: `${key}@example.test`,
      name: p.name,
      roles: p.admin ? ["platform_admin"] : [],
      domains: p.stewardOf.map((domainId) => ({ domainId, role: "steward" })),
      teamIds: p.teams.map((t) => teamIds[t]),
    };
  }
  const ids: Record<string, string> = {};
  for (const p of products) {
    const id = randomUUID();
    ids[p.slug] = id;
    const team = p.team === undefined ? (p.domain === "finance" ? "finance-team" : "sales-team") : p.team;
    await db.dataProduct.create({
      data: {
        id,
        slug: p.slug,
        name: p.name,
        summary: p.summary ?? "",
        description: p.description ?? "",
        tags: p.tags ?? [],
        status: p.status ?? "published",
        classification: p.classification ?? "internal",
        domainId: domainIds[p.domain ?? "sales"],
        ownerTeamId: team ? teamIds[team] : null,
      },
    });
    for (const o of p.owners ?? []) await db.productOwner.create({ data: { productId: id, userId: users[o].id } });
    for (const port of p.ports ?? []) {
      const portId = randomUUID();
      await db.outputPort.create({
        data: { id: portId, productId: id, name: port.name, type: port.type ?? "trino_table", location: `lake.${p.slug.replace(/-/g, "_")}.${port.name}`, description: port.description ?? "" },
      });
      await db.schemaField.createMany({
        data: port.columns.map((c, i) => ({
          portId,
          name: typeof c === "string" ? c : c.name,
          description: typeof c === "string" ? "" : c.description,
          type: "varchar",
          position: i,
        })),
      });
    }
  }
  return { users, ids, domainIds, teamIds };
}
