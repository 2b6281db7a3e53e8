import Link from "next/link";
import type { ReactNode } from "react";
import { can, type Principal } from "@/lib/auth/permissions";
import { roleLabel } from "@/lib/auth/roles";
import { NavLinks, type NavItem } from "@/components/shell/nav-links";
import { CommandPalette } from "@/components/search/command-palette";
import { SearchCombobox } from "@/components/search/search-combobox";
import { NotificationBell, type NotificationList } from "@/components/shell/notification-bell";
import { SignOutButton } from "@/components/shell/sign-out-button";

/**
 * The header's counters at page load (access requests waiting on the user, notifications); when
 * left out, the browser loads them right away. Either way it keeps them fresh.
 */
export type ShellCounters = { waiting?: number; notifications?: NotificationList };

export function AppShell({ user, counters = {}, children }: { user: Principal; counters?: ShellCounters; children: ReactNode }) {
  const items: NavItem[] = [
    { href: "/products", label: "Catalogue" },
    { href: "/access", label: "Access", waitingCount: true },
    { href: "/lineage", label: "Lineage" },
    { href: "/governance", label: "Governance" },
  ];
  if (can(user, "admin.view", null)) items.push({ href: "/admin", label: "Admin" });
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="bg-canopy-900 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-6">
            <Link href="/products" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src="/favicon.svg" alt="" width={28} height={28} />
              Canopy
            </Link>
            <nav aria-label="Main">
              <NavLinks items={items} initialWaiting={counters.waiting} />
            </nav>
          </div>
          <div className="order-last flex w-full items-center gap-2 lg:order-none lg:w-80">
            <SearchCombobox label="Quick find" placeholder="Find products, columns, tags…" tone="dark" />
            <CommandPalette />
          </div>
          <div className="flex items-center gap-3">
            <NotificationBell initial={counters.notifications} />
            <div className="text-right text-sm leading-tight">
              <div className="font-medium" data-testid="current-user">
                {user.name}
              </div>
              <div className="text-xs text-canopy-100">{roleLabel(user)}</div>
            </div>
            <Link href="/settings/tokens" className="rounded-md px-3 py-2 text-sm font-medium text-canopy-50 hover:bg-canopy-800/60">
              API tokens
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-xs text-slate-500">
        Canopy — the front door of the data mesh
      </footer>
    </div>
  );
}
