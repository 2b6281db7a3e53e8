"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { SearchCombobox } from "@/components/search/search-combobox";
import { Modal } from "@/components/ui/modal";

export const QUICK_LINKS = [
  { href: "/products", label: "Catalogue" },
  { href: "/search", label: "Browse by domain" },
  { href: "/access", label: "Access" },
  { href: "/lineage", label: "Lineage" },
  { href: "/governance", label: "Governance" },
] as const;

/** Ctrl-K (⌘-K on a Mac) anywhere in the signed-in app. */
export function isPaletteShortcut(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k";
}

/**
 * The command palette: Ctrl-K / ⌘-K or the header button opens a modal dialog with the same typeahead
 * as the header and quick links. Focus stays in the dialog while it is open and returns to where it
 * was when it closes; Escape closes it.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteShortcut(e) || e.isComposing) return;
      // Another dialog is in charge of the keyboard while it is open.
      if (!open && document.querySelector("dialog[open]")) return;
      e.preventDefault();
      setOpen((o) => !o);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K Meta+K"
        className="hidden shrink-0 rounded-md border border-canopy-700 px-2 py-1 text-xs font-medium text-canopy-50 hover:bg-canopy-800/60 md:inline-flex"
      >
        <span className="sr-only">Open the command palette</span>
        <kbd aria-hidden="true" className="font-sans">
          Ctrl K
        </kbd>
      </button>
      {open ? (
        <Modal title="Command palette" description="Jump to a data product, port, column, domain, owner or tag, or to a page." onClose={() => setOpen(false)} wide>
          <SearchCombobox label="Find in the catalogue" placeholder="Type a product, column or tag…" variant="inline" onNavigate={() => setOpen(false)} />
          <nav aria-label="Quick links" className="mt-4">
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Go to</h3>
            <ul className="flex flex-wrap gap-2">
              {QUICK_LINKS.map((l) => (
                <li key={l.href}>
                  <Link href={l.href} className="btn-secondary" onClick={() => setOpen(false)}>
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="mt-4 flex items-center justify-between gap-2 border-t border-slate-100 pt-3 text-xs text-slate-500">
            <span>
              <kbd className="rounded border border-slate-300 px-1">↑</kbd> <kbd className="rounded border border-slate-300 px-1">↓</kbd> to choose,{" "}
              <kbd className="rounded border border-slate-300 px-1">Enter</kbd> to open, <kbd className="rounded border border-slate-300 px-1">Esc</kbd> to close
            </span>
            <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
