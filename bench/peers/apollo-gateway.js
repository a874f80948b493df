// The smallest @apollo/gateway server (from the bench kit's gateway.js): the supergraph file is
// SUPERGRAPH (default ../supergraph.graphql), the port PORT (default 4000), on 127.0.0.1.
const { ApolloServer } = require("@apollo/server");
const { startStandaloneServer } = require("@apollo/server/standalone");
const { ApolloGateway } = require("@apollo/gateway");
const { readFileSync } = require("fs");
const path = require("path");

(async () => {
  const file = process.env.SUPERGRAPH || path.join(__dirname, "..", "supergraph.graphql");
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(file, "utf8") });
  const server = new ApolloServer({ gateway });
  const port = parseInt(process.env.PORT || "4000", 10);
  const { url } = await startStandaloneServer(server, { listen: { port, host: "127.0.0.1" } });
  console.log(`gateway ready at ${url}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
