import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { authorize, can, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Db, Tx } from "@/lib/db/client";
import { ConflictError, ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import { evaluateAndGate } from "@/lib/governance/service";
import { analyseImpact, impactPeople, impactRecipients, reportOf } from "@/lib/lineage/impact";
import type { ImpactReport } from "@/lib/lineage/types";
import { notify } from "@/lib/notifications/service";
import { snapshot } from "@/lib/products/service";

/**
 * Deprecating a product: it stays readable and consumers keep their access, but it is marked for
 * replacement. The owner first sees who depends on it (a dry run), then gives a reason; the status
 * change, the version record, the audit event and the notifications commit together.
 */

export type DeprecationResult = {
  dryRun: boolean;
  product: { slug: string; name: string; status: string; version: string };
  impact: ImpactReport;
  /** People who are (or, in a dry run, would be) notified. */
  notified: { owners: number; consumers: number };
};

type Ctx = { user: Principal; actor: AuditActor };

async function loadForDeprecation(tx: Tx, user: Principal, slug: string) {
  const p = await tx.dataProduct.findUnique({ where: { slug }, select: { ...productRefSelect, version: true } });
  if (!p || !can(user, "product.read", toProductRef(p))) throw new NotFoundError("No such data product");
  try {
    authorize(user, "product.deprecate", toProductRef(p));
  } catch (err) {
    if (err instanceof UserError && err.code === "insufficient_scope") throw err;
    throw new ForbiddenError("Only the product's owners and its domain's stewards may deprecate it");
  }
  if (p.status === "deprecated") throw new ConflictError("The product is deprecated already");
  if (p.status !== "published") throw new ConflictError(`Only a published product can be deprecated; this one is ${p.status}`);
  return p;
}

export async function deprecateProduct(db: Db, ctx: Ctx, slug: string, input: { reason: string; dryRun: boolean }): Promise<DeprecationResult> {
  const reason = input.reason.trim();
  if (input.dryRun) {
    const p = await loadForDeprecation(db, ctx.user, slug);
    const analysis = await analyseImpact(db, ctx.user, { product: slug });
    const people = await impactPeople(db, analysis);
    const recipients = await impactRecipients(db, analysis, people);
    const others = (ids: string[]) => ids.filter((id) => id !== ctx.user.id);
    const consumers = others(recipients.consumers).filter((id) => !recipients.owners.includes(id));
    return {
      dryRun: true,
      product: { slug: p.slug, name: p.name, status: p.status, version: p.version },
      impact: await reportOf(db, ctx.user, analysis, people),
      notified: { owners: others(recipients.owners).length, consumers: consumers.length },
    };
  }
  if (!reason) throw new UserError("Some fields need attention", { fieldErrors: { reason: ["Say why, and what consumers should move to"] } });
  return db.$transaction(
    async (tx) => {
      const p = await loadForDeprecation(tx, ctx.user, slug);
      const analysis = await analyseImpact(tx, ctx.user, { product: slug });
      const people = await impactPeople(tx, analysis);
      const recipients = await impactRecipients(tx, analysis, people);
      const impact = await reportOf(tx, ctx.user, analysis, people);

      await tx.dataProduct.update({ where: { id: p.id }, data: { status: "deprecated" } });
      // The current version's record now describes a deprecated product, with the reason in its changelog.
      const current = await tx.productVersion.findUnique({ where: { productId_version: { productId: p.id, version: p.version } }, select: { changeLevel: true, changelog: true } });
      const changelog = [current?.changelog.trim(), `Deprecated: ${reason}`].filter(Boolean).join("\n\n");
      await snapshot(tx, ctx.actor, p.id, current?.changeLevel ?? "patch", changelog, "replace");
      // Scorecards show the product as it is now; deprecating is never refused by a policy.
      await evaluateAndGate(tx, p.id, { gate: false });
      const affected = { products: impact.products.filter((x) => x.depth > 0).length, consumers: recipients.consumers.length };
      await recordAudit(tx, ctx.actor, {
        action: "product.deprecated",
        target: { type: "product", id: p.id },
        before: { status: "published" },
        after: { status: "deprecated", version: p.version, reason, affected },
      });

      const owners = recipients.owners.filter((id) => id !== ctx.user.id);
      const consumers = recipients.consumers.filter((id) => id !== ctx.user.id && !owners.includes(id));
      const body = `Reason: ${reason}`;
      await notify(tx, {
        userIds: owners,
        kind: "product.deprecated",
        title: `${p.name}, which a product you own depends on, is deprecated`,
        body,
        link: `/products/${p.slug}`,
      });
      await notify(tx, {
        userIds: consumers,
        kind: "product.deprecated",
        title: `${p.name}, which you have access to, is deprecated`,
        body,
        link: `/products/${p.slug}`,
      });
      return {
        dryRun: false,
        product: { slug: p.slug, name: p.name, status: "deprecated", version: p.version },
        impact,
        notified: { owners: owners.length, consumers: consumers.length },
      };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
