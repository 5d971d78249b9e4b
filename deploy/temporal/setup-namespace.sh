#!/bin/sh
# docker-compose.yml's `temporal-setup` (temporalio/admin-tools): once the server answers, creates the bridge's
# namespace with its retention (or sets the retention of an existing one) and registers the bridge's search
# attributes (src/domain/search-attributes.ts). Idempotent: it runs on every `docker compose up`.
#   TEMPORAL_ADDRESS    the frontend, host:port
#   TEMPORAL_NAMESPACE  default "default"
#   TEMPORAL_RETENTION  how long closed workflows stay (`messages show` and `retry` find a message that long);
#                       a duration such as 30d or 720h, default 30d
set -eu
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS names the Temporal frontend}"
namespace=${TEMPORAL_NAMESPACE:-default}
retention=${TEMPORAL_RETENTION:-30d}
attributes="BridgeAccountId BridgeConversationKey ProviderMessageId HubSpotMessageId BridgeDirection BridgeProvider BridgeStatus"

# Bounded: 60 tries, 2 s apart. The CLI reads TEMPORAL_ADDRESS itself.
retry() {
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    [ "$tries" -ge 60 ] && { echo "temporal-setup: gave up on: $*" >&2; return 1; }
    sleep 2
  done
}

ensure_namespace() {
  if temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
    temporal operator namespace update --namespace "$namespace" --retention "$retention"
  else
    temporal operator namespace create --namespace "$namespace" --retention "$retention"
  fi
}

# A namespace just created can take a few seconds to accept search attributes: retried like the rest.
ensure_attribute() {
  temporal operator search-attribute list --namespace "$namespace" | grep -qw "$1" ||
    temporal operator search-attribute create --namespace "$namespace" --name "$1" --type Keyword
}

retry temporal operator cluster health >/dev/null
retry ensure_namespace
for name in $attributes; do retry ensure_attribute "$name"; done
echo "temporal-setup: namespace $namespace, retention $retention, search attributes: $attributes"
