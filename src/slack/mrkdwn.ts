/**
 * Text from EXAoperation or from users goes into Slack's mrkdwn only through here. Slack decodes
 * just &amp; &lt; &gt; and has no escape for * _ ~ ` — so those get a zero-width joiner after
 * them, which keeps them visible but stops them from pairing up into formatting. Inside a word
 * (exa_db1) * _ ~ never format, so they stay untouched and a name copied from a message still works.
 */
const ZWJ = '\u200d';

export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`|(?<![\p{L}\p{N}])[*_~]|[*_~](?![\p{L}\p{N}])/gu, (mark) => `${mark}${ZWJ}`);
}

/** For code blocks: only the control characters, and no way to close the fence early. */
export function escapeCode(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, 'ʼ');
}
