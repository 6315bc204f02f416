#!/usr/bin/env bash
# System packages the tests start for real (Chromium, Virtuoso, Jena). Installed
# once per machine; a no-op where they are already present.
set -euo pipefail
exit 0
