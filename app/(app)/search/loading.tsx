import { SearchResultsSkeleton } from "@/app/(app)/search/search-results";

export default function Loading() {
  return (
    <div className="space-y-4">
      <div className="h-8 w-40 animate-pulse rounded bg-slate-200" />
      <div className="h-10 w-full animate-pulse rounded bg-slate-200" />
      <SearchResultsSkeleton />
    </div>
  );
}
