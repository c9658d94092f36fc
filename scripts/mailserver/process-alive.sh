# process-alive.sh — sourced by start.sh and stop.sh (not run on its own).
#
# alive PID: true while PID is a live process. A zombie (state Z) is dead although kill -0 still
# succeeds on it: this machine's PID 1 may reap slowly, and a stopped server must not be taken
# for a running one (start.sh would then not restart it, stop.sh would wait on it).
alive() {
  local st
  st="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [ -n "$st" ] && [ "${st:0:1}" != Z ]
}
