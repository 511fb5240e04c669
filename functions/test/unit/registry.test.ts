import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Provider, ProviderModule } from "../../src/providers/contract";
import { chooseProviders, PROVIDERS, ProviderChoiceError } from "../../src/providers/registry";

const names = (secrets: { name: string }[]) => secrets.map((secret) => secret.name);

describe("the registry", () => {
  it("lists every provider once, each with its own route under /webhooks", () => {
    const ids = PROVIDERS.map((provider) => provider.id);
    // Every provider folder (a descriptor in provider.ts) is registered, once.
    const folders = readdirSync(join(__dirname, "../../src/providers"), { withFileTypes: true })
      .filter((entry) => existsSync(join(entry.parentPath, entry.name, "provider.ts")))
      .map((entry) => entry.name);
    expect([...ids].sort()).toEqual(folders.sort());
    const paths = PROVIDERS.map((provider) => provider.route.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const provider of PROVIDERS) {
      expect(provider.route.path).toMatch(/^\/webhooks(\/[a-z0-9-]+)?$/);
      expect(provider.route.maxBytes).toBeGreaterThan(0);
    }
    // Only the first provider keeps the bare /webhooks: every later one is /webhooks/<id>.
    expect(PROVIDERS.filter((p) => p.route.path !== `/webhooks/${p.id}`).map((p) => p.id)).toEqual([
      "passbase",
    ]);
  });

  it("chooses the providers VERIFICATION_PROVIDERS names, in its order, each once", () => {
    const registry = chooseProviders(" persona, stripe ,persona ");
    expect(registry.chosen.map((provider) => provider.id)).toEqual(["persona", "stripe"]);
    expect(names(registry.webhookSecrets)).toEqual([
      "PERSONA_WEBHOOK_SECRET",
      "STRIPE_WEBHOOK_SECRET",
    ]);
    expect(names(registry.apiSecrets)).toEqual(["PERSONA_API_KEY", "STRIPE_SECRET_KEY"]);
    expect(registry.get("stripe")?.name).toBe("Stripe Identity");
    expect(registry.get("passbase")).toBeUndefined();
    expect(registry.get(undefined)).toBeUndefined();
  });

  it("gives verifications stored without a provider to Passbase, only when it is chosen", () => {
    expect(chooseProviders("stripe,passbase").ofStored(undefined)?.id).toBe("passbase");
    expect(chooseProviders("stripe").ofStored(undefined)).toBeUndefined();
    expect(chooseProviders("stripe").ofStored("stripe")?.id).toBe("stripe");
    expect(chooseProviders("stripe").ofStored("persona")).toBeUndefined();
  });

  it.each([
    ["acme", 'VERIFICATION_PROVIDERS names an unknown provider "acme"'],
    ["stripe,Stripe", 'VERIFICATION_PROVIDERS names an unknown provider "Stripe"'],
    ["", "VERIFICATION_PROVIDERS is not set"],
    [undefined, "VERIFICATION_PROVIDERS is not set"],
    [" , ", "VERIFICATION_PROVIDERS is not set"],
  ])("refuses %j, naming the variable and the known ids", (value, start) => {
    const choose = () => chooseProviders(value);
    expect(choose).toThrow(ProviderChoiceError);
    expect(choose).toThrow(start);
    expect(choose).toThrow(`${PROVIDERS.map((provider) => provider.id).join(", ")}.`);
  });

  it("loads a provider's code on its first call, once, and again after a failed load", async () => {
    let loads = 0;
    const module = {} as ProviderModule;
    const acme: Provider = {
      id: "acme",
      name: "Acme",
      route: { path: "/webhooks/acme", maxBytes: 1024 },
      logLabel: "acme webhook",
      linking: "started",
      lifecycle: [["open"], ["done"]],
      choose: () => ({
        webhookSecrets: [],
        apiSecrets: [],
        apiConfigured: () => false,
        load: () => (++loads === 1 ? Promise.reject(new Error("flaky")) : Promise.resolve(module)),
      }),
    };
    const [chosen] = chooseProviders("acme", [acme]).chosen;
    if (!chosen) throw new Error("not chosen");
    expect(loads).toBe(0);
    await expect(chosen.module()).rejects.toThrow("flaky");
    expect(await chosen.module()).toBe(module);
    expect(await chosen.module()).toBe(module);
    expect(loads).toBe(2);
  });
});
