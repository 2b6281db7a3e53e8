"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { blockingPolicies, usePolicyEvaluation } from "@/components/governance/use-policy-evaluation";
import { WizardPolicyChecks } from "@/components/governance/wizard-policy-checks";
import { ErrorSummary, summaryItems, type SummaryItem } from "@/components/wizard/error-summary";
import {
  emptyForm,
  fieldId,
  fieldKeyOf,
  normalizeForm,
  regroupErrors,
  stepIndex,
  stepOfPath,
  toSpecInput,
  validateAll,
  validateStep,
  type FieldErrors,
  type WizardForm,
} from "@/components/wizard/form-state";
import { WizardProgress } from "@/components/wizard/progress";
import { SaveStatus } from "@/components/wizard/save-status";
import { StepBasics } from "@/components/wizard/step-basics";
import { StepChecks } from "@/components/wizard/step-checks";
import { StepContracts } from "@/components/wizard/step-contracts";
import { StepInputs } from "@/components/wizard/step-inputs";
import { StepPorts } from "@/components/wizard/step-ports";
import { StepReview, type ReviewState } from "@/components/wizard/step-review";
import type { DomainOption, TeamOption, UpdateForm } from "@/components/wizard/types";
import { useDraftAutosave } from "@/components/wizard/use-autosave";
import { useHydrated } from "@/components/wizard/use-hydrated";
import { checkSlugAvailability } from "@/lib/drafts/actions";
import { LAST_STEP, WIZARD_STEPS } from "@/lib/drafts/schemas";
import { blockingChecks, runChecks } from "@/lib/products/checks";
import { previewProductSubmission, submitProduct } from "@/lib/products/actions";

export type WizardDraft = { id: string; revision: number; step: number; data: Record<string, unknown>; updatedAt: string };

export type ProductWizardProps = {
  domains: DomainOption[];
  teams: TeamOption[];
  userEmail: string;
  /** Domains where the user may publish a new product (not only create a draft). */
  publishableDomains: string[];
  draft: WizardDraft | null;
  /** Preselected domain of a new wizard (already checked to be one of `domains`). */
  initialDomain: string;
};

const REVIEW = LAST_STEP;

/** Names of ports and columns for messages ("Port returns, column 3: …"). */
function namesOf(form: WizardForm) {
  return {
    portName: (i: number) => form.outputPorts[i]?.name || String(i + 1),
    columnName: (p: number, c: number) => form.outputPorts[p]?.columns[c]?.name || String(c + 1),
  };
}
const CHECKS = stepIndex("checks");

