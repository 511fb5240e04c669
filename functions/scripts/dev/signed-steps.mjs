// Sends a provider's signed webhook steps for one verification, in order: what send-webhook and
// the API stand-in's provider pages share. `event(step, id)` builds a step's body (a redelivery
// step gets the previous body again, "replay:N" step N's), `sign(payload, secret)` its headers.

/** Posts each step to `url`; resolves with whether every answer was 2xx. */
export async function postSteps({ url, secret, id, steps, event, sign, log = () => undefined }) {
  let ok = true;
  const sent = [];
  for (const step of steps) {
    const again = step.at(-1);
    const replayed = typeof again === "string" && /^replay:\d+$/.test(again);
    const built =
      again === "redelivery" && sent.length > 0
        ? sent.at(-1)
        : replayed
          ? sent[Number(again.slice("replay:".length))]
          : event(step, id);
    sent.push(built);
    const payload = JSON.stringify(built.body);
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(await sign(payload, secret)) },
      body: payload,
    });
    log(`${built.label} → ${res.status} ${await res.text()}`);
    ok &&= res.ok;
  }
  return ok;
}
