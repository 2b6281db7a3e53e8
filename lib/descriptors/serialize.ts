import { Document, visit } from "yaml";
import type { BuiltDescriptors } from "@/lib/descriptors/build";

/**
 * Descriptors as text. YAML is written for every reader, not only YAML 1.2 ones: strings that a
 * YAML 1.1 parser (PyYAML, SnakeYAML, most data tools) would read as a boolean, number, date or
 * null — `yes`, `on`, `2023-01-15`, `1:20`, `0o14` — are quoted, lines are not folded, and shared
 * values are written out rather than as anchors. Client-safe.
 */

const AMBIGUOUS = new RegExp(
  "^(?:" +
    [
      "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
      "~|null|Null|NULL|=|<<",
      "[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?)",
      "[-+]?(?:[0-9][0-9_]*)?\\.?[0-9_]*(?:[eE][-+]?[0-9]+)?",
      "[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)",
      "\\d{4}-\\d\\d?-\\d\\d?(?:(?:[Tt]|[ \\t]+)\\d\\d?:\\d\\d:\\d\\d(?:\\.\\d*)?(?:[ \\t]*(?:Z|[-+]\\d\\d?(?::\\d\\d)?))?)?",
    ].join("|") +
    ")$",
);

export function toYaml(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && node.value !== "" && AMBIGUOUS.test(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Several documents in one YAML stream. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map((v) => toYaml(v)).join("---\n");
}

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The product and its contracts as one body, in the format the import reads back. */
export function descriptorBundle(built: BuiltDescriptors, format: "yaml" | "json"): string {
  return format === "yaml"
    ? toYamlStream([built.odps, ...built.contracts.map((c) => c.odcs)])
    : toJsonText({ product: built.odps, contracts: built.contracts.map((c) => c.odcs) });
}
