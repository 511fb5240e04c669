// The local tools' side of each provider, one module each, as functions/src/providers/registry.ts
// lists the providers: the API stand-in, send-webhook and the demo loop over these.
import onfido from "./onfido.mjs";
import passbase from "./passbase.mjs";
import persona from "./persona.mjs";
import stripe from "./stripe.mjs";
import sumsub from "./sumsub.mjs";
import veriff from "./veriff.mjs";

export const TOOLS = [passbase, stripe, persona, veriff, sumsub, onfido];

/** A provider's tools by id; undefined for an unknown one. */
export const toolsOf = (id) => TOOLS.find((tools) => tools.id === id);
