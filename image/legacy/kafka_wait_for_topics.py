"""The original base's Kafka wait script, kept for start scripts that call
`python3 /kafka_wait_for_topics.py`. plinth does the work with the same
variables (KAFKA_URI, KAFKA_WAIT_FOR_TOPICS, KAFKA_WAIT_RETRIES,
KAFKA_WAIT_INTERVAL, LOG_LEVEL) and the same exit status."""

import os
import sys

os.execv("/usr/local/bin/plinth", ["plinth", "wait", "kafka", *sys.argv[1:]])
