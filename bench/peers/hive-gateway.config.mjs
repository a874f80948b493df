// @graphql-hive/gateway with its defaults (in-flight deduplication of identical subgraph requests,
// as ours), no inbound deduplication; JIT as in graphql-gateways-benchmark.
import { defineConfig } from "@graphql-hive/gateway";

export const gatewayConfig = defineConfig({ jit: true });
