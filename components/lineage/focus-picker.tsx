"use client";

import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { useSuggestions } from "@/components/search/use-suggestions";

export type FocusChoice = { product: string; label: string } | { fqn: string; label: string };

/** A table's fully qualified name: catalog.schema.table, optionally with a column. */
const FQN = /^[a-z0-9_$-]+(\.[a-z0-9_$-]+){2,3}$/i;

/** The product slug a product suggestion leads to. */
export function slugFromHref(href: string): string | null {
  const m = /^\/products\/([^/?#]+)$/.exec(href);
  return m ? decodeURIComponent(m[1]!) : null;
}

/**
 * Chooses what the lineage graph is centred on: a data product found by name (the catalogue's
 * typeahead), or a table typed as catalog.schema.table. A combobox: the arrow keys move through the
 * options, Enter picks one.
 */
export function FocusPicker({ onChoose, initialText = "" }: { onChoose: (choice: FocusChoice) => void; initialText?: string }) {
  const ids = useId();
  const [text, setText] = useState(initialText);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const { suggestions, loading, error } = useSuggestions(text);
  const trimmed = text.trim();
  const options: Array<{ key: string; label: string; detail: string; choice: FocusChoice }> = [];
  for (const s of suggestions) {
    const slug = s.kind === "product" ? slugFromHref(s.href) : null;
    if (slug && !options.some((o) => o.key === slug)) options.push({ key: slug, label: s.label, detail: s.detail, choice: { product: slug, label: s.label } });
  }
  if (FQN.test(trimmed)) options.push({ key: `fqn:${trimmed}`, label: trimmed.toLowerCase(), detail: "Table or column", choice: { fqn: trimmed.toLowerCase(), label: trimmed.toLowerCase() } });
  const expanded = open && trimmed.length >= 2 && options.length > 0;

  const choose = (i: number) => {
    const o = options[i];
    if (!o) return;
    onChoose(o.choice);
    setText(o.label);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (options.length ? (a + 1) % options.length : -1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (options.length ? (a <= 0 ? options.length - 1 : a - 1) : -1));
    } else if (e.key === "Escape") {
      setOpen(false);
      setActive(-1);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (expanded && active >= 0) choose(active);
    else if (options.length) choose(0);
  };

  return (
    <form role="search" aria-label="Choose the lineage focus" onSubmit={onSubmit} className="relative w-full max-w-xl">
      <label htmlFor={`${ids}-input`} className="mb-1 block text-sm font-medium text-slate-700">
        Product or table
      </label>
      <input
        id={`${ids}-input`}
        className="input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${ids}-list`}
        aria-activedescendant={expanded && active >= 0 ? `${ids}-option-${active}` : undefined}
        autoComplete="off"
        placeholder="Type a product name, or catalog.schema.table"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <p className="sr-only" role="status">
        {trimmed.length >= 2 ? (loading ? "Looking…" : error ? "Suggestions are unavailable" : `${options.length} options`) : ""}
      </p>
      <ul id={`${ids}-list`} role="listbox" aria-label="Products and tables" hidden={!expanded} className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg">
        {options.map((o, i) => (
          <li
            key={o.key}
            id={`${ids}-option-${i}`}
            role="option"
            aria-selected={i === active}
            className={`cursor-pointer px-3 py-2 text-sm ${i === active ? "bg-canopy-50" : "hover:bg-slate-50"}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(i)}
          >
            <span className="font-medium">{o.label}</span> <span className="text-xs text-slate-500">{o.detail}</span>
          </li>
        ))}
      </ul>
    </form>
  );
}
