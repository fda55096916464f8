import type { JsonObject } from './json.js';

/**
 * A Slack platform error (`{ok:false, error}` with HTTP 200). Method handlers throw it so that the
 * happy path reads straight through; the dispatcher turns it into the response body.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: JsonObject = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }
}
