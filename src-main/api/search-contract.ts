/**
 * The API contract's part for Search: local full-text search with operators, server search (issue 8).
 * Spread into `methods` in contract.ts.
 */
import type { z } from 'zod';

export const searchMethods = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
