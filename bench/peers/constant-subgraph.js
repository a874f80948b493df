// A subgraph that answers instantly: every POST gets the same small response, whatever the query.
// Used to measure the gateway's own added latency (bench/overhead_scenario.py). PORT (default 4300).
const http = require("http");

const body = Buffer.from(JSON.stringify({ data: { ping: { id: "1", message: "pong", count: 42 } } }));
let count = 0;
http
  .createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") return res.end("OK");
    if (req.method === "GET" && req.url === "/stats") return res.end(JSON.stringify({ "/graphql": count }));
    req.resume();
    req.on("end", () => {
      count += 1;
      res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      res.end(body);
    });
  })
  .listen(parseInt(process.env.PORT || "4300", 10), "127.0.0.1");
