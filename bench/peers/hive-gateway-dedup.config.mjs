// @graphql-hive/gateway as graphql-gateways-benchmark runs it: inbound in-flight request
// deduplication (identical concurrent requests share one execution) and JIT.
import { defineConfig } from "@graphql-hive/gateway";

export const gatewayConfig = defineConfig({ inboundInflightRequestDeduplication: true, jit: true });
