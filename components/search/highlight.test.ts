import { describe, expect, it } from "vitest";
import { highlightText, markQuery } from "@/components/search/highlight";

const marked = (text: string, q: string) =>
  markQuery(text, q)
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join("");

describe("markQuery", () => {
  it("marks each query word where a word of the label starts with it, ignoring case", () => {
    expect(marked("Customer Orders", "cust ord")).toBe("[Cust]omer [Ord]ers");
    expect(marked("customer_email", "email")).toBe("customer_[email]");
  });

  it("does not mark inside a word", () => {
    expect(marked("Recorded sales", "ord")).toBe("Recorded sales");
  });

  it("prefers the longer of two overlapping words", () => {
    expect(marked("Sales Orders", "s sales")).toBe("[Sales] Orders");
  });

  it("treats the query as text, not as a pattern", () => {
    expect(marked("a.b (c)", "(c")).toBe("a.b ([c])");
    expect(marked("price.*", ".*")).toBe("price.*");
  });

  it("keeps the whole label, so the text reads the same with or without marks", () => {
    const cases: [string, string][] = [
      ["Daily Sales KPIs", "kpi daily"],
      ["Chloé Martin", "chlo"],
      ["", "x"],
      ["FX Rates", ""],
    ];
    for (const [label, q] of cases) {
      expect(highlightText(markQuery(label, q))).toBe(label);
    }
    expect(marked("Chloé Martin", "chloé")).toBe("[Chloé] Martin");
  });
});
