import { createPassbaseModule, PASSBASE_ERASED } from "../module";

describe("Passbase, which has no erasure call", () => {
  it("answers without a key or a request, saying what Passbase still holds", async () => {
    const none = { value: () => "" };
    const module = createPassbaseModule({
      webhookSecret: none,
      allowUnencrypted: { value: () => false },
      apiKey: none,
      apiBaseUrl: none,
      storeOwner: { value: () => false },
      metadataUidField: { value: () => "uid" },
    });
    const eraser = await module.eraser();
    if ("off" in eraser) throw new Error(eraser.off);
    expect(await eraser.erase("b76e244e-26a3-49ef-9c72-3e599bf0b5f2", undefined)).toEqual({
      ok: true,
      erased: PASSBASE_ERASED,
    });
    expect(PASSBASE_ERASED).toEqual({
      outcome: "none",
      stillHeld: expect.stringMatching(/Passbase/) as string,
    });
  });
});
