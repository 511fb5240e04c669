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

// Passbase's route fails closed with 500 while its secret is unset; the signed ones are off.
const UNSET: Record<Kit["id"], number> = {
  passbase: 500,
  stripe: 404,
  persona: 404,
  veriff: 404,
  sumsub: 404,
  onfido: 404,
};

describe.each(KITS)("the $id route reads its secret strictly", (kit) => {
  it("takes a secret of only white space for no secret: nothing stored", async () => {
    for (const blank of [" ", "\n", " \t\n "]) {
      expect(await deliver(kit, blank)).toEqual({ status: UNSET[kit.id], stored: 0 });
    }
  });

  it("trims the newline a shell pipe adds, and surrounding white space", async () => {
    expect(await deliver(kit, `${kit.secret}\n`)).toEqual({ status: 200, stored: 1 });
    expect(await deliver(kit, ` ${kit.secret}\r\n`)).toEqual({ status: 200, stored: 1 });
  });
});
