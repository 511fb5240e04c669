import type { Response } from "express";

/**
 * Every status code and body the app sends, chosen in one place. There is one rejection for every
 * kind of bad delivery: distinguishable answers would be a padding oracle on AES-CBC.
 */
export const respond = {
  accepted: (res: Response, outcome: string) => res.status(200).json({ received: true, outcome }),
  rejected: (res: Response) => res.status(400).json({ error: "invalid webhook" }),
  internalError: (res: Response) => res.status(500).json({ error: "internal error" }),
  unavailable: (res: Response) => res.status(503).json({ error: "temporarily unavailable" }),
  methodNotAllowed: (res: Response, allow: string) =>
    res.status(405).set("Allow", allow).json({ error: "method not allowed" }),
  notFound: (res: Response) => res.status(404).json({ error: "not found" }),
  unauthenticated: (res: Response) =>
    res
      .status(401)
      .set("WWW-Authenticate", "Bearer")
      .json({ error: "send a Firebase ID token: Authorization: Bearer <token>" }),
  verification: (res: Response, body: object) => res.status(200).json(body),
};
