import Link from "next/link";

export default function ProductNotFound() {
  return (
    <div className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-xl font-semibold">Data product not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        No data product has this name, or it is a draft you cannot see. Check the address or search the catalogue.
      </p>
      <Link href="/products" className="btn-primary mt-4">
        Back to the catalogue
      </Link>
    </div>
  );
}
