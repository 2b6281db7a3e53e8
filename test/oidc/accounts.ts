/**
 * Accounts of the test identity provider (test/oidc/server.ts), shared with the browser tests
 * (e2e/oidc.spec.ts). The login name on the provider's sign-in form is the account id.
 */

export type TestAccount = {
  /** Login name on the provider's form, and the `sub` claim. */
  id: string;
  name: string;
  email: string;
  /** Sent as the `groups` claim, as the provider has them (Keycloak-style paths included). */
  groups: string[];
};

export const TEST_ACCOUNTS = {
  /** Member of the group mapped to platform_admin by OIDC_ROLE_MAPPING in playwright.config.ts. */
  alice: { id: "alice", name: "Alice Admin", email: "alice@idp.test", groups: ["canopy-admins", "staff"] },
  /** Group sent as a Keycloak group path: the portal strips the leading slash, then maps it to steward:customer. */
  sam: { id: "sam", name: "Sam Steward", email: "sam@idp.test", groups: ["/customer-stewards"] },
  /** No groups at all: a plain consumer. */
  nina: { id: "nina", name: "Nina NoGroups", email: "nina@idp.test", groups: [] },
} satisfies Record<string, TestAccount>;

export type TestAccountId = keyof typeof TEST_ACCOUNTS;

export function findTestAccount(id: string): TestAccount | undefined {
  return Object.hasOwn(TEST_ACCOUNTS, id) ? TEST_ACCOUNTS[id as TestAccountId] : undefined;
}
