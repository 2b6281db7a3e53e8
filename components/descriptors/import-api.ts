import type { DescriptorWarning } from "@/lib/descriptors/import";
import type { DescriptorPreview } from "@/lib/descriptors/service";
import type { Affected } from "@/lib/products/affected";
import type { Change } from "@/lib/products/changes";
import type { SaveResult } from "@/lib/products/service";

/**
 * The import screen talks to the REST API (the same endpoints a CI pipeline uses), sending the
 * descriptor as it is — at most 1 MB — rather than through a server action.
 */

export const MAX_DESCRIPTOR_BYTES = 1024 * 1024;

export type ImportProblem = {
  status: number;
  error: string;
  code: string;
  fieldErrors?: Record<string, string[]>;
  /** A breaking change that was not acknowledged. */
  changes?: Change[];
  affected?: Affected;
  requiredVersion?: string;
};

export type PreviewAnswer = DescriptorPreview & { dryRun: true };
export type ApplyAnswer =
  | (SaveResult & { warnings: DescriptorWarning[]; outcome?: undefined })
  | { outcome: "unchanged"; slug: string; version: string; warnings: DescriptorWarning[]; created: false };

type Answer<T> = { ok: true; data: T } | { ok: false; problem: ImportProblem };

async function send<T>(url: string, method: "POST" | "PUT", text: string): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      body: text,
      headers: { "Content-Type": "application/yaml; charset=utf-8", Accept: "application/json" },
      cache: "no-store",
    });
  } catch {
    return { ok: false, problem: { status: 0, code: "network", error: "Canopy could not be reached. Check your connection and try again." } };
  }
  const body = (await res.json().catch(() => null)) as (T & Partial<ImportProblem>) | null;
  if (!res.ok)
    return {
      ok: false,
      problem: { status: res.status, code: body?.code ?? "http_error", error: body?.error ?? `The request failed (HTTP ${res.status})`, ...(body ?? {}) },
    };
  return { ok: true, data: body as T };
}

const descriptorUrl = (slug: string, query: Record<string, string | undefined>) => {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
  return `/api/v1/products/${encodeURIComponent(slug)}/descriptor?${q.toString()}`;
};

/** What importing would do: into `slug` when given, else into the product the document names. */
export function previewImport(text: string, slug?: string): Promise<Answer<PreviewAnswer>> {
  return slug ? send(descriptorUrl(slug, { dryRun: "true" }), "PUT", text) : send("/api/v1/descriptors/preview", "POST", text);
}

export function applyImport(
  text: string,
  slug: string,
  opts: { publish?: boolean; version?: string; changelog?: string; acknowledgeBreaking?: boolean },
): Promise<Answer<ApplyAnswer>> {
  return send(
    descriptorUrl(slug, {
      publish: opts.publish === undefined ? undefined : String(opts.publish),
      version: opts.version || undefined,
      changelog: opts.changelog || undefined,
      acknowledgeBreaking: opts.acknowledgeBreaking ? "true" : undefined,
    }),
    "PUT",
    text,
  );
}

/** UTF-8 size of a text, as the server counts it. */
export const byteSize = (text: string) => new Blob([text]).size;
