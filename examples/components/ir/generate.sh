#!/bin/sh
# Regenerates the IR component files from their Python sources with the kfp SDK (2.17.3 made the
# committed ones): `pip install kfp==2.17.3 && sh generate.sh`.
set -eu
cd "$(dirname "$0")"
for f in *.py; do python3 "$f"; done
