#!/usr/bin/env bash
# tests/sillytavern_push_test.sh through the CForge plugin instead of SillyTavern's own API.
ST_PUSH_MODE=plugin exec bash "$(dirname "$0")/sillytavern_push_test.sh" "$@"
