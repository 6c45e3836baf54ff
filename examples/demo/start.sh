#!/usr/bin/env bash
# The example service's start sequence, as a child image's start.sh would
# run it under `plinth init`: wait for the Kafka topics and the database,
# render the config templates, then become the service.
set -eo pipefail

plinth wait kafka
plinth wait mysql
plinth template "$DEMO_TEMPLATES"/*.j2 "$DEMO_CONFIG_DIR"

# The service: a small HTTP server whose /health answers once it runs.
# It serves only its health file: the rendered configs hold the password.
mkdir -p "$DEMO_CONFIG_DIR/www"
echo ok > "$DEMO_CONFIG_DIR/www/health"
exec python3 -m http.server "$DEMO_SERVICE_PORT" --bind 127.0.0.1 \
  --directory "$DEMO_CONFIG_DIR/www"
