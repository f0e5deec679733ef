#!/bin/sh
# Runs inside a private mount namespace (started with: unshare --mount --propagation private).
# Replaces /dev with a tmpfs holding only what java and rsyslogd need, starts rsyslogd listening on
# the default /dev/log, runs the given command, and waits until MARKER is in DIR/out.log. Nothing
# here is visible outside the namespace, and the host's /dev is never written to.
#
# Usage: private-dev-log.sh DIR RSYSLOGD MARKER COMMAND [ARG...]
set -eu
dir=$1
rsyslogd=$2
marker=$3
shift 3

# Keep the device nodes reachable through bind mounts before the tmpfs hides them.
mkdir "$dir/dev-save"
for node in null zero random urandom; do
  : > "$dir/dev-save/$node"
  mount --bind "/dev/$node" "$dir/dev-save/$node"
done
mount -t tmpfs -o mode=0755,size=1m orphan-reaper-test-dev /dev
for node in null zero random urandom; do
  : > "/dev/$node"
  mount --bind "$dir/dev-save/$node" "/dev/$node"
done
ln -s /proc/self/fd /dev/fd

"$rsyslogd" -n -f "$dir/rsyslog.conf" -i "$dir/rsyslogd.pid" > "$dir/rsyslogd.out" 2>&1 &
daemon=$!
# Stop the daemon this script started, and only it, however the script ends.
trap 'kill "$daemon" 2> /dev/null || true; wait "$daemon" 2> /dev/null || true' EXIT

tries=0
until [ -S /dev/log ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ]; then
    echo "rsyslogd did not create /dev/log:" >&2
    cat "$dir/rsyslogd.out" >&2
    exit 3
  fi
  sleep 0.1
done

"$@"

tries=0
until grep -qF "$marker" "$dir/out.log" 2> /dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ]; then
    echo "no record with $marker reached $dir/out.log" >&2
    exit 4
  fi
  sleep 0.1
done
