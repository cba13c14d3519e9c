#!/usr/bin/env python3
"""Reads YAML documents on stdin the way Argo and kubectl's YAML 1.1 readers do (PyYAML's SafeLoader,
dates kept as dates) and prints them as one JSON array. Used by the tests to check what a YAML 1.1
reader sees in kfp-rs output."""
import datetime
import json
import sys

import yaml


def default(o):
    # A YAML 1.1 timestamp: make it visible as a non-string so a test can tell.
    if isinstance(o, (datetime.date, datetime.datetime)):
        return {"__yaml11_timestamp__": o.isoformat()}
    raise TypeError(f"cannot encode {type(o)}")


docs = list(yaml.safe_load_all(sys.stdin.read()))
json.dump(docs, sys.stdout, default=default, sort_keys=True)
