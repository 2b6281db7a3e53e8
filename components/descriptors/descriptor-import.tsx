"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, type ChangeEvent } from "react";
import {
  applyImport,
  byteSize,
  MAX_DESCRIPTOR_BYTES,
  previewImport,
  type ApplyAnswer,
  type ImportProblem,
  type PreviewAnswer,
} from "@/components/descriptors/import-api";
import { AffectedList, ImportPreview, WarningList } from "@/components/descriptors/import-preview";
import { ChangeList } from "@/components/products/change-list";

type Phase =
  | { kind: "editing" }
  | { kind: "previewing" }
  | { kind: "previewed"; preview: PreviewAnswer }
  | { kind: "applying"; preview: PreviewAnswer }
  | { kind: "applied"; result: ApplyAnswer };

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function problemOf(message: string, code = "client"): ImportProblem {
  return { status: 0, code, error: message };
}

/** The list of problems with a descriptor, by document path; focused when it appears. */
function ProblemSummary({ problem, summaryRef }: { problem: ImportProblem; summaryRef: React.RefObject<HTMLDivElement | null> }) {
  const entries = Object.entries(problem.fieldErrors ?? {}).filter(([key, messages]) => !(key === "_" && messages.length === 1 && messages[0] === problem.error));
  return (
    <div ref={summaryRef} tabIndex={-1} role="alert" aria-labelledby="import-problem-title" className="rounded-md border-2 border-rose-600 bg-white p-4">
      <h2 id="import-problem-title" className="text-base font-semibold text-rose-800">
        {problem.code === "breaking_change"
          ? "Confirm the breaking change"
          : entries.length > 1
            ? `The descriptor has ${entries.length} problems`
            : "The descriptor cannot be imported"}
      </h2>
      <p className="mt-1 text-sm text-slate-800">{entries.length ? problemIntro(problem) : problem.error}</p>
      {entries.length ? (
        <ul className="mt-2 space-y-1 text-sm">
          {entries.map(([path, messages]) => (
            <li key={path}>
              <code className="rounded bg-rose-50 px-1 font-mono text-xs text-rose-900">{path === "_" ? "document" : path}</code>{" "}
              {messages.join(" ")}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function problemIntro(p: ImportProblem): string {
  if (p.status === 413) return "It is larger than 1 MB.";
  if (p.status === 403) return p.error;
  return "Fix these in the descriptor and preview again. Paths are written as in the document, like outputPorts[1].contractId.";
}

/**
 * Import a descriptor: paste or upload ODPS (with its ODCS contracts), preview what Canopy reads and
 * what would change (classified, with who a breaking change affects), then apply it as a new
 * version. `target` fixes the product (from the product page); otherwise the document names it.
 */
export function DescriptorImport({ target }: { target: { slug: string; name: string } | null }) {
  const [text, setText] = useState("");
  const [phase, setPhase] = useState<Phase>({ kind: "editing" });
  const [problem, setProblem] = useState<ImportProblem | null>(null);
  const [fileNote, setFileNote] = useState("");
  const [version, setVersion] = useState("");
  const [changelog, setChangelog] = useState("");
  const [publish, setPublish] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const previewRef = useRef<HTMLHeadingElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const ids = {
    text: useId(),
    textHint: useId(),
    file: useId(),
    fileHint: useId(),
    version: useId(),
    versionHint: useId(),
    changelog: useId(),
    ack: useId(),
    publish: useId(),
  };

  useEffect(() => {
    if (problem) summaryRef.current?.focus();
  }, [problem]);
  useEffect(() => {
    if (phase.kind === "previewed") previewRef.current?.focus();
    if (phase.kind === "applied") doneRef.current?.focus();
  }, [phase.kind]);

  const busy = phase.kind === "previewing" || phase.kind === "applying";
  const preview = phase.kind === "previewed" || phase.kind === "applying" ? phase.preview : null;
  const publishedUpdate = !!preview && preview.exists && preview.plan.status !== "draft" && !preview.unchanged;
  const breaking = !!preview && preview.exists && preview.plan.level === "major" && preview.plan.status !== "draft";
  const versionError = publishedUpdate && version && !SEMVER.test(version) ? "Use a version like 1.2.3" : "";

  function edit(next: string) {
    setText(next);
    // A preview belongs to the text it was made from.
    if (phase.kind === "previewed") setPhase({ kind: "editing" });
  }

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setProblem(null);
    setFileNote("");
    if (!file) return;
    if (file.size > MAX_DESCRIPTOR_BYTES) {
      setProblem(problemOf(`${file.name} is ${(file.size / (1024 * 1024)).toFixed(1)} MB; the limit is 1 MB.`, "too_large"));
      e.target.value = "";
      return;
    }
    let content: string;
    try {
      content = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      setProblem(problemOf(`${file.name} is not UTF-8 text. Save it as UTF-8 and choose it again.`, "invalid_encoding"));
      e.target.value = "";
      return;
    }
    edit(content);
    setFileNote(`Loaded ${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB). Review it below, then preview.`);
  }

  async function runPreview() {
    setProblem(null);
    if (!text.trim()) {
      setProblem(problemOf("Paste a descriptor or choose a file first."));
      return;
    }
    if (byteSize(text) > MAX_DESCRIPTOR_BYTES) {
      setProblem(problemOf("The descriptor is larger than 1 MB. Split it, or leave out what Canopy does not need.", "too_large"));
      return;
    }
    setPhase({ kind: "previewing" });
    const answer = await previewImport(text, target?.slug);
    if (!answer.ok) {
      setPhase({ kind: "editing" });
      setProblem(answer.problem);
      return;
    }
    setVersion(answer.data.version);
    setPublish(answer.data.publish);
    setAcknowledged(false);
    setPhase({ kind: "previewed", preview: answer.data });
  }

  async function runApply() {
    if (!preview || versionError) return;
    setProblem(null);
    setPhase({ kind: "applying", preview });
    const answer = await applyImport(text, target?.slug ?? preview.slug, {
      publish: preview.exists ? undefined : publish,
      version: publishedUpdate && version !== preview.version ? version : undefined,
      changelog: changelog.trim() || undefined,
      acknowledgeBreaking: acknowledged,
    });
    if (!answer.ok) {
      setPhase({ kind: "previewed", preview });
      setProblem(answer.problem);
      return;
    }
    setPhase({ kind: "applied", result: answer.data });
  }

  function reset() {
    setText("");
    setFileNote("");
    setChangelog("");
    setProblem(null);
    setPhase({ kind: "editing" });
    requestAnimationFrame(() => textRef.current?.focus());
  }

  if (phase.kind === "applied") {
    const r = phase.result;
    const slug = r.slug;
    return (
      <section aria-labelledby="import-done" className="card space-y-3 p-6">
        <h2 id="import-done" ref={doneRef} tabIndex={-1} className="text-lg font-semibold text-slate-900">
          {r.outcome === "unchanged"
            ? `Nothing changed: ${slug} already matches the descriptor`
            : r.created
              ? `Created ${slug} (version ${r.version}, ${r.status})`
              : r.status === "draft"
                ? `Saved the draft ${slug}`
                : `Published version ${r.version} of ${slug}`}
        </h2>
        <WarningList warnings={r.warnings} />
        <div className="flex flex-wrap gap-2">
          <Link className="btn-primary" href={`/products/${encodeURIComponent(slug)}`}>
            Open the product page
          </Link>
          <button type="button" className="btn-secondary" onClick={reset}>
            Import another descriptor
          </button>
        </div>
      </section>
    );
  }

  return (
    <div className="space-y-6">
      {problem ? <ProblemSummary problem={problem} summaryRef={summaryRef} /> : null}

      <form
        className="card space-y-4 p-6"
        aria-labelledby="import-source"
        onSubmit={(e) => {
          e.preventDefault();
          void runPreview();
        }}
      >
        <h2 id="import-source" className="text-lg font-semibold text-slate-900">
          {target ? `Descriptor for ${target.name}` : "Descriptor"}
        </h2>
        <div>
          <label htmlFor={ids.file} className="block text-sm font-medium text-slate-800">
            Upload a file
          </label>
          <input
            id={ids.file}
            type="file"
            accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
            aria-describedby={ids.fileHint}
            className="mt-1 block text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
            onChange={(e) => void onFile(e)}
            disabled={busy}
          />
          <p id={ids.fileHint} className="mt-1 text-xs text-slate-600">
            YAML or JSON, at most 1 MB. The file is shown below before anything is sent.
          </p>
          <p role="status" className="mt-1 text-xs text-slate-700">
            {fileNote}
          </p>
        </div>
        <div>
          <label htmlFor={ids.text} className="block text-sm font-medium text-slate-800">
            Descriptor (YAML or JSON)
          </label>
          <p id={ids.textHint} className="mt-1 text-xs text-slate-600">
            The ODPS DataProduct first, then the ODCS DataContract of each output port, separated by <code className="font-mono">---</code>; or a JSON
            bundle <code className="font-mono">{'{ "product": …, "contracts": [ … ] }'}</code>.
            {target ? " The product is the one named above, whatever the document says." : " The document's canopySlug (or its name) says which product it is."}
          </p>
          <textarea
            id={ids.text}
            ref={textRef}
            value={text}
            onChange={(e) => edit(e.target.value)}
            aria-describedby={ids.textHint}
            rows={18}
            spellCheck={false}
            className="input mt-2 font-mono text-xs"
            placeholder={"apiVersion: v1.0.0\nkind: DataProduct\nid: …\nname: …\nstatus: active\ndomain: …\noutputPorts:\n  - name: …\n---\napiVersion: v3.1.0\nkind: DataContract\n…"}
            disabled={busy}
          />
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary" disabled={busy}>
            {phase.kind === "previewing" ? "Checking…" : "Preview changes"}
          </button>
          <span role="status" aria-live="polite" className="text-sm text-slate-600">
            {phase.kind === "previewing" ? "Checking the descriptor…" : phase.kind === "applying" ? "Saving…" : ""}
          </span>
        </div>
      </form>

      {preview ? (
        <section aria-labelledby="import-preview" className="card space-y-5 p-6" aria-busy={phase.kind === "applying"}>
          <h2 id="import-preview" ref={previewRef} tabIndex={-1} className="text-lg font-semibold text-slate-900">
            Preview
          </h2>
          <ImportPreview preview={preview} />

          {problem?.code === "breaking_change" && problem.changes ? (
            <div className="rounded-md border border-rose-300 bg-rose-50 p-4 text-sm">
              <p className="font-semibold text-rose-900">{problem.error}</p>
              <div className="mt-2">
                <ChangeList changes={problem.changes} />
              </div>
              {problem.affected ? (
                <div className="mt-2">
                  <AffectedList affected={problem.affected} />
                </div>
              ) : null}
            </div>
          ) : null}

          {preview.unchanged ? (
            <p className="text-sm text-slate-700">There is nothing to apply.</p>
          ) : (
            <form
              className="space-y-4 border-t border-slate-200 pt-4"
              aria-label="Apply the import"
              onSubmit={(e) => {
                e.preventDefault();
                void runApply();
              }}
            >
              {!preview.exists ? (
                <div className="flex items-start gap-2">
                  <input id={ids.publish} type="checkbox" className="mt-1" checked={publish} onChange={(e) => setPublish(e.target.checked)} disabled={busy} />
                  <label htmlFor={ids.publish} className="text-sm text-slate-800">
                    Publish now
                    <span className="block text-xs text-slate-600">Otherwise the product is saved as a draft that only its owners and the domain&apos;s stewards see.</span>
                  </label>
                </div>
              ) : null}
              {publishedUpdate ? (
                <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
                  <div>
                    <label htmlFor={ids.version} className="block text-sm font-medium text-slate-800">
                      Version
                    </label>
                    <input
                      id={ids.version}
                      className="input mt-1"
                      value={version}
                      onChange={(e) => setVersion(e.target.value.trim())}
                      aria-describedby={ids.versionHint}
                      aria-invalid={!!versionError}
                      disabled={busy}
                    />
                    <p id={ids.versionHint} className={`mt-1 text-xs ${versionError ? "text-rose-700" : "text-slate-600"}`}>
                      {versionError || `At least ${preview.plan.suggestedVersion} for this ${preview.plan.level} change.`}
                    </p>
                  </div>
                  <div>
                    <label htmlFor={ids.changelog} className="block text-sm font-medium text-slate-800">
                      Changelog <span className="font-normal text-slate-500">(optional)</span>
                    </label>
                    <textarea
                      id={ids.changelog}
                      className="input mt-1"
                      rows={3}
                      maxLength={5000}
                      value={changelog}
                      onChange={(e) => setChangelog(e.target.value)}
                      placeholder="What changed, for the people who read this product"
                      disabled={busy}
                    />
                  </div>
                </div>
              ) : null}
              {breaking ? (
                <div className="flex items-start gap-2">
                  <input id={ids.ack} type="checkbox" className="mt-1" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} disabled={busy} />
                  <label htmlFor={ids.ack} className="text-sm text-slate-800">
                    I have reviewed who is affected and want to publish this breaking change
                  </label>
                </div>
              ) : null}
              <div className="flex flex-wrap gap-2">
                <button type="submit" className="btn-primary" disabled={busy || (breaking && !acknowledged) || !!versionError}>
                  {phase.kind === "applying" ? "Saving…" : preview.exists ? "Apply changes" : "Create product"}
                </button>
                <button type="button" className="btn-secondary" onClick={() => textRef.current?.focus()} disabled={busy}>
                  Edit the descriptor
                </button>
              </div>
            </form>
          )}
        </section>
      ) : null}
    </div>
  );
}
