// The fake OpenAI-compatible server of the tests, in a process of its own, so that its work (HTTP
// parsing, JSON, hashing) is not counted as egregora's in the LLM overhead benchmark. Prints its
// base URL on the first line of stdout, serves until stdin closes, then prints its counters.
import {startFakeLlmServer} from '../../test/helpers/fake-llm-server.js';

const server = await startFakeLlmServer();
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  process.stdout.write(
    `${JSON.stringify({requests: server.chatRequests.length, tokens: server.tokensReported})}\n`,
  );
  await server.close();
  process.exit(0);
});
