import request from "supertest";
import { receiverConfig, recordingApp } from "../support/app";
import { KITS, type Kit } from "../support/kits";

/** A genuine delivery to the kit's route, its secret configured as `configured`. */
async function deliver(kit: Kit, configured: string) {
  const { app, all } = recordingApp(receiverConfig(kit.configured(configured)));
  const { path, body, headers } = kit.deliver(kit.newId(), kit.secret);
  const res = await request(app).post(path).set(headers).send(body);
  return { status: res.status, stored: all.length };
}

describe.each(KITS)("the $id route reads its secret strictly", (kit) => {
  it("takes a secret of only white space for no secret: nothing stored", async () => {
    // No secret: a route that is then off answers 404; one that fails closed (Passbase's), 500.
    const { kind } = kit.module(() => ({ ...kit.defaults, webhookSecret: "" })).webhook.state();
    const unset = await deliver(kit, "");
    expect(unset).toEqual({ status: kind === "off" ? 404 : 500, stored: 0 });
    for (const blank of [" ", "\n", " \t\n "]) {
      expect(await deliver(kit, blank)).toEqual(unset);
    }
  });

  it("trims the newline a shell pipe adds, and surrounding white space", async () => {
    expect(await deliver(kit, `${kit.secret}\n`)).toEqual({ status: 200, stored: 1 });
    expect(await deliver(kit, ` ${kit.secret}\r\n`)).toEqual({ status: 200, stored: 1 });
  });

  const { rotation } = kit;
  if (rotation) {
    it("takes either secret of a rotation, newest first, and no third", async () => {
      // 32 characters, as a Passbase key is.
      const [other, third] = [
        "another-secret-0123456789abcdefx",
        "a-third-secret-0123456789abcdefx",
      ];
      expect(await deliver(kit, rotation(other, kit.secret))).toEqual({ status: 200, stored: 1 });
      expect(await deliver(kit, rotation(kit.secret, other))).toEqual({ status: 200, stored: 1 });
      expect(await deliver(kit, rotation(other, third))).toEqual({ status: 400, stored: 0 });
    });
  }
});
