"use client";

import { SelectField, TextArea, TextField } from "@/components/wizard/fields";
import { withName } from "@/components/wizard/form-state";
import { MarkdownEditor } from "@/components/wizard/markdown-editor";
import type { DomainOption, StepProps, TeamOption } from "@/components/wizard/types";
import { CLASSIFICATIONS } from "@/lib/products/spec";

export const CLASSIFICATION_HINTS: Record<(typeof CLASSIFICATIONS)[number], string> = {
  public: "public — anyone may see it, also outside the company",
  internal: "internal — everyone in the company",
  confidential: "confidential — people with a business need; access is approved",
  restricted: "restricted — personal or regulated data; access is reviewed by the domain steward",
};

export function StepBasics({ form, update, errors, domains, teams, userEmail }: StepProps & { domains: DomainOption[]; teams: TeamOption[]; userEmail: string }) {
  return (
    <div className="space-y-5">
      <TextField
        name="name"
        label="Name"
        hint="What people will search for, e.g. “Sales Returns”."
        required
        value={form.name}
        errors={errors}
        onChange={(v) => update((f) => withName(f, v))}
      />
      <TextField
        name="slug"
        label="Slug"
        hint={
          form.slugEdited
            ? "Part of the product's address: /products/<slug>. Lower-case letters, digits and hyphens."
            : "Derived from the name; edit it to choose your own. Part of the product's address: /products/<slug>."
        }
        required
        mono
        value={form.slug}
        errors={errors}
        onChange={(v) => update((f) => ({ ...f, slug: v, slugEdited: true }))}
      />
      <div className="grid gap-5 md:grid-cols-2">
        <SelectField
          name="domain"
          label="Domain"
          hint="Only the domains you may publish in are listed."
          required
          placeholder="Choose a domain…"
          value={form.domain}
          errors={errors}
          options={domains.map((d) => ({ value: d.slug, label: d.name }))}
          onChange={(v) => update((f) => ({ ...f, domain: v }))}
        />
        <SelectField
          name="team"
          label="Owning team (optional)"
          hint="Members of the team own the product together with the owners below."
          value={form.team}
          errors={errors}
          options={[{ value: "", label: "No team" }, ...teams.map((t) => ({ value: t.slug, label: t.name }))]}
          onChange={(v) => update((f) => ({ ...f, team: v }))}
        />
      </div>
      <TextArea
        name="owners"
        label="Additional owners (optional)"
        hint={`E-mail addresses, separated by commas or new lines. You (${userEmail}) are always an owner.`}
        rows={2}
        value={form.owners}
        errors={errors}
        onChange={(v) => update((f) => ({ ...f, owners: v }))}
      />
      <TextField
        name="summary"
        label="Summary"
        hint="One line shown in the catalogue (10–300 characters)."
        required
        value={form.summary}
        errors={errors}
        onChange={(v) => update((f) => ({ ...f, summary: v }))}
      />
      <MarkdownEditor
        name="description"
        label="Description"
        hint="Markdown. What the data is, where it comes from, how often it changes, known caveats."
        value={form.description}
        errors={errors}
        onChange={(v) => update((f) => ({ ...f, description: v }))}
      />
      <div className="grid gap-5 md:grid-cols-2">
        <TextField
          name="tags"
          label="Tags (optional)"
          hint="Separated by commas or spaces: lower-case letters, digits and hyphens."
          value={form.tags}
          errors={errors}
          onChange={(v) => update((f) => ({ ...f, tags: v }))}
        />
        <SelectField
          name="classification"
          label="Classification"
          hint="The most sensitive data the product holds; ports may be stricter."
          required
          value={form.classification}
          errors={errors}
          options={CLASSIFICATIONS.map((c) => ({ value: c, label: CLASSIFICATION_HINTS[c] }))}
          onChange={(v) => update((f) => ({ ...f, classification: v }))}
        />
      </div>
    </div>
  );
}
