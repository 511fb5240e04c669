#!/usr/bin/env bash
# Regenerates persona-vectors.json: signature headers made by the openssl
# CLI, outside Node, so that the tests do not check the code against itself or an SDK alone. Persona
# signs HMAC-SHA256 of "<t>.<raw body>" with the webhook secret, in hex.
# Usage: bash src/providers/persona/test/make-vectors.sh   (from functions/)
set -euo pipefail
cd "$(dirname "$0")"

hmac() { # secret, t, body
  printf '%s' "$2.$3" | openssl dgst -sha256 -hmac "$1" | sed 's/^.*= //'
}
T=1700000000

# Persona: one t=…,v1=… set per secret, two separated by a space while a secret rotates.
SECRET=wbhsec_test_secret
OLD=wbhsec_old_secret
BODY='{"data":{"type":"event","id":"evt_test","attributes":{"name":"inquiry.approved","created-at":"2023-11-14T22:13:20.123Z","payload":{"data":{"type":"inquiry","id":"inq_test","attributes":{"status":"approved","reference-id":"u1","name-first":"Jane","name-last":"Doe","birthdate":"1990-01-01","decisioned-at":"2023-11-14T22:13:20.000Z","redacted-at":null,"fields":{"name-first":{"type":"string","value":"Jane"}}},"relationships":{"inquiry-template":{"data":{"type":"inquiry-template","id":"itmpl_test"}}}},"included":[]}}}}'
jq -n --arg secret "$SECRET" --arg old "$OLD" --argjson t "$T" --arg body "$BODY" \
  --arg valid "t=$T,v1=$(hmac "$SECRET" "$T" "$BODY")" \
  --arg wrongSecret "t=$T,v1=$(hmac wbhsec_wrong "$T" "$BODY")" \
  --arg rotating "t=$T,v1=$(hmac "$OLD" "$T" "$BODY") t=$T,v1=$(hmac "$SECRET" "$T" "$BODY")" \
  --arg otherBody "t=$T,v1=$(hmac "$SECRET" "$T" "${BODY/approved/declined}")" \
  --arg otherTime "t=$((T + 1)),v1=$(hmac "$SECRET" "$T" "$BODY")" \
  '{secret: $secret, old: $old, t: $t, body: $body, headers: {valid: $valid, wrongSecret: $wrongSecret, rotating: $rotating, otherBody: $otherBody, otherTime: $otherTime}}' \
  > persona-vectors.json
