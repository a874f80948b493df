// Load supergraph files into Apollo Gateway and Hive Gateway, the way each gateway does at startup.
//
// usage: node load-supergraphs.mjs FILE...
// prints one JSON object: {"<file>": {"apollo": {...}, "hive": {...}}, ...}
// each result is {"ok": true, "queryType": ..., "types": N} or {"ok": false, "error": "..."}.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';

async function loadWithApollo(sdl) {
  const gateway = new ApolloGateway({ supergraphSdl: sdl, logger: silentLogger() });
  try {
    const { schema } = await gateway.load();
    return { ok: true, queryType: schema.getQueryType()?.name ?? null, types: Object.keys(schema.getTypeMap()).length };
  } finally {
    await gateway.stop().catch(() => {});
  }
}

async function loadWithHive(sdl) {
  const gateway = createGatewayRuntime({ supergraph: sdl, logging: false });
  try {
    const response = await gateway.fetch('http://gateway.local/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    const body = await response.json();
    if (body.errors?.length || !body.data) {
      return { ok: false, error: JSON.stringify(body.errors ?? body) };
    }
    return { ok: true, queryType: body.data.__schema.queryType?.name ?? null, types: body.data.__schema.types.length };
  } finally {
    await gateway[Symbol.asyncDispose]?.();
  }
}

function silentLogger() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop };
}

async function attempt(load, sdl) {
  try {
    return await load(sdl);
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) };
  }
}

const results = {};
for (const file of process.argv.slice(2)) {
  const sdl = readFileSync(file, 'utf8');
  results[file] = { apollo: await attempt(loadWithApollo, sdl), hive: await attempt(loadWithHive, sdl) };
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
