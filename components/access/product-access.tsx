import type { ProductAccess } from "@/app/(app)/access/_data/product-access";
import { GrantsTable } from "@/components/access/grants-table";
import { PortAccess } from "@/components/access/port-access";
import type { ProductDetail } from "@/lib/catalog/queries";

const portTypeLabel: Record<string, string> = { trino_table: "table", s3_bucket: "bucket", api: "API" };

/**
 * The product page's access sections: per output port, the user's access or a "Request access"
 * form; and, for the people who answer for the product, who has access.
 */
export function ProductAccessSections({ product, access }: { product: ProductDetail; access: ProductAccess }) {
  const listed = product.status === "published" || product.status === "deprecated";

  return (
    <>
      <section aria-labelledby="access-to-ports">
        <h2 id="access-to-ports" className="mb-2 text-lg font-semibold">
          Access
        </h2>
        {!product.ports.length ? (
          <p className="text-sm text-slate-500">This product has no output ports to request access to.</p>
        ) : (
          <>
            {access.owner ? (
              <p className="mb-2 text-sm text-slate-600">You own this product: you read every port in full without a grant.</p>
            ) : !listed ? (
              <p className="mb-2 text-sm text-slate-600">Access can be requested once the product is published.</p>
            ) : null}
            <ul className="card divide-y divide-slate-100" aria-label="Your access per output port">
              {product.ports.map((port) => {
                const terms = access.terms[port.name];
                return (
                  <li key={port.name} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                    <div className="min-w-0">
                      <span className="font-mono text-sm font-semibold">{port.name}</span>{" "}
                      <span className="text-xs text-slate-500">{portTypeLabel[port.type] ?? port.type}</span>
                    </div>
                    <PortAccess
                      productSlug={product.slug}
                      productName={product.name}
                      port={{
                        name: port.name,
                        terms: { purpose: terms?.purpose ?? "", limitations: terms?.limitations ?? "", usage: terms?.usage ?? "" },
                        twoSteps: terms?.twoSteps ?? false,
                        piiPurposes: terms?.piiPurposes ?? [],
                        hasPii: port.fields.some((f) => f.pii),
                      }}
                      mine={access.mine[port.name]}
                      canRequest={access.canRequest && Boolean(terms)}
                      owner={access.owner}
                      options={access.options}
                    />
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </section>

      {access.grants ? (
        <section aria-labelledby="who-has-access">
          <h2 id="who-has-access" className="mb-2 text-lg font-semibold">
            Who has access
          </h2>
          <GrantsTable grants={access.grants} productName={product.name} />
        </section>
      ) : null}
    </>
  );
}
