// The way out to Slack through an outbound HTTPS proxy (HTTPS_PROXY / HTTP_PROXY, NO_PROXY; the
// lower-case names too), for the Web API and for Socket Mode's WebSocket alike. Both use undici:
// the Web API through a fetch bound to the proxy dispatcher, Socket Mode through its `dispatcher`.
// Without a proxy variable nothing changes: Node's own fetch and Socket Mode's default connector.
import { EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { ProxySettings } from '../config/proxy-config.js';

export interface OutboundProxy {
  readonly dispatcher: Dispatcher;
  /** For WebClient's `fetch` option. */
  readonly fetch: typeof globalThis.fetch;
  /** The proxy in use, without credentials, for messages. */
  readonly describe: string;
}

export function createOutboundProxy(settings: ProxySettings): OutboundProxy | undefined {
  if (!settings.httpsProxy && !settings.httpProxy) return undefined;
  const dispatcher = new EnvHttpProxyAgent({
    ...(settings.httpsProxy ? { httpsProxy: settings.httpsProxy } : {}),
    ...(settings.httpProxy ? { httpProxy: settings.httpProxy } : {}),
    ...(settings.noProxy ? { noProxy: settings.noProxy } : {}),
  });
  const fetch = ((url: string | URL | Request, init?: RequestInit) =>
    undiciFetch(url as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as typeof globalThis.fetch;
  return { dispatcher, fetch, describe: withoutCredentials(settings.httpsProxy ?? settings.httpProxy ?? '') };
}

export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the configured proxy';
  }
}
