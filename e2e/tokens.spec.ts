import { expect, test } from "@playwright/test";
import { signInAs } from "./support";

const TOKEN_RE = /^cnp_[A-Za-z0-9_-]{43}$/;

test.describe("API tokens", () => {
  test("an owner creates a token, sees it once, calls the API with it, revokes it, and it is refused", async ({ page, request }) => {
    await signInAs(page, "owner", "/settings/tokens");
    await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();

    // A missing name is caught before anything is sent.
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText("Give the token a name")).toBeVisible();

    await page.getByLabel("Name", { exact: true }).fill("e2e-pipeline");
    await page.getByRole("checkbox", { name: /^Create and change products/ }).check();
    await page.getByLabel("Expires in (days)").fill("30");
    await page.getByRole("button", { name: "Create token" }).click();

    const panel = page.getByRole("region", { name: /^Copy your new token/ });
    await expect(panel).toBeVisible();
    await expect(panel.getByRole("heading")).toBeFocused();
    const secret = await panel.getByLabel("Your new token").inputValue();
    expect(secret).toMatch(TOKEN_RE);
    const row = page.getByRole("table", { name: "Your API tokens" }).getByRole("row", { name: /e2e-pipeline/ });
    await expect(row).toContainText(`cnp_${secret.slice(4, 12)}…`);
    await expect(row).toContainText("active");
    await expect(row).toContainText("Never");

    // Playwright's own request context has no session: only the token speaks for Olivia.
    const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ email: "olivia.owner@canopy.demo" });

    // Shown once: after a reload only its prefix is left, and the last use is recorded.
    await page.reload();
    await expect(page.getByRole("region", { name: /^Copy your new token/ })).toHaveCount(0);
    await expect(page.locator(`input[value="${secret}"]`)).toHaveCount(0);
    await expect(row).toContainText(`cnp_${secret.slice(4, 12)}…`);
    await expect(row).not.toContainText("Never");

    // Revoke, after confirming.
    await row.getByRole("button", { name: "Revoke e2e-pipeline" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke “e2e-pipeline”?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole("status").filter({ hasText: "Token “e2e-pipeline” revoked." })).toBeVisible();
    await expect(row).toContainText("revoked");
    await expect(row.getByRole("button", { name: "Revoke e2e-pipeline" })).toHaveCount(0);

    const after = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
    expect(after.status()).toBe(401);
    expect(await after.json()).toMatchObject({ code: "invalid_token" });
  });

  test("tokens work only on the API, within their scopes, and cannot mint tokens", async ({ page, request }) => {
    await signInAs(page, "owner");
    const created = await page.request.post("/api/v1/tokens", { data: { name: "e2e-read-only", scopes: ["catalog:read"], expiresInDays: 1 } });
    expect(created.status()).toBe(201);
    const { secret, token } = (await created.json()) as { secret: string; token: { prefix: string; scopes: string[] } };
    expect(secret).toMatch(TOKEN_RE);
    expect(token).toMatchObject({ prefix: secret.slice(4, 12), scopes: ["catalog:read"] });
    const auth = { Authorization: `Bearer ${secret}` };

    const products = await request.get("/api/v1/products", { headers: auth });
    expect(products.status()).toBe(200);
    expect(((await products.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const provisioning = await request.get("/api/v1/products/sales-orders/provisioning", { headers: auth });
    expect(provisioning.status()).toBe(403);
    expect(await provisioning.json()).toMatchObject({ code: "insufficient_scope" });
    const mint = await request.post("/api/v1/tokens", { headers: auth, data: { name: "successor", scopes: ["admin"] } });
    expect(mint.status()).toBe(403);

    // Pages never take a token: they still ask to sign in.
    const pageWithToken = await request.get("/products", { headers: auth, maxRedirects: 0 });
    expect(pageWithToken.status()).toBe(307);
    expect(pageWithToken.headers().location).toContain("/signin");

    for (const header of ["Basic b2xpdmlhOnNlY3JldA==", "Bearer not-a-canopy-token", `Bearer ${secret}x`]) {
      const res = await request.get("/api/v1/me", { headers: { Authorization: header } });
      expect(res.status(), header).toBe(401);
      expect(await res.json(), header).toMatchObject({ code: "invalid_token" });
    }
  });

  test("the OpenAPI document is public and the API page renders from it", async ({ page, request }) => {
    const res = await request.get("/api/v1/openapi.json");
    expect(res.status()).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/me", "/api/v1/tokens", "/api/v1/products/{slug}/descriptor"]));

    await signInAs(page, "consumer", "/api-docs");
    await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Data as code: descriptors in git" })).toBeVisible();
    const put = page.getByRole("article").filter({ has: page.getByRole("heading", { name: /^PUT\s*\/api\/v1\/products\/\{slug\}\/descriptor\s*—/ }) });
    await expect(put).toContainText("an API token with products:write");
    await expect(put.getByRole("table", { name: /^Parameters of/ })).toContainText("acknowledgeBreaking");
  });
});
