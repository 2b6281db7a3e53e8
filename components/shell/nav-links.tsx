"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId } from "react";
import { useWaitingCount } from "@/components/shell/use-waiting-count";

export type NavItem = { href: string; label: string; /** Show the number of access requests waiting on the user. */ waitingCount?: boolean };

export function NavLinks({ items, initialWaiting }: { items: NavItem[]; initialWaiting?: number }) {
  const pathname = usePathname();
  const waiting = useWaitingCount(initialWaiting);
  const descId = useId();
  return (
    <ul className="flex flex-wrap items-center gap-1">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        const count = item.waitingCount ? waiting : undefined;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              aria-describedby={count ? `${descId}-${item.href.slice(1)}` : undefined}
              className={`inline-flex items-center gap-1.5 rounded-md px-3 py-2 text-sm font-medium ${
                active ? "bg-canopy-800 text-white" : "text-canopy-50 hover:bg-canopy-800/60"
              }`}
            >
              {item.label}
              {count ? (
                // The link keeps its name ("Access"); the number is its description.
                <span aria-hidden="true" className="rounded-full bg-amber-400 px-1.5 text-xs leading-5 font-semibold text-slate-900">
                  {count > 99 ? "99+" : count}
                </span>
              ) : null}
            </Link>
            {count ? (
              <span id={`${descId}-${item.href.slice(1)}`} hidden>
                {count === 1 ? "1 access request waits" : `${count} access requests wait`} on your decision
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
