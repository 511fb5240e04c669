// The baseline that `npm run bench` serves through the Functions emulator beside `widgets`, in a
// codebase of its own that only the bench's generated config names (never firebase.json, so it
// is never deployed): Passbase's Firebase sample, which decrypts, writes the status blindly and
// answers. Wrong (no order, no audit, no duplicates), but the floor for one delivery served the
// same way as ours.
const { createDecipheriv } = require("node:crypto");
const { initializeApp } = require("firebase-admin/app");
const { getFirestore } = require("firebase-admin/firestore");
const { onRequest } = require("firebase-functions/https");

/** The bench encrypts this function's deliveries with this key (it is no secret of anyone's). */
const KEY = Buffer.from("bench-naive-key-0123456789abcdef");

initializeApp();

exports.naiveWebhook = onRequest({ cors: false }, async (req, res) => {
  const bytes = Buffer.from(req.rawBody.toString("latin1"), "base64");
  const decipher = createDecipheriv("aes-256-cbc", KEY, bytes.subarray(0, 16));
  const event = JSON.parse(
    Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString("utf8"),
  );
  await getFirestore().collection("bench-naive").doc(event.key).set({ status: event.status });
  res.sendStatus(200);
});
