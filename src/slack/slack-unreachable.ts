import { AppError } from '../errors/app-error.js';
import type { OutboundProxy } from './outbound-proxy.js';

/** The network code under the Web API's request error (ECONNREFUSED, ENOTFOUND, …), if that is what it is. */
function networkCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; original?: unknown };
  if (e.code !== 'slack_webapi_request_error') return undefined;
  // fetch wraps the system error: TypeError('fetch failed') → cause (→ cause …) with code ECONNREFUSED.
  let deepest = 'network error';
  for (let at: unknown = e.original, depth = 0; at !== undefined && at !== null && depth < 5; depth++) {
    const { code, message } = at as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    if (typeof message === 'string' && message !== '') deepest = message;
    at = (at as { cause?: unknown }).cause ?? (at as { errors?: unknown[] }).errors?.[0];
  }
  return deepest;
}

/**
 * A start-up that cannot reach Slack says which host it tried and how the way out is set up,
 * since behind a corporate proxy "fetch failed" is all Node would say.
 */
export function slackUnreachable(error: unknown, apiUrl: string | undefined, proxy: OutboundProxy | undefined): AppError<'SLACK_UNREACHABLE'> | undefined {
  const code = networkCode(error);
  if (code === undefined) return undefined;
  const host = (() => {
    try {
      return new URL(apiUrl ?? 'https://slack.com/api/').host;
    } catch {
      return 'slack.com';
    }
  })();
  const way = proxy
    ? `through the proxy ${proxy.describe} (HTTPS_PROXY); check that it is reachable, and NO_PROXY`
    : 'directly; if this host reaches the internet only through a proxy, set HTTPS_PROXY (and NO_PROXY for the EXAoperation hosts)';
  return new AppError('SLACK_UNREACHABLE', `Cannot reach Slack at ${host} (${code}), tried ${way}.`, { cause: error });
}
