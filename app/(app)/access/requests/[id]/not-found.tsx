import Link from "next/link";

export default function AccessRequestNotFound() {
  return (
    <div className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-xl font-semibold">Access request not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        No access request has this address, or it is not one you may see: requests are visible to their requester and to the people who decide on them.
      </p>
      <Link href="/access" className="btn-primary mt-4">
        Back to access requests
      </Link>
    </div>
  );
}
