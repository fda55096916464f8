// Entry point for e2e tests: a loopback fake of Slack (Web API, Socket Mode, response_url,
// signed HTTP deliveries). See types.ts for the documented API.
export { startFakeSlack } from './fake-slack.js';
export { signSlackRequest } from './signing.js';
export { validateBlocks, listButtons } from './block-validation.js';
export { RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_MAX_USES } from './response-urls.js';
export { MAX_TEXT_LENGTH } from './content.js';
export type * from './types.js';
