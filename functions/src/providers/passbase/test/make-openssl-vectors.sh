#!/usr/bin/env bash
# Regenerates openssl-vectors.json: AES-256-CBC test vectors made by the openssl CLI, outside
# Node, so that the crypto tests do not check the code against itself.
# Usage: bash src/providers/passbase/test/make-openssl-vectors.sh > src/providers/passbase/test/openssl-vectors.json
set -euo pipefail

vector() { # name, key (UTF-8 text, 32 bytes), iv (hex), plaintext
  local name=$1 key=$2 iv=$3 plaintext=$4
  local key_hex body
  key_hex=$(printf '%s' "$key" | od -An -v -tx1 | tr -d ' \n')
  body=$( { printf '%s' "$iv" | xxd -r -p; printf '%s' "$plaintext" | openssl enc -aes-256-cbc -K "$key_hex" -iv "$iv"; } | base64 -w0)
  jq -n --arg name "$name" --arg key "$key" --arg iv "$iv" --arg plaintext "$plaintext" --arg body "$body" \
    '{name: $name, key: $key, iv: $iv, plaintext: $plaintext, body: $body}'
}

{
  vector "passbase docs example" "0123456789abcdef0123456789abcdef" "000102030405060708090a0b0c0d0e0f" \
    '{"event":"VERIFICATION_REVIEWED","key":"b76e244e-26a3-49ef-9c72-3e599bf0b5f2","status":"approved","created":1582628711,"updated":1582628999,"processed":1582628999}'
  vector "completed, pending" "Zq8#kL2@pW9!xR4\$mN7&bV1*cT6^yH3%" "f0e1d2c3b4a5968778695a4b3c2d1e0f" \
    '{"event":"VERIFICATION_COMPLETED","key":"00000000-0000-4000-8000-000000000001","status":"pending","created":1,"updated":2,"processed":3}'
  vector "plaintext of exactly two blocks (a whole padding block follows)" "a key with spaces and    32 byte" "ffffffffffffffffffffffffffffffff" \
    '0123456789abcdef0123456789abcde'"'"
  vector "multi-byte UTF-8 key (16 Cyrillic letters = 32 bytes)" "ключключключключ" "1234567890abcdef1234567890abcdef" \
    '{"event":"VERIFICATION_REVIEWED","key":"B76E244E-26A3-49EF-9C72-3E599BF0B5F2","status":"declined","created":5,"updated":6,"processed":7,"extra":"ignored"}'
} | jq -s .
