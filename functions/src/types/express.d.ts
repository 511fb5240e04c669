// The Cloud Functions runtime (and its emulator) keeps the unparsed request body on
// `req.rawBody`; the webhook is decrypted from those bytes, never from a re-serialised body.
declare global {
  namespace Express {
    interface Request {
      rawBody?: Buffer;
    }
  }
}

export {};
