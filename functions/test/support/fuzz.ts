import fc from "fast-check";

/** Bodies a fuzzer sends: random bytes, any JSON, and the valid body itself (under bad headers). */
export const fuzzedBodies = (valid: string) =>
  fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b) => Buffer.from(b)),
    fc.json().map((json) => Buffer.from(json)),
    fc.constant(Buffer.from(valid)),
  );

/**
 * POSTs `numRuns` fuzzed bodies with fuzzed signature headers to `url` and returns every distinct
 * answer (status, content type, body): one element when every delivery got the same one.
 */
export async function distinctAnswers(
  url: string,
  headerName: string,
  bodies: fc.Arbitrary<Buffer>,
  headers: fc.Arbitrary<string | undefined>,
  numRuns = 10_000,
  /** Headers sent with every delivery (Sumsub's algorithm, say). */
  fixed: Record<string, string> = {},
): Promise<string[]> {
  const answers = new Set<string>();
  await fc.assert(
    fc.asyncProperty(bodies, headers, async (body, header) => {
      const res = await fetch(url, {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/json",
          ...fixed,
          ...(header === undefined ? {} : { [headerName]: header }),
        },
      });
      answers.add(`${res.status} ${res.headers.get("content-type")} ${await res.text()}`);
    }),
    { numRuns },
  );
  return [...answers];
}

/** The one answer every bad delivery gets, on every route. */
export const REJECTED = '400 application/json; charset=utf-8 {"error":"invalid webhook"}';
