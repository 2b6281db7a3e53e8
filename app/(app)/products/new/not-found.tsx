import Link from "next/link";

export default function DraftNotFound() {
  return (
    <div className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-xl font-semibold">Draft not found</h1>
      <p className="mt-2 text-sm text-slate-600">This draft does not exist, was discarded, or became a data product already.</p>
      <div className="mt-4 flex justify-center gap-2">
        <Link href="/products/drafts" className="btn-secondary">
          My drafts
        </Link>
        <Link href="/products/new" className="btn-primary">
          Start a new data product
        </Link>
      </div>
    </div>
  );
}
