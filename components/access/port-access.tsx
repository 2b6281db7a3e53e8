"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { day } from "@/components/access/format";
import { RequestAccessDialog, type RequestFormOptions, type RequestFormPort } from "@/components/access/request-access-form";
import type { MyPortAccess } from "@/lib/access/queries";

const IN_FLIGHT = new Set(["pending", "approved", "provisioning"]);

/**
 * The user's access to one output port: "You have access until …", "Request pending — view", or a
 * "Request access" button with its form. After a request is sent the page refreshes under it; the
 * confirmation stays, and takes the focus, while the row switches to its new state.
 */
export function PortAccess({
  productSlug,
  productName,
  port,
  mine,
  canRequest,
  owner,
  options,
}: {
  productSlug: string;
  productName: string;
  port: RequestFormPort;
  mine: MyPortAccess | undefined;
  canRequest: boolean;
  owner: boolean;
  options: RequestFormOptions;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState<{ id: string; status: string } | null>(null);
  const confirmation = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (sent) confirmation.current?.focus();
  }, [sent]);

  const via = mine?.principal.type === "group" ? ` (through ${mine.principal.ref})` : "";
  const view = (id: string, text: string) => (
    <Link href={`/access/requests/${id}`} className="font-medium text-canopy-800 underline">
      {text}
      <span className="sr-only"> for {port.name}</span>
    </Link>
  );

  let state: React.ReactNode;
  if (mine?.status === "active") {
    state = (
      <>
        <span className="text-emerald-800">
          You have access{mine.expiresAt ? ` until ${day(mine.expiresAt)}` : ""}
          {via}
          {mine.extensionDays ? ` · extension of ${mine.extensionDays} days asked for` : ""}
        </span>
        {view(mine.requestId, "View")}
      </>
    );
  } else if (mine && IN_FLIGHT.has(mine.status)) {
    state = (
      <>
        <span className="text-sky-800">{mine.status === "pending" ? "Request pending" : "Approved — access is being set up"}</span>
        <span aria-hidden="true">—</span>
        {view(mine.requestId, "view")}
      </>
    );
  } else if (mine?.status === "failed") {
    state = (
      <>
        <span className="text-rose-800">Setting up access failed</span>
        {view(mine.requestId, "view")}
      </>
    );
  } else if (sent) {
    // The refreshed page has not arrived yet.
    state = view(sent.id, "View the request");
  } else if (canRequest) {
    state = (
      <button type="button" className="btn-primary" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Request access<span className="sr-only"> to {port.name}</span>
      </button>
    );
  } else {
    state = <span className="text-slate-500">{owner ? "Full access as owner" : "Not available"}</span>;
  }

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span ref={confirmation} tabIndex={-1} role="status" className="font-medium text-emerald-800 focus:outline-none">
        {sent ? (sent.status === "pending" ? "Request sent." : "Approved automatically.") : null}
      </span>
      {state}
      {open ? (
        <RequestAccessDialog
          productSlug={productSlug}
          productName={productName}
          port={port}
          options={options}
          onClose={(created) => {
            setOpen(false);
            if (created) {
              setSent(created);
              router.refresh();
            }
          }}
        />
      ) : null}
    </div>
  );
}
