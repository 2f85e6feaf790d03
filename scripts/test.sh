#!/usr/bin/env bash
# Runs every test of the workspace: unit, property, integration and doc tests.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace
