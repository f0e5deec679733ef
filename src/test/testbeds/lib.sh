# shellcheck shell=bash
# Shared helpers for the orphan-reaper test beds (sourced by ./slurm, ./gridengine, ./selftest).
#
# Safety rule: these scripts only ever signal processes whose PID they recorded themselves
# when they started them. A record is "PID STARTTIME EXE"; before signalling, the PID must
# still exist, /proc/PID/exe must still be EXE and field 22 of /proc/PID/stat must still be
# STARTTIME (so a recycled PID is never signalled). Nothing is ever killed by name.

TESTBED_ROOT=${TESTBED_ROOT:-/var/lib/orphan-reaper-testbed}

die() {
  echo "$PROG: $*" >&2
  exit 1
}

need_root() {
  [ "$(id -u)" = 0 ] || die "must run as root"
}

# Starttime (clock ticks since boot) of PID, from /proc/PID/stat field 22. Fails if gone.
proc_starttime() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) } # comm may contain spaces and ')': cut after the last ')'
  # shellcheck disable=SC2086
  set -- $s # $1 is field 3 (state), so field 22 is $20
  echo "${20}"
}

proc_exe() {
  readlink "/proc/$1/exe" 2>/dev/null
}

# record_pid DIR NAME PID EXE: remember that we started PID running EXE (symlinks resolved:
# Debian's /usr/sbin/slurmd is an alternatives link to slurmd-wlm).
record_pid() {
  local dir=$1 name=$2 pid=$3 exe st
  exe=$(readlink -f "$4")
  st=$(proc_starttime "$pid") || return 1
  mkdir -p "$dir"
  echo "$pid $st $exe" >"$dir/$name.pid.tmp"
  mv -f "$dir/$name.pid.tmp" "$dir/$name.pid"
}

# recorded_pid DIR NAME: print the PID if the recorded process still runs the recorded
# executable with the recorded start time; else remove a stale record and fail.
recorded_pid() {
  local dir=$1 name=$2 pid st exe cur_st cur_exe
  [ -f "$dir/$name.pid" ] || return 1
  read -r pid st exe <"$dir/$name.pid" || true
  if [ -n "${pid:-}" ] && [[ $pid =~ ^[0-9]+$ ]]; then
    cur_st=$(proc_starttime "$pid") || cur_st=
    cur_exe=$(proc_exe "$pid") || cur_exe=
    cur_exe=${cur_exe% (deleted)}
    if [ -n "$cur_st" ] && [ "$cur_st" = "$st" ] && [ "$cur_exe" = "$exe" ]; then
      echo "$pid"
      return 0
    fi
  fi
  rm -f "$dir/$name.pid" # stale: process gone or PID reused
  return 1
}

# proc_gone PID STARTTIME: the process that had STARTTIME has fully exited: no /proc entry,
# PID reused, or a zombie whose threads are all gone (a multi-threaded daemon's leader can be a
# zombie while its other threads still shut down and hold ports and files).
proc_gone() {
  local st state
  st=$(proc_starttime "$1") || return 0
  [ "$st" = "$2" ] || return 0
  state=$(awk '$1 == "State:" {print $2}' "/proc/$1/status" 2>/dev/null) || return 0
  [ -n "$state" ] || return 0
  case "$state" in Z | X) [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -le 1 ] ;; *) return 1 ;; esac
}

# stop_recorded DIR NAME [TIMEOUT]: SIGTERM the recorded process, wait until it has fully
# exited, SIGKILL it (same PID and start time) if needed.
stop_recorded() {
  local dir=$1 name=$2 timeout=${3:-20} pid st i
  pid=$(recorded_pid "$dir" "$name") || return 0
  st=$(proc_starttime "$pid") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 5; i++)); do
    if proc_gone "$pid" "$st"; then
      rm -f "$dir/$name.pid"
      return 0
    fi
    sleep 0.2
  done
  echo "$PROG: $name (pid $pid) ignored SIGTERM for ${timeout}s, sending SIGKILL" >&2
  [ "$(proc_starttime "$pid")" = "$st" ] && kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    if proc_gone "$pid" "$st"; then
      rm -f "$dir/$name.pid"
      return 0
    fi
    sleep 0.2
  done
  echo "$PROG: $name (pid $pid) still alive" >&2
  return 1
}

# wait_for SECONDS CMD...: run CMD every 0.25 s until it succeeds; fail after SECONDS.
wait_for() {
  local secs=$1 i
  shift
  for ((i = 0; i < secs * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  return 1
}

# pid_from_file FILE EXE [SECS]: wait (default 30 s) until FILE names a live PID running EXE;
# print it.
pid_from_file() {
  local file=$1 exe secs=${3:-30} pid i
  exe=$(readlink -f "$2")
  for ((i = 0; i < secs * 4; i++)); do
    if [ -s "$file" ]; then
      read -r pid <"$file" || true
      if [[ ${pid:-} =~ ^[0-9]+$ ]] && [ "$(proc_exe "$pid")" = "$exe" ]; then
        echo "$pid"
        return 0
      fi
    fi
    sleep 0.25
  done
  return 1
}

# ensure_user NAME UID: create a user with that uid, a same-named group and a home directory.
ensure_user() {
  local name=$1 uid=$2 cur
  if cur=$(id -u "$name" 2>/dev/null); then
    [ "$cur" = "$uid" ] || die "user $name exists with uid $cur, expected $uid"
    return 0
  fi
  if getent passwd "$uid" >/dev/null; then
    die "uid $uid already belongs to $(getent passwd "$uid" | cut -d: -f1)"
  fi
  if ! getent group "$name" >/dev/null; then
    if getent group "$uid" >/dev/null; then groupadd "$name"; else groupadd -g "$uid" "$name"; fi
  fi
  useradd -m -u "$uid" -g "$name" -s /bin/bash "$name"
}

ensure_test_users() {
  ensure_user ortest1 5001
  ensure_user ortest2 5002
}

# apt_install PKG...: install missing packages, non-interactively, without recommends.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}"; then
    apt-get update -q
    apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}"
  fi
}

log_tail() {
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    echo "---- last lines of $f ----" >&2
    tail -n 25 "$f" >&2
  done
}
