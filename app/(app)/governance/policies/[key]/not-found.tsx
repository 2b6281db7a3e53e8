import Link from "next/link";

export default function PolicyNotFound() {
  return (
    <div className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-xl font-semibold">Policy not found</h1>
      <p className="mt-2 text-sm text-slate-600">No policy has this key in this scope, or you may not change it. Check the address or browse the policies.</p>
      <Link href="/governance/policies" className="btn-primary mt-4">
        Back to the policies
      </Link>
    </div>
  );
}
