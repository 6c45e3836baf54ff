"""The original base's MySQL wait script, kept for start scripts that call
`python3 /mysql_check.py`. plinth does the work with the same variables
(MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DB,
MYSQL_WAIT_RETRIES, MYSQL_WAIT_INTERVAL, LOG_LEVEL) and the same exit
status."""

import os
import sys

os.execv("/usr/local/bin/plinth", ["plinth", "wait", "mysql", *sys.argv[1:]])
