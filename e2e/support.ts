import { expect, type Page } from "@playwright/test";

export const PERSONAS = {
  owner: { name: "Olivia Owner", role: "Product owner" },
  consumer: { name: "Carlos Consumer", role: "Consumer" },
  steward: { name: "Sofia Steward", role: "Domain steward" },
  admin: { name: "Arjun Admin", role: "Platform admin" },
} as const;

export type PersonaKey = keyof typeof PERSONAS;

/** Signs in from the sign-in page with a demo persona and waits for the app shell. */
export async function signInAs(page: Page, key: PersonaKey, target = "/products") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(target)}`);
  const persona = PERSONAS[key];
  await page.getByRole("button", { name: new RegExp(`^Sign in as ${persona.name}`) }).click();
  await expect(page.getByTestId("current-user")).toHaveText(persona.name);
}
