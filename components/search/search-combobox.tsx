"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { markQuery } from "@/components/search/highlight";
import { Highlighted } from "@/components/search/highlighted";
import { searchHref } from "@/components/search/search-url";
import { useSuggestions } from "@/components/search/use-suggestions";
import type { Suggestion } from "@/lib/search/types";

export const SUGGESTION_KIND_LABELS: Record<Suggestion["kind"], string> = {
  product: "Data product",
  port: "Output port",
  column: "Column",
  domain: "Domain",
  owner: "Owner",
  tag: "Tag",
};

type Option = { key: string; href: string; suggestion: Suggestion | null };

/**
 * A search field with typeahead, following the ARIA combobox pattern: the field keeps focus, the arrow
 * keys move through the suggestions (announced through aria-activedescendant), Enter opens the
 * highlighted one or, with none highlighted, runs the search; Escape closes the list. Inside a GET form
 * to /search, so it also works without JavaScript.
 *
 * `inline` (the command palette) shows the list under the field at all times, and leaves Escape to the
 * dialog around it.
 */
export function SearchCombobox({
  label,
  placeholder,
  variant = "popup",
  tone = "light",
  onNavigate,
}: {
  label: string;
  placeholder?: string;
  variant?: "popup" | "inline";
  tone?: "light" | "dark";
  /** Called before navigating to a suggestion or the search page (the palette closes itself). */
  onNavigate?: () => void;
}) {
  const ids = useId();
  const router = useRouter();
  const [value, setValue] = useState("");
  const [open, setOpen] = useState(variant === "inline");
  // The highlighted option by key, so it stays on the same suggestion when a fresher list arrives.
  const [active, setActive] = useState<string | null>(null);
  const { suggestions, loading, error } = useSuggestions(value);

  const trimmed = value.trim();
  const options: Option[] = suggestions
    .map((s) => ({ key: `${s.kind}:${s.href}:${s.label}`, href: s.href, suggestion: s }))
    .filter((o, i, all) => all.findIndex((x) => x.key === o.key) === i);
  if (trimmed.length >= 2) options.push({ key: "search", href: searchHref({ q: trimmed }), suggestion: null });
  const expanded = (open || variant === "inline") && trimmed.length >= 2 && options.length > 0;
  const activeIndex = expanded && active !== null ? options.findIndex((o) => o.key === active) : -1;
  const highlight = (i: number) => setActive(options[i]?.key ?? null);
  const optionId = (i: number) => `${ids}-option-${i}`;

  // The highlighted option stays in view when the arrow keys move past the bottom of the list.
  useEffect(() => {
    if (activeIndex >= 0) document.getElementById(`${ids}-option-${activeIndex}`)?.scrollIntoView({ block: "nearest" });
  }, [activeIndex, ids]);

  function go(href: string) {
    onNavigate?.();
    setOpen(variant === "inline");
    setActive(null);
    setValue("");
    router.push(href);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.nativeEvent.isComposing) return;
    switch (e.key) {
      case "ArrowDown": {
        if (!options.length || trimmed.length < 2) return;
        e.preventDefault();
        if (!expanded) {
          setOpen(true);
          highlight(0);
        } else highlight((activeIndex + 1) % options.length);
        return;
      }
      case "ArrowUp": {
        if (!options.length || trimmed.length < 2) return;
        e.preventDefault();
        setOpen(true);
        highlight(activeIndex <= 0 ? options.length - 1 : activeIndex - 1);
        return;
      }
      case "Enter": {
        e.preventDefault();
        const chosen = activeIndex >= 0 ? options[activeIndex] : undefined;
        go(chosen ? chosen.href : searchHref({ q: trimmed }));
        return;
      }
      case "Escape": {
        if (variant === "inline") return;
        if (expanded) {
          e.preventDefault();
          setOpen(false);
          setActive(null);
        } else if (value) {
          e.preventDefault();
          setValue("");
        }
        return;
      }
      case "Tab":
        if (variant === "popup") setOpen(false);
        return;
    }
  }

  const dark = tone === "dark";
  const status = error
    ? error.message
    : trimmed.length < 2
      ? ""
      : loading && !suggestions.length
        ? "Looking for suggestions…"
        : suggestions.length
          ? `${suggestions.length} suggestion${suggestions.length === 1 ? "" : "s"}, use the arrow keys to choose`
          : loading
            ? ""
            : "No suggestions; press Enter to search";

  return (
    <form
      method="get"
      action="/search"
      role="search"
      aria-labelledby={`${ids}-label`}
      className={variant === "popup" ? "relative w-full" : "w-full"}
      onSubmit={(e) => {
        e.preventDefault();
        go(searchHref({ q: trimmed }));
      }}
    >
      <label id={`${ids}-label`} htmlFor={`${ids}-input`} className="sr-only">
        {label}
      </label>
      <input
        id={`${ids}-input`}
        name="q"
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${ids}-listbox`}
        aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
        aria-describedby={`${ids}-status`}
        placeholder={placeholder}
        value={value}
        maxLength={200}
        onChange={(e) => {
          setValue(e.target.value);
          setOpen(true);
          setActive(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (variant === "popup") setOpen(false);
        }}
        onFocus={() => setOpen(true)}
        className={
          dark
            ? "block w-full rounded-md border border-canopy-700 bg-canopy-800 px-3 py-1.5 text-sm text-white placeholder:text-canopy-100 focus:border-canopy-100"
            : "input"
        }
      />
      <span id={`${ids}-status`} className="sr-only" aria-live="polite">
        {status}
      </span>
      <ul
        id={`${ids}-listbox`}
        role="listbox"
        aria-label="Suggestions"
        hidden={!expanded}
        className={
          variant === "popup"
            ? "absolute right-0 left-0 z-40 mt-1 max-h-96 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 text-slate-900 shadow-xl"
            : "mt-2 max-h-80 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 text-slate-900"
        }
      >
        {expanded
          ? options.map((o, i) => (
              <li
                key={o.key}
                id={optionId(i)}
                role="option"
                aria-selected={i === activeIndex}
                className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-2 text-sm ${i === activeIndex ? "bg-canopy-50 text-canopy-900" : "hover:bg-slate-50"}`}
                // Keeps focus in the field, so the list does not close before the click lands.
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => setActive(o.key)}
                onClick={() => go(o.href)}
              >
                {o.suggestion ? (
                  <>
                    <span className="min-w-0">
                      <span className="block truncate font-medium">
                        <Highlighted parts={markQuery(o.suggestion.label, trimmed)} />
                      </span>
                      {o.suggestion.detail ? <span className="block truncate text-xs text-slate-500">{o.suggestion.detail}</span> : null}
                    </span>
                    <span className="shrink-0 text-xs text-slate-500">{SUGGESTION_KIND_LABELS[o.suggestion.kind] ?? o.suggestion.kind}</span>
                  </>
                ) : (
                  <span className="text-canopy-800">
                    Search everything for <span className="font-semibold">“{trimmed}”</span>
                  </span>
                )}
              </li>
            ))
          : null}
      </ul>
    </form>
  );
}
