// Starts GraphiQL against this server's API (no CDN: React and GraphiQL are served from here).
(function () {
  var fetcher = window.GraphiQL.createFetcher({ url: '/graphql' });
  var root = window.ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(window.React.createElement(window.GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    defaultQuery: '# Sign in first, then put the token in the Headers tab:\n' +
      '#   {"Authorization": "Bearer <token>"}\n' +
      'mutation {\n  login(email: "nurse@worker.staffbank.example", password: "staffbank-demo") {\n    token\n    expiresAt\n  }\n}\n'
  }));
})();
