// Compose subgraph folders with @apollo/composition (the reference composer).
//
// A folder holds one `<name>.graphql` per subgraph (routing URL http://<name>.example/graphql);
// `supergraph.graphql` in it is the expected output and is not a subgraph.
//
// usage: node compose-reference.mjs FOLDER...          prints {"<folder>": {"supergraph": "..."} | {"errors": [{code, message}]}}
//        node compose-reference.mjs --write FOLDER...  (re)writes FOLDER/supergraph.graphql from Apollo's output
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

function composeFolder(folder) {
  const services = readdirSync(folder)
    .filter((file) => file.endsWith('.graphql') && file !== 'supergraph.graphql')
    .sort()
    .map((file) => {
      const name = file.replace(/\.graphql$/, '');
      return { name, url: `http://${name}.example/graphql`, typeDefs: parse(readFileSync(join(folder, file), 'utf8')) };
    });
  const result = composeServices(services);
  if (result.errors) {
    return { errors: result.errors.map((e) => ({ code: e.extensions?.code ?? 'UNKNOWN', message: e.message })) };
  }
  return { supergraph: result.supergraphSdl + '\n' };
}

const args = process.argv.slice(2);
const write = args[0] === '--write';
const folders = write ? args.slice(1) : args;
const results = {};
for (const folder of folders) {
  let result;
  try {
    result = composeFolder(folder);
  } catch (error) {
    result = { errors: [{ code: 'INVALID_GRAPHQL', message: String(error?.message ?? error) }] };
  }
  if (write && result.supergraph) {
    writeFileSync(join(folder, 'supergraph.graphql'), result.supergraph);
  }
  results[folder] = result;
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
