import { describe, expect, it } from "vitest";
import { bestCorrection, editDistance, singleEdits } from "@/lib/search/service";

describe("typo correction", () => {
  it("counts a swap of neighbouring letters as one edit", () => {
    expect(editDistance("pracel", "parcel")).toBe(1);
    expect(editDistance("custmer", "customer")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("lists every single edit of a word, and not the word itself", () => {
    const edits = singleEdits("pracel");
    expect(edits).toContain("parcel"); // swap
    expect(edits).toContain("prcel"); // deletion
    expect(edits).toContain("pracels"); // insertion
    expect(edits).toContain("bracel"); // substitution
    expect(edits).not.toContain("pracel");
    expect(new Set(edits).size).toBe(edits.length);
  });

  it("prefers the fewest edits, then similarity, then the most used word, and refuses distant words", () => {
    const c = (term: string, sim: number, n: number) => ({ term, sim, n });
    expect(bestCorrection("pracel", [c("parcel", 0.27, 3), c("pratel", 0.4, 1), c("parcels", 0.25, 9)])).toBe("pratel");
    expect(bestCorrection("pracel", [c("parcel", 0.27, 3), c("place", 0.3, 50)])).toBe("parcel");
    expect(bestCorrection("orders", [c("order", 0.6, 1), c("orders", 1, 1), c("borders", 0.6, 1)])).toBe("orders");
    expect(bestCorrection("custmer", [c("customer", 0.5, 1), c("custom", 0.5, 40)])).toBe("customer");
    expect(bestCorrection("abcdef", [c("uvwxyz", 0.3, 10)])).toBeNull();
    expect(bestCorrection("abc", [])).toBeNull();
  });
});
