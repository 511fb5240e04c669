// The cold-start baseline for `npm run bench`: the smallest 2nd-gen onRequest function.
const { onRequest } = require("firebase-functions/https");

exports.hello = onRequest((_req, res) => {
  res.end("hello");
});
