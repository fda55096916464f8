// Entry point of `npm run credentials -- add|list|remove|rotate-key`.
import { runCredentialsCli } from './credentials/cli.js';

process.exitCode = await runCredentialsCli(process.argv.slice(2), process.env);
