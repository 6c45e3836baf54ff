"""Health check in the original base's style: the service answers on its
port with 200, or the container is unhealthy."""

import os
import sys
import urllib.request

port = os.environ.get("SERVICE_PORT", "8080")
try:
    with urllib.request.urlopen(f"http://localhost:{port}/", timeout=1.5) as r:
        sys.exit(0 if r.status == 200 else 1)
except OSError as error:
    print(f"unhealthy: {error}")
    sys.exit(1)
