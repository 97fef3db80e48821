// An independent client of `instruct4j serve`: the official openai npm package (and ajv to validate structured
// outputs), run by OfficialNodeClientTest.
// Usage: node client.mjs BASE_URL API_KEY MODEL BUSY_BASE_URL; prints one JSON object with what the servers answered.
// BUSY_BASE_URL is a server with one row and no queue, to see 429 and the SDK's own backoff.
import OpenAI from 'openai';
import Ajv from 'ajv';

const [baseURL, apiKey, model, busyBaseURL] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const question = [{ role: 'user', content: 'Once upon a time' }];

const models = await client.models.list();
const plain = await client.chat.completions.create({ model, messages: question, temperature: 0, max_tokens: 24 });

async function streamed(params) {
  const out = { content: {}, chunks: 0, finish_reason: {}, usage: null, roles: 0 };
  const stream = await client.chat.completions.create({ ...params, stream: true });
  for await (const chunk of stream) {
    out.chunks++;
    if (chunk.usage) out.usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta?.role) out.roles++;
      out.content[choice.index] = (out.content[choice.index] ?? '') + (choice.delta?.content ?? '');
      if (choice.finish_reason) out.finish_reason[choice.index] = choice.finish_reason;
    }
  }
  return out;
}

const stream = await streamed({ model, messages: question, temperature: 0, max_tokens: 24, stream_options: { include_usage: true } });
const text = await client.completions.create({ model, prompt: 'Lily', temperature: 0, max_tokens: 12 });

// n choices with a seed: reproducible, and choice 0 is what n = 1 gives with that seed
const sampled = { model, messages: question, temperature: 1.0, max_tokens: 16, seed: 5 };
const three = await client.chat.completions.create({ ...sampled, n: 3 });
const threeAgain = await client.chat.completions.create({ ...sampled, n: 3 });
const one = await client.chat.completions.create(sampled);
const streamedTwo = await streamed({ ...sampled, n: 2, stream_options: { include_usage: true } });

const chatLogprobs = await client.chat.completions.create({ model, messages: question, temperature: 0, max_tokens: 8, logprobs: true, top_logprobs: 3 });
const textLogprobs = await client.completions.create({ model, prompt: 'Lily', temperature: 0, max_tokens: 6, logprobs: 2 });
const stopped = await client.chat.completions.create({ model, messages: question, temperature: 0, max_tokens: 120, stop: ['.', '!'] });

// structured output: every answer parses, and validates against the schema with ajv
const ajv = new Ajv({ strict: true });
const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 12 },
    age: { type: 'integer' },
    pets: { type: 'array', items: { enum: ['cat', 'dog', 'bird'] }, maxItems: 3 },
    home: { anyOf: [{ type: 'null' }, { type: 'object', properties: { town: { type: 'string', maxLength: 10 } }, required: ['town'], additionalProperties: false }] },
  },
  required: ['name', 'age', 'pets', 'home'],
  additionalProperties: false,
};
const validate = ajv.compile(schema);
function checked(content) {
  try {
    const value = JSON.parse(content);
    return { parsed: true, valid: validate(value), errors: validate.errors, value };
  } catch (e) {
    return { parsed: false, valid: false, error: String(e), content };
  }
}
const describe = [{ role: 'user', content: 'Describe a child as JSON.' }];
const jsonSchema = await client.chat.completions.create({
  model, messages: describe, temperature: 0.8, seed: 1, n: 4, max_tokens: 200,
  response_format: { type: 'json_schema', json_schema: { name: 'child', schema, strict: true } },
});
const jsonSchemaStream = await streamed({
  model, messages: describe, temperature: 0.8, seed: 2, max_tokens: 200,
  response_format: { type: 'json_schema', json_schema: { name: 'child', schema, strict: true } },
});
const jsonObject = await client.chat.completions.create({
  model, messages: describe, temperature: 0.8, seed: 3, n: 3, max_tokens: 250, response_format: { type: 'json_object' },
});
let badSchema = null;
try {
  await client.chat.completions.create({ model, messages: describe, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string', pattern: 'a+' } } } });
} catch (e) {
  badSchema = { status: e.status, param: e.param ?? e.error?.param ?? null };
}

let rejected = null;
try {
  await new OpenAI({ baseURL, apiKey: 'sk-wrong', maxRetries: 0 }).chat.completions.create({ model, messages: question });
} catch (e) {
  rejected = { status: e.status, type: e.constructor.name, code: e.code ?? null };
}

// a full queue: the busy server's one row holds a long stream, so the next request is turned away with 429
const busy = new OpenAI({ baseURL: busyBaseURL, apiKey, maxRetries: 0 });
const controller = new AbortController();
const holding = await busy.chat.completions.create(
  { model, messages: question, temperature: 0, max_tokens: 250, ignore_eos: true, stream: true }, { signal: controller.signal });
const firstChunk = await holding[Symbol.asyncIterator]().next();
let overloaded = null;
try {
  await busy.chat.completions.create({ model, messages: question, temperature: 0, max_tokens: 8 });
} catch (e) {
  overloaded = { status: e.status, type: e.constructor.name, retryAfter: e.headers?.get('retry-after') ?? null, retryAfterMs: e.headers?.get('retry-after-ms') ?? null };
}
controller.abort();
// the SDK's own retries (honouring retry-after-ms) get through once the aborted stream has left the batch
const afterAbort = await new OpenAI({ baseURL: busyBaseURL, apiKey, maxRetries: 5 }).chat.completions.create(
  { model, messages: question, temperature: 0, max_tokens: 8 });

console.log(JSON.stringify({
  models: models.data.map((m) => m.id),
  plain: { content: plain.choices[0].message.content, finish_reason: plain.choices[0].finish_reason, usage: plain.usage },
  stream: { content: stream.content[0], chunks: stream.chunks, finish_reason: stream.finish_reason[0], usage: stream.usage },
  text: { content: text.choices[0].text, finish_reason: text.choices[0].finish_reason },
  n: {
    texts: three.choices.map((c) => c.message.content),
    indices: three.choices.map((c) => c.index),
    again: threeAgain.choices.map((c) => c.message.content),
    one: one.choices[0].message.content,
    usage: three.usage,
    streamed: { texts: [streamedTwo.content[0], streamedTwo.content[1]], roles: streamedTwo.roles, usage: streamedTwo.usage },
  },
  chatLogprobs: { content: chatLogprobs.choices[0].logprobs.content, text: chatLogprobs.choices[0].message.content, usage: chatLogprobs.usage },
  textLogprobs: textLogprobs.choices[0].logprobs,
  stopped: { content: stopped.choices[0].message.content, finish_reason: stopped.choices[0].finish_reason },
  jsonSchema: jsonSchema.choices.map((c) => ({ finish_reason: c.finish_reason, ...checked(c.message.content) })),
  jsonSchemaStream: { finish_reason: jsonSchemaStream.finish_reason[0], ...checked(jsonSchemaStream.content[0]) },
  jsonObject: jsonObject.choices.map((c) => {
    const result = checked(c.message.content);
    return { finish_reason: c.finish_reason, parsed: result.parsed, object: result.parsed && typeof result.value === 'object' && !Array.isArray(result.value) && result.value !== null };
  }),
  badSchema,
  rejected,
  overloaded: { ...overloaded, firstChunk: !firstChunk.done, afterAbort: afterAbort.choices[0].message.content },
}));
