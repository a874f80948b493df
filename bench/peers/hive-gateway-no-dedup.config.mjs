// @graphql-hive/gateway with no deduplication at all: neither inbound nor of in-flight subgraph
// requests (executor-http's deduplicateInflightRequests); JIT as in graphql-gateways-benchmark.
import { defineConfig } from "@graphql-hive/gateway";

export const gatewayConfig = defineConfig({
  jit: true,
  transportEntries: { "*.http": { options: { deduplicateInflightRequests: false } } },
});
