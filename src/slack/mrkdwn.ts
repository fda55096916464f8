/**
 * Text from EXAoperation or from users goes into Slack's mrkdwn only through here. Slack decodes
 * just &amp; &lt; &gt; and has no escape for * _ ~ ` — so those get a zero-width joiner after
 * them, which keeps them visible but stops them from pairing up into formatting.
 */
const ZWJ = '\u200d';

export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_~`])/g, `$1${ZWJ}`);
}

/** For code blocks: only the control characters, and no way to close the fence early. */
export function escapeCode(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, 'ʼ');
}
