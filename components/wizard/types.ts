import type { FieldErrors, PortForm, WizardForm } from "@/components/wizard/form-state";

export type UpdateForm = (fn: (form: WizardForm) => WizardForm) => void;

export type StepProps = {
  form: WizardForm;
  update: UpdateForm;
  errors: FieldErrors;
};

export type DomainOption = { slug: string; name: string };
export type TeamOption = { slug: string; name: string; domain: string | null };

/** Replaces port `index` with `fn(port)`. */
export function updatePortIn(form: WizardForm, index: number, fn: (p: PortForm) => PortForm): WizardForm {
  return { ...form, outputPorts: form.outputPorts.map((p, i) => (i === index ? fn(p) : p)) };
}
