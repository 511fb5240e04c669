import type { z } from "zod";

/** What failed in a schema, for the logs: paths and codes only, never the values. */
export const schemaIssues = (error: z.ZodError, prefix = "") =>
  error.issues.map((issue) => `${prefix}${issue.path.join(".") || "(root)"}: ${issue.code}`);
