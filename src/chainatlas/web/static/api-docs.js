// Starts Swagger UI on /docs from the vendored bundle (no inline script: the CSP allows only 'self').
(function () {
  var el = document.getElementById("swagger-ui");
  if (!el || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({ url: el.getAttribute("data-openapi") || "/openapi.json", dom_id: "#swagger-ui",
    deepLinking: true, docExpansion: "list", defaultModelsExpandDepth: -1,  // no schema section (JSON keys)
    layout: "BaseLayout" });  // no top bar: the page has its own Chinese heading (#docs-intro)
  var note = document.getElementById("docs-fallback");
  if (note) note.hidden = true;
})();
