import Link from "next/link";

/**
 * Fields of a GET filter form (catalogue, inbox, audit trail): filters live in the URL, work without
 * JavaScript and can be shared. Uncontrolled: the form is keyed by the filters so the fields reset
 * when the URL changes under them.
 */

const labelCls = "mb-1 block text-xs font-medium text-slate-600";

export function FilterSearch({ name, label, defaultValue, placeholder }: { name: string; label: string; defaultValue?: string; placeholder?: string }) {
  const id = `f-${name}`;
  return (
    <div>
      <label htmlFor={id} className={labelCls}>
        {label}
      </label>
      <input id={id} name={name} type="search" defaultValue={defaultValue ?? ""} placeholder={placeholder} className="input" />
    </div>
  );
}

export type FilterOption = { value: string; label: string };

export function FilterSelect({ name, label, defaultValue, options }: { name: string; label: string; defaultValue?: string; options: FilterOption[] }) {
  const id = `f-${name}`;
  const value = defaultValue ?? "";
  // A value from the URL that is not among the options is still shown, so the form says what is applied.
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <div>
      <label htmlFor={id} className={labelCls}>
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className="input">
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Apply, and Clear when any filter is set. */
export function FilterButtons({ active, clearHref }: { active: boolean; clearHref: string }) {
  return (
    <div className="flex items-end gap-2">
      <button type="submit" className="btn-primary">
        Apply
      </button>
      {active ? (
        <Link href={clearHref} className="btn-secondary">
          Clear
        </Link>
      ) : null}
    </div>
  );
}
