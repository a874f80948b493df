// Starts GraphiQL on the gateway's page. Its settings (the example query and request headers)
// come from the <script type="application/json" id="graphiql-settings"> element, so the page
// needs no inline script and its Content-Security-Policy can forbid them.
(function () {
  "use strict";
  var element = document.getElementById("graphiql-settings");
  var settings = element ? JSON.parse(element.textContent || "{}") : {};
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: settings.query || undefined,
      defaultHeaders: settings.headers || undefined,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    })
  );
})();
