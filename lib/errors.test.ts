import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, UserError, brandError } from "@/lib/errors";
import { IntegrationError } from "@/lib/integrations/http";

/** Stands for the same classes loaded a second time (another bundle of the production server). */
function foreignCopy(name: string, kinds: string[]) {
  const err = new Error("from another copy");
  err.name = name;
  brandError(err, kinds);
  return err;
}

describe("errors from another copy of the module", () => {
  it("are still recognised by their class and parents", () => {
    const notFound = foreignCopy("NotFoundError", ["NotFoundError", "UserError"]);
    expect(notFound instanceof NotFoundError).toBe(true);
    expect(notFound instanceof UserError).toBe(true);
    expect(notFound instanceof ConflictError).toBe(false);
    expect(foreignCopy("IntegrationError", ["IntegrationError"]) instanceof IntegrationError).toBe(true);
  });

  it("are not mistaken for a subclass they are not", () => {
    class SpecialError extends UserError {}
    expect(foreignCopy("UserError", ["UserError"]) instanceof SpecialError).toBe(false);
    expect(new Error("plain") instanceof UserError).toBe(false);
  });

  it("brands errors made here with their whole chain", () => {
    const err = new NotFoundError();
    expect(foreignCopyLike(err)).toEqual(["NotFoundError", "UserError"]);
  });
});

function foreignCopyLike(err: Error): unknown {
  return (err as unknown as Record<symbol, unknown>)[Symbol.for("canopy.error.kinds")];
}
