#!/usr/bin/env bash
# What `npm test` needs besides node_modules: Debian's Chromium for the browser suite and the local
# PostgreSQL server for the PostgreSQL suites. Installed or started here when this user may (root with
# apt-get / pg_ctlcluster); otherwise one line says what is missing (the suites then skip with their reason,
# or fail under CI=true).
set -u

if ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test prerequisites: installing Debian's chromium for the browser suite"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      echo "test prerequisites: could not install chromium; the browser suite will not run"
  else
    echo "test prerequisites: /usr/bin/chromium is missing (apt-get install chromium); the browser suite will not run"
  fi
fi

if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "test prerequisites: starting the local PostgreSQL server"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  else
    echo "test prerequisites: PostgreSQL is not answering on 127.0.0.1:5432; its suites will not run"
  fi
fi
exit 0
