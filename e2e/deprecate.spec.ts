import { expect, test } from "@playwright/test";
import { signInAs } from "./support";

test.describe("deprecating a product", () => {
  test("a consumer is not offered it", async ({ page }) => {
    await signInAs(page, "consumer", "/products/price-book");
    await expect(page.getByRole("heading", { name: "Price Book", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Deprecate…" })).toHaveCount(0);
  });

  test("the dialog shows the impact, needs a reason, and deprecates", async ({ page }) => {
    await signInAs(page, "admin", "/products/price-book");
    await page.getByRole("button", { name: "Deprecate…" }).click();
    const dialog = page.getByRole("dialog", { name: "Deprecate Price Book?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("region", { name: "What depends on it" })).toContainText("0 downstream products");

    // Escape closes it, and focus returns to the button.
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Deprecate…" })).toBeFocused();

    await page.getByRole("button", { name: "Deprecate…" }).click();
    await expect(dialog.getByRole("region", { name: "What depends on it" })).toContainText("will be notified");
    await dialog.getByRole("button", { name: "Deprecate product" }).click();
    const reason = dialog.getByLabel(/^Reason/);
    await expect(reason).toBeFocused();
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByText("Say why, and what consumers should move to")).toBeVisible();

    await reason.fill("Prices move to the Pricing product's list-prices port; this one retires on 1 March.");
    await dialog.getByRole("button", { name: "Deprecate product" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole("note").filter({ hasText: "This product is deprecated" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Deprecate…" })).toHaveCount(0);
  });
});
