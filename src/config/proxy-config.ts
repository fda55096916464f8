// The outbound proxy to Slack, as the usual variables give it (HTTPS_PROXY / HTTP_PROXY, NO_PROXY;
// the lower-case names too). Its password is a secret like any other.

export interface ProxySettings {
  readonly httpsProxy: string | undefined;
  readonly httpProxy: string | undefined;
  readonly noProxy: string | undefined;
}

export function proxyConfig(env: NodeJS.ProcessEnv, problems: string[], secrets: string[]): ProxySettings {
  const pick = (name: string): string | undefined => env[name] || env[name.toLowerCase()] || undefined;
  const settings = { httpsProxy: pick('HTTPS_PROXY'), httpProxy: pick('HTTP_PROXY'), noProxy: pick('NO_PROXY') };
  for (const [name, url] of [['HTTPS_PROXY', settings.httpsProxy], ['HTTP_PROXY', settings.httpProxy]] as const) {
    if (url === undefined) continue;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`${name} must be an http(s) URL like http://proxy.example:3128`);
      continue;
    }
    if (!/^https?:$/.test(parsed.protocol)) problems.push(`${name} must be an http(s) URL like http://proxy.example:3128`);
    if (!parsed.password) continue;
    secrets.push(parsed.password);
    try {
      secrets.push(decodeURIComponent(parsed.password));
    } catch {
      // A bare '%' in it: the raw form above is what can show up.
    }
  }
  return settings;
}
