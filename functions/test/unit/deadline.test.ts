import { withDeadline } from "../../src/store/verification-store";

describe("withDeadline", () => {
  it("passes a result through in time", async () => {
    await expect(withDeadline(Promise.resolve("ok"), 50)).resolves.toBe("ok");
  });
  it("rejects when the work takes longer, saying how long it waited", async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 20)).rejects.toThrow("Firestore did not answer within 20 ms");
  });
  it("passes a failure through", async () => {
    await expect(withDeadline(Promise.reject(new Error("boom")), 50)).rejects.toThrow("boom");
  });
});
