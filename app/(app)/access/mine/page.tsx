import type { Metadata } from "next";
import Link from "next/link";
import { MyAccess } from "@/components/access/my-access";
import { PageHeader } from "@/components/ui/page-header";
import { listAccessInbox } from "@/lib/access/queries";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "My access" };

export default async function MyAccessPage() {
  const user = await requireUser();
  const items = await listAccessInbox(await getPrisma(), user, { tab: "mine" });
  return (
    <>
      <PageHeader
        title="My access"
        description="The data you can read through Canopy, what you are waiting for, and what has ended."
        actions={
          <Link href="/access?tab=mine" className="btn-secondary">
            All my requests
          </Link>
        }
      />
      <MyAccess items={items} />
    </>
  );
}
