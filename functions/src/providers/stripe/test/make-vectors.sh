#!/usr/bin/env bash
# Regenerates stripe-vectors.json: signature headers made by the openssl
# CLI, outside Node, so that the tests do not check the code against itself or an SDK alone. Stripe
# signs HMAC-SHA256 of "<t>.<raw body>" with the webhook secret, in hex.
# Usage: bash src/providers/stripe/test/make-vectors.sh   (from functions/)
set -euo pipefail
cd "$(dirname "$0")"

hmac() { # secret, t, body
  printf '%s' "$2.$3" | openssl dgst -sha256 -hmac "$1" | sed 's/^.*= //'
}
T=1700000000

# Stripe: t=…,v1=… with any number of v1 values (a secret roll), v0 is test mode's old scheme.
SECRET=whsec_test_secret
OLD=whsec_old_secret
BODY='{"id":"evt_1Vtest","object":"event","type":"identity.verification_session.verified","created":1700000000,"livemode":false,"data":{"object":{"id":"vs_1Vtest","object":"identity.verification_session","status":"verified","type":"document","livemode":false,"last_error":null,"redaction":null,"metadata":{"firebase_uid":"u1"},"verified_outputs":{"first_name":"Jane"}}}}'
jq -n --arg secret "$SECRET" --arg old "$OLD" --argjson t "$T" --arg body "$BODY" \
  --arg valid "t=$T,v1=$(hmac "$SECRET" "$T" "$BODY")" \
  --arg wrongSecret "t=$T,v1=$(hmac whsec_wrong "$T" "$BODY")" \
  --arg rolled "t=$T,v1=$(hmac "$OLD" "$T" "$BODY"),v1=$(hmac "$SECRET" "$T" "$BODY")" \
  --arg v0only "t=$T,v0=$(hmac "$SECRET" "$T" "$BODY")" \
  '{secret: $secret, t: $t, body: $body, headers: {valid: $valid, wrongSecret: $wrongSecret, rolled: $rolled, v0only: $v0only}}' \
  > stripe-vectors.json
