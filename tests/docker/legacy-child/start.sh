#!/bin/sh
# A start script as written for the original (Alpine) monasca-base: the
# legacy wait scripts, templer and su-exec, and the STAY_ALIVE_ON_FAILURE
# convention done by the script itself.
set -eo pipefail

/wait_for.sh "$KAFKA_URI" "${MYSQL_HOST}:${MYSQL_PORT}"
python3 /kafka_wait_for_topics.py
python3 /mysql_check.py
templer /*.j2 /

RESULT=0
su-exec nobody:nogroup python3 -m http.server "$SERVICE_PORT" || RESULT=$?
if [ "$RESULT" != 0 ] && [ "${STAY_ALIVE_ON_FAILURE:-false}" = "true" ]; then
    echo "Service failed, sleeping for 2 hours"
    sleep 7200
fi
exit "$RESULT"
