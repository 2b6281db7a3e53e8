import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl p-8 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is nothing here, or you do not have access to it.</p>
      <Link href="/products" className="btn-primary mt-4">
        Go to the catalogue
      </Link>
    </div>
  );
}
