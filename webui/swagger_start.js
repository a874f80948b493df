// Starts Swagger UI on the gateway's /api/docs page. Its settings (the URL of the OpenAPI
// document) come from the <script type="application/json" id="swagger-settings"> element, so
// the page needs no inline script and its Content-Security-Policy can forbid them.
(function () {
  "use strict";
  var element = document.getElementById("swagger-settings");
  var settings = element ? JSON.parse(element.textContent || "{}") : {};
  window.ui = SwaggerUIBundle({
    url: settings.url,
    dom_id: "#swagger-ui",
    deepLinking: true,
    // no badge from validator.swagger.io: nothing leaves the gateway
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
  });
})();