/** The onboarding wizard: six steps, each validated with the shared schemas, saved as a draft as the owner goes. */
export function ProductWizard(props: ProductWizardProps) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [form, setForm] = useState<WizardForm>(() => (props.draft ? normalizeForm(props.draft.data) : emptyForm(props.initialDomain)));
  const [step, setStep] = useState(() => Math.min(Math.max(0, props.draft?.step ?? 0), LAST_STEP));
  const [reached, setReached] = useState(step);
  const [attempted, setAttempted] = useState<Record<number, boolean>>({});
  /** Errors only the server knows (slug taken, unknown owner…); cleared by the next edit. */
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [busy, setBusy] = useState<null | "slug" | "submit">(null);
  const [submitError, setSubmitError] = useState<{ message: string; items: SummaryItem[]; policyBlocked?: boolean } | null>(null);
  const [review, setReview] = useState<ReviewState>({ status: "loading" });
  const [publishChoice, setPublishChoice] = useState(true);

  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);
  const firstStepRender = useRef(true);
  const formRef = useRef(form);
  const stepRef = useRef(step);
  const initialForm = useRef(form);
  const reviewRequest = useRef(0);

  useEffect(() => {
    formRef.current = form;
    stepRef.current = step;
  });

  const autosave = useDraftAutosave({
    initial: props.draft ? { id: props.draft.id, revision: props.draft.revision, savedAt: props.draft.updatedAt } : null,
    payload: () => ({ step: stepRef.current, data: formRef.current as unknown as Record<string, unknown> }),
    // Reloading the page resumes this draft instead of starting another.
    onCreated: (id) => window.history.replaceState(null, "", `/products/new?draft=${id}`),
  });
  const { schedule, flush } = autosave;

  useEffect(() => {
    if (form !== initialForm.current) schedule();
  }, [form, schedule]);

  const update: UpdateForm = useCallback((fn) => {
    setForm(fn);
    setServerErrors((e) => (Object.keys(e).length ? {} : e));
    setSubmitError(null);
  }, []);

  const stepKey = WIZARD_STEPS[step]!.key;
  const { portName, columnName } = namesOf(form);

  const liveErrors = useMemo(() => (attempted[step] ? validateStep(stepKey, form) : {}), [attempted, step, stepKey, form]);
  const errors = useMemo(() => ({ ...liveErrors, ...serverErrors }), [liveErrors, serverErrors]);
  const stepErrorItems = summaryItems(
    Object.fromEntries(Object.entries(errors).filter(([k]) => k === "_" || stepIndex(stepOfPath(k)) === step)),
    portName,
    columnName,
  );

  const whole = useMemo(() => (step >= CHECKS ? validateAll(form) : null), [step, form]);
  const checks = useMemo(() => (whole?.spec ? runChecks(whole.spec) : []), [whole]);
  // The server evaluates the domain's policies on the spec as it stands, once the spec is valid.
  const policySpec = useMemo(() => (whole?.spec ? toSpecInput(form) : null), [whole, form]);
  const policies = usePolicyEvaluation(policySpec);
  const policyResults = policies.state.status === "ready" ? policies.state.results : policies.state.status === "loading" ? policies.state.previous : null;
  const policyBlocking = policyResults ? blockingPolicies(policyResults).length : 0;

  function focusField(key: string) {
    const parts = key.split(".");
    for (let n = parts.length; n > 0; n--) {
      const k = parts.slice(0, n).join(".");
      const el = document.getElementById(fieldId(k)) ?? document.getElementById(`${fieldId(k)}-section`);
      if (el) {
        el.focus();
        el.scrollIntoView?.({ block: "center" });
        return;
      }
    }
    headingRef.current?.focus();
  }

  const loadReview = useCallback(async () => {
    const request = ++reviewRequest.current;
    const spec = toSpecInput(formRef.current);
    let next: ReviewState;
    try {
      const r = await previewProductSubmission({ spec });
      if (r.ok && r.data.changePlan.exists) {
        next = {
          status: "error",
          message: `A data product with the slug “${r.data.changePlan.slug}” exists already.`,
          items: [{ key: "slug", label: "Slug", messages: ["Choose another slug in Basics."] }],
        };
      } else if (r.ok) next = { status: "ready", preview: r.data };
      else {
        const names = namesOf(formRef.current);
        next = { status: "error", message: r.error, items: summaryItems(regroupErrors(r.fieldErrors), names.portName, names.columnName) };
      }
    } catch {
      next = { status: "error", message: "Canopy could not be reached to prepare the review.", items: [] };
    }
    if (request === reviewRequest.current) setReview(next);
  }, []);

  // Step changes: save, move focus to the new step's heading (or the field a link pointed at).
  useEffect(() => {
    if (firstStepRender.current) {
      firstStepRender.current = false;
      if (step === REVIEW) void loadReview();
      return;
    }
    void flush();
    const target = pendingFocus.current;
    pendingFocus.current = null;
    if (target) focusField(target);
    else headingRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [step]);

  useEffect(() => {
    if (summaryFocus) summaryRef.current?.focus();
  }, [summaryFocus]);

  function goTo(i: number, focus?: string) {
    const target = Math.min(Math.max(0, i), LAST_STEP);
    pendingFocus.current = focus ?? null;
    if (target === REVIEW) {
      setReview({ status: "loading" });
      void loadReview();
    }
    setStep(target);
    setReached((r) => Math.max(r, target));
  }

  function jumpTo(path: string, explicitStep?: number) {
    const key = fieldKeyOf(path);
    const target = explicitStep ?? stepIndex(stepOfPath(key));
    if (target !== step) {
      setAttempted((a) => ({ ...a, [target]: true }));
      goTo(target, key);
    } else focusField(key);
  }

  async function next() {
    setAttempted((a) => ({ ...a, [step]: true }));
    const errs = validateStep(stepKey, form);
    if (Object.keys(errs).length) {
      setSummaryFocus((n) => n + 1);
      return;
    }
    if (stepKey === "basics") {
      setBusy("slug");
      let message: string | null = null;
      try {
        const r = await checkSlugAvailability({ slug: form.slug.trim() });
        if (!r.ok) message = r.error;
        else if (!r.data.available) message = r.data.message ?? "This slug is already taken; choose another";
      } catch {
        message = "Canopy could not be reached to check the slug. Try again.";
      }
      setBusy(null);
      if (message) {
        setServerErrors({ slug: [message] });
        setSummaryFocus((n) => n + 1);
        return;
      }
    }
    if (stepKey === "checks" && whole?.errors) {
      document.getElementById("wizard-incomplete")?.focus();
      return;
    }
    goTo(step + 1);
  }

  const blocking = blockingChecks(review.status === "ready" ? review.preview.checks : checks).length;
  const publishBlocked = !props.publishableDomains.includes(form.domain)
    ? "You may create products in this domain but not publish them; ask the domain's steward to publish it."
    : blocking
      ? `Publishing needs every check to pass: fix the ${blocking === 1 ? "error" : `${blocking} errors`} shown in Checks, or create a draft now.`
      : policyBlocking
        ? `Publishing needs every blocking policy to pass: fix the ${policyBlocking === 1 ? "failing policy" : `${policyBlocking} failing policies`} shown in Checks, or create a draft now.`
        : null;
  const publish = publishChoice && !publishBlocked;

  async function submit() {
    if (review.status !== "ready") return;
    setBusy("submit");
    setSubmitError(null);
    await autosave.stop();
    // Submitting deletes the draft, and the server re-renders this page with the action's answer:
    // without the draft in the address, that render is a plain wizard page, not "draft not found".
    const address = `${window.location.pathname}${window.location.search}`;
    window.history.replaceState(null, "", "/products/new");
    let failure: { message: string; fieldErrors?: Record<string, string[]>; policyBlocked?: boolean };
    try {
      const r = await submitProduct({ spec: toSpecInput(form), publish, draftId: autosave.draftId() ?? undefined });
      if (r.ok) {
        router.push(`/products/${encodeURIComponent(r.data.slug)}`);
        return;
      }
      failure = { message: r.error, fieldErrors: r.fieldErrors, policyBlocked: r.code === "policy_blocked" };
    } catch {
      failure = { message: "Canopy could not be reached. Your draft is kept; try again." };
    }
    window.history.replaceState(null, "", address);
    autosave.resume();
    setBusy(null);
    const regrouped = regroupErrors(failure.fieldErrors);
    setServerErrors(regrouped);
    // The policies changed since they were last checked here: show what the server found.
    if (failure.policyBlocked) {
      setPublishChoice(false);
      policies.retry();
    }
    setSubmitError({ message: failure.message, items: summaryItems(regrouped, portName, columnName), policyBlocked: failure.policyBlocked });
    setSummaryFocus((n) => n + 1);
  }

  const draftId = autosave.draftId();
  const showSummary = Boolean(attempted[step] && stepErrorItems.length && step < CHECKS);

  return (
    <div>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <WizardProgress current={step} reached={reached} onGo={(i) => goTo(i)} />
        <SaveStatus state={autosave.state} onRetry={() => void flush()} onReload={() => window.location.assign(draftId ? `/products/new?draft=${draftId}` : "/products/new")} />
      </div>

      <section aria-labelledby="wizard-step-heading" className="card p-6">
        <h2 id="wizard-step-heading" ref={headingRef} tabIndex={-1} className="mb-4 text-xl font-semibold focus:outline-none focus-visible:outline-2">
          <span className="text-slate-500">
            Step {step + 1} of {WIZARD_STEPS.length}:
          </span>{" "}
          {WIZARD_STEPS[step]!.label}
        </h2>

        {/* Until React runs, typing would be lost: the form is disabled for that moment. */}
        <fieldset disabled={!hydrated} className="m-0 min-w-0 border-0 p-0">
          {showSummary ? <ErrorSummary ref={summaryRef} items={stepErrorItems} onJump={(k) => jumpTo(k)} /> : null}
          {submitError ? (
            <ErrorSummary ref={summaryRef} title="The product was not created" intro={submitError.message} items={submitError.items} onJump={(k) => jumpTo(k)} />
          ) : null}
          {submitError?.policyBlocked && stepKey !== "checks" ? (
            <div className="mb-4">
              <WizardPolicyChecks state={policies.state} onRetry={policies.retry} onJump={(path) => jumpTo(path)} />
            </div>
          ) : null}

          {stepKey === "basics" ? (
            <StepBasics form={form} update={update} errors={errors} domains={props.domains} teams={props.teams} userEmail={props.userEmail} />
          ) : stepKey === "ports" ? (
            <StepPorts form={form} update={update} errors={errors} />
          ) : stepKey === "contracts" ? (
            <StepContracts form={form} update={update} errors={errors} />
          ) : stepKey === "inputs" ? (
            <StepInputs form={form} update={update} errors={errors} />
          ) : stepKey === "checks" ? (
            <StepChecks
              invalid={whole?.errors ?? null}
              checks={checks}
              portName={portName}
              columnName={columnName}
              onJump={jumpTo}
              policies={<WizardPolicyChecks state={policies.state} onRetry={policies.retry} onJump={(path) => jumpTo(path)} />}
            />
          ) : (
            <StepReview
              state={review}
              slug={form.slug}
              onRetry={() => {
                setReview({ status: "loading" });
                void loadReview();
              }}
              onJump={(k) => jumpTo(k)}
              publish={publish}
              publishBlocked={publishBlocked}
              onPublishChange={setPublishChoice}
            />
          )}

          <div className="mt-8 flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4">
            <div>
              {step > 0 ? (
                <button type="button" className="btn-secondary" disabled={busy !== null} onClick={() => goTo(step - 1)}>
                  Back
                </button>
              ) : null}
            </div>
            {step < REVIEW ? (
              <button type="button" className="btn-primary" disabled={busy !== null} onClick={() => void next()}>
                {busy === "slug" ? "Checking the slug…" : `Next: ${WIZARD_STEPS[step + 1]!.label}`}
              </button>
            ) : (
              <button type="button" className="btn-primary" disabled={busy !== null || review.status !== "ready"} onClick={() => void submit()}>
                {busy === "submit" ? "Creating…" : publish ? "Create and publish" : "Create as draft"}
              </button>
            )}
          </div>
        </fieldset>
      </section>
    </div>
  );
}
