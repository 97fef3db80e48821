// An independent client of `instruct4j serve`: the official openai npm package, run by OfficialNodeClientTest.
// Usage: node client.mjs BASE_URL API_KEY MODEL; prints one JSON object with what the server answered.
import OpenAI from 'openai';

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const question = [{ role: 'user', content: 'Once upon a time' }];

const models = await client.models.list();
const plain = await client.chat.completions.create({ model, messages: question, temperature: 0, max_tokens: 24 });

let streamed = '';
let chunks = 0;
let finishReason = null;
let usage = null;
const stream = await client.chat.completions.create({
  model, messages: question, temperature: 0, max_tokens: 24, stream: true, stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) usage = chunk.usage;
  for (const choice of chunk.choices) {
    streamed += choice.delta?.content ?? '';
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
}

const text = await client.completions.create({ model, prompt: 'Lily', temperature: 0, max_tokens: 12 });

let rejected = null;
try {
  await new OpenAI({ baseURL, apiKey: 'sk-wrong', maxRetries: 0 }).chat.completions.create({ model, messages: question });
} catch (e) {
  rejected = { status: e.status, type: e.constructor.name, code: e.code ?? null };
}

console.log(JSON.stringify({
  models: models.data.map((m) => m.id),
  plain: { content: plain.choices[0].message.content, finish_reason: plain.choices[0].finish_reason, usage: plain.usage },
  stream: { content: streamed, chunks, finish_reason: finishReason, usage },
  text: { content: text.choices[0].text, finish_reason: text.choices[0].finish_reason },
  rejected,
}));
