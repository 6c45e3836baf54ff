#!/bin/sh
# Starts the example service: waits until its dependencies are ready,
# renders its configuration from the environment, then becomes the service
# (exec), so that `docker stop` reaches it through plinth init.
set -eu

plinth wait kafka
plinth wait mysql
plinth template /etc/monasca-example/*.j2 /etc/monasca-example/

mkdir -p /srv/example
echo ok >/srv/example/health
exec plinth su-exec nobody \
    python3 -m http.server --directory /srv/example "${EXAMPLE_PORT:-8080}"
