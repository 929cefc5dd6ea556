#!/usr/bin/env bash
# esc's live test: Postfix and Exim from Debian on loopback, provoked through
# examples/send (esc-send), each outcome and reason asserted.
#
#   live_test.sh --client PATH/esc-send [--work DIR] [--capture DIR] [--only postfix|exim]
#
# --work     where the unpacked packages are kept between runs (default: a
#            directory beside this script's caller, see below)
# --capture  copy each session's replies (exactly as received) and
#            transcript to DIR as fixtures: DIR/<server>-<case>.txt and
#            DIR/<server>-<case>.transcript
#
# Exit status: 0 all assertions held; 1 some did not, or (with CI set) the
# servers could not be installed or started; 77 (CTest's skip) when they
# could not be, outside CI. Needs root: both daemons start as root and drop
# privileges themselves. See tests/live/mta.sh for how the servers are run.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
client=
work=
capture=
only=
while [ $# -gt 0 ]; do
    case "$1" in
    --client) client=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --capture) capture=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "live_test.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

MTA_HERE=$here
# shellcheck source=mta.sh
. "$here/mta.sh"

# How long slow@ makes the servers wait, and how long the impatient client
# waits for it.
slow_seconds=4
impatient_timeout=2

not_possible() {
    if mta_is_ci; then
        echo "live: FAIL: $*"
        echo "live: (CI is set, so the servers not being available is a failure, not a skip)"
        exit 1
    fi
    echo "live: SKIP: $*"
    exit 77
}

[ -n "$client" ] || { echo "live_test.sh: --client is required" >&2; exit 2; }
[ -x "$client" ] || { echo "live: FAIL: client $client is not executable"; exit 1; }
[ -n "$work" ] || work=$(dirname "$client")/live-mta
[ "$(id -u)" = 0 ] || not_possible "the mail servers must be started as root (this is uid $(id -u))"

state=$(mktemp -d "${TMPDIR:-/tmp}/esc-live.XXXXXX") || not_possible "cannot create a temporary directory"
chmod 0755 "$state"
results=$state/results
mkdir -p "$results"

watchdog=
cleanup() {
    local rc=$?
    [ -n "$watchdog" ] && kill -- "-$watchdog" 2>/dev/null
    mta_stop_all
    if mta_anything_running; then
        echo "live: FAIL: a server process outlived the test"
        rc=1
    fi
    mta_accounts_remove
    rm -rf "$state"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Stop well before CTest's TIMEOUT would kill this script without its cleanup
# (the servers run in sessions of their own and would outlive it).
# In a process group of its own, so that stopping it stops its sleep too.
# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
setsid bash -c 'sleep "$1" && echo "live: FAIL: over $1 s, giving up" && kill -TERM "$2"' watchdog \
    "${ESC_LIVE_DEADLINE:-420}" "$$" </dev/null &
watchdog=$!

echo "live: unpacking postfix and exim4-daemon-light into $work"
mta_fetch "$work" || not_possible "$MTA_PROBLEM"
echo "live: Debian packages: $(mta_package_versions)"
mta_check_libraries || not_possible "$MTA_PROBLEM"
mta_accounts_create || not_possible "$MTA_PROBLEM"

servers=()
if [ -z "$only" ] || [ "$only" = postfix ]; then
    postfix_port=$(mta_free_port) || not_possible "no free port on 127.0.0.1"
    postfix_start "$state/postfix" "$postfix_port" "$slow_seconds" || not_possible "$MTA_PROBLEM"
    echo "live: Postfix $(postfix_version "$state/postfix") listening on 127.0.0.1:$postfix_port"
    servers+=(postfix)
fi
if [ -z "$only" ] || [ "$only" = exim ]; then
    exim_port=$(mta_free_port) || not_possible "no free port on 127.0.0.1"
    exim_start "$state/exim" "$exim_port" "$slow_seconds" || not_possible "$MTA_PROBLEM"
    echo "live: $(exim_version "$state/exim") listening on 127.0.0.1:$exim_port"
    servers+=(exim)
fi

passed=0
failed=0

pass() {
    passed=$((passed + 1))
    echo "ok - $*"
}
fail() {
    failed=$((failed + 1))
    echo "not ok - $*"
}

port_of() {
    case "$1" in
    postfix) echo "$postfix_port" ;;
    exim) echo "$exim_port" ;;
    esac
}

# run SERVER CASE ARGS...: one session through esc-send.
run() {
    local server=$1 name=$2 out rc
    shift 2
    out=$results/$server-$name
    echo
    echo "=== $server: $name"
    timeout 120 "$client" --server 127.0.0.1 --port "$(port_of "$server")" --helo client.test --from sender@client.test \
        --json --transcript "$out.transcript" --replies "$out.txt" "$@" >"$out.json" 2>"$out.log"
    rc=$?
    sed 's/^/    /' "$out.log"
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        fail "$server $name: esc-send exited with status $rc"
    fi
    if [ -n "$capture" ]; then
        mkdir -p "$capture"
        cp "$out.txt" "$capture/$server-$name.txt"
        cp "$out.transcript" "$capture/$server-$name.transcript"
    fi
}

# field JSON-LINE NAME: the value of a string, number or boolean field.
field() {
    local v
    v=$(printf '%s\n' "$1" | grep -o "\"$2\":\(\"[^\"]*\"\|[^,}]*\)" | head -n 1)
    v=${v#*:}
    v=${v#\"}
    echo "${v%\"}"
}

# check WHAT JSON-LINE NAME=VALUE...
check() {
    local what=$1 line=$2 kv got bad=
    shift 2
    if [ -z "$line" ]; then
        fail "$what: no such line in esc-send's output"
        return
    fi
    for kv in "$@"; do
        got=$(field "$line" "${kv%%=*}")
        [ "$got" = "${kv#*=}" ] || bad="$bad ${kv%%=*}=$got (expected ${kv#*=})"
    done
    if [ -z "$bad" ]; then
        pass "$what: $*"
    else
        fail "$what:$bad"
        echo "    line: $line"
    fi
}

# recipient SERVER CASE ADDRESS NAME=VALUE...: asserts the verdict for ADDRESS.
recipient() {
    local server=$1 name=$2 rcpt=$3
    shift 3
    check "$server $name $rcpt" \
        "$(grep -F "\"event\":\"recipient\",\"recipient\":\"$rcpt\"" "$results/$server-$name.json")" "$@"
}

# reply SERVER CASE COMMAND NAME=VALUE...: asserts the (last) reply to COMMAND.
reply() {
    local server=$1 name=$2 command=$3
    shift 3
    check "$server $name reply to $command" \
        "$(grep -F "\"event\":\"reply\",\"command\":\"$command\"" "$results/$server-$name.json" | tail -n 1)" "$@"
}

# The sessions. The same for both servers; what they answer differs.
sessions() {
    local s=$1
    run "$s" deliver alice@example.test
    run "$s" deliver-lockstep --no-pipelining alice@example.test
    run "$s" unknown-user ghost@example.test
    run "$s" relay-denied someone@elsewhere.test
    run "$s" too-big --size 20000 alice@example.test
    run "$s" too-big-data --size 20000 --no-size alice@example.test
    run "$s" too-many-recipients alice@example.test bob@example.test carol@example.test dave@example.test
    run "$s" bad-syntax --raw HELO
    run "$s" unknown-command --raw XYZZY
    run "$s" temp-failure busy@example.test
    run "$s" slow slow@example.test
    run "$s" timeout --timeout "$impatient_timeout" slow@example.test
    run "$s" too-many-errors --raw XYZZY --raw XYZZY --raw XYZZY --raw XYZZY --raw XYZZY --raw XYZZY alice@example.test
}

for s in "${servers[@]}"; do sessions "$s"; done
echo

# --- what each server said, and what esc must make of it --------------------
if [[ " ${servers[*]} " == *" postfix "* ]]; then
    p=postfix
    recipient $p deliver alice@example.test verdict=delivered outcome=success reason=none status=2.0.0 inferred=false command=end_of_data
    recipient $p deliver-lockstep alice@example.test verdict=delivered outcome=success reason=none status=2.0.0 inferred=false
    reply $p deliver-lockstep rcpt code=250 status=2.1.5 inferred=false
    # 550 5.1.1 <ghost@example.test>: Recipient address rejected: User unknown in virtual mailbox table
    recipient $p unknown-user ghost@example.test verdict=bounced outcome=permanent reason=mailbox_unknown status=5.1.1 inferred=false command=rcpt code=550 next_mx=false
    # 554 5.7.1 <someone@elsewhere.test>: Relay access denied
    recipient $p relay-denied someone@elsewhere.test verdict=bounced outcome=permanent reason=relay_denied status=5.7.1 inferred=false command=rcpt code=554
    # 552 5.3.4 Message size exceeds fixed limit (to MAIL FROM:<...> SIZE=20...)
    recipient $p too-big alice@example.test verdict=bounced outcome=permanent reason=message_too_large status=5.3.4 inferred=false command=mail code=552
    # the same after the message, when the size was not declared
    recipient $p too-big-data alice@example.test verdict=bounced outcome=permanent reason=message_too_large status=5.3.4 inferred=false command=end_of_data code=552
    # 452 4.5.3 Error: too many recipients (the 4th; smtpd_recipient_limit = 3)
    recipient $p too-many-recipients dave@example.test verdict=retry outcome=transient reason=too_many_recipients status=4.5.3 inferred=false command=rcpt code=452 next_mx=false
    for r in alice bob carol; do
        recipient $p too-many-recipients $r@example.test verdict=delivered outcome=success
    done
    # 501 Syntax: HELO hostname (no enhanced code: RFC 2034 exempts replies to HELO)
    reply $p bad-syntax helo code=501 outcome=permanent reason=protocol status=5.5.4 inferred=true
    # 500 5.5.2 Error: command not recognized
    reply $p unknown-command unknown code=500 outcome=permanent reason=protocol status=5.5.2 inferred=false
    # 451 4.3.5 <busy@example.test>: Recipient address rejected: Server configuration error
    recipient $p temp-failure busy@example.test verdict=retry outcome=transient reason=system_error status=4.3.5 inferred=false command=rcpt code=451 next_mx=false
    recipient $p slow slow@example.test verdict=delivered outcome=success
    # no reply to RCPT within the client's timeout: esc-send's own verdict
    recipient $p timeout slow@example.test verdict=retry outcome=transient reason=network status=4.4.2 inferred=true code=0 next_mx=true
    # after five errors (smtpd_hard_error_limit = 5): 421 4.7.0 mx.postfix.test Error: too many errors, and it closes
    reply $p too-many-errors unknown code=421 outcome=transient reason=protocol status=4.7.0 inferred=false
    recipient $p too-many-errors alice@example.test verdict=retry outcome=transient reason=protocol code=421 next_mx=true
fi

if [[ " ${servers[*]} " == *" exim "* ]]; then
    e=exim
    # Exim sends no enhanced codes: every status below is inferred by esc.
    recipient $e deliver alice@example.test verdict=delivered outcome=success reason=none status=2.0.0 inferred=true command=end_of_data
    recipient $e deliver-lockstep alice@example.test verdict=delivered outcome=success reason=none inferred=true
    reply $e deliver-lockstep rcpt code=250 status=2.1.5 inferred=true
    # 550 Unrouteable address
    recipient $e unknown-user ghost@example.test verdict=bounced outcome=permanent reason=domain_unknown status=5.0.0 inferred=true command=rcpt code=550 next_mx=false
    # 550 relay not permitted
    recipient $e relay-denied someone@elsewhere.test verdict=bounced outcome=permanent reason=relay_denied status=5.0.0 inferred=true command=rcpt code=550
    # 552 Message size exceeds maximum permitted (to MAIL FROM:<...> SIZE=20...)
    recipient $e too-big alice@example.test verdict=bounced outcome=permanent reason=message_too_large status=5.3.4 inferred=true command=mail code=552
    # the same after the message, when the size was not declared
    recipient $e too-big-data alice@example.test verdict=bounced outcome=permanent reason=message_too_large status=5.3.4 inferred=true command=end_of_data code=552
    # 452 too many recipients (the 4th; recipients_max = 3)
    recipient $e too-many-recipients dave@example.test verdict=retry outcome=transient reason=too_many_recipients status=4.5.3 inferred=true command=rcpt code=452 next_mx=false
    for r in alice bob carol; do
        recipient $e too-many-recipients $r@example.test verdict=delivered outcome=success
    done
    # 501 Syntactically invalid HELO argument(s)
    reply $e bad-syntax helo code=501 outcome=permanent reason=protocol status=5.5.4 inferred=true
    # 500 unrecognized command
    reply $e unknown-command unknown code=500 outcome=permanent reason=protocol status=5.5.2 inferred=true
    # 451 Temporary local problem - please try later
    recipient $e temp-failure busy@example.test verdict=retry outcome=transient reason=system_error status=4.3.0 inferred=true command=rcpt code=451 next_mx=false
    recipient $e slow slow@example.test verdict=delivered outcome=success
    recipient $e timeout slow@example.test verdict=retry outcome=transient reason=network status=4.4.2 inferred=true code=0 next_mx=true
    # the fourth unknown command (smtp_max_unknown_commands is 3): 500 Too many unrecognized commands, and
    # Exim closes the connection without a 421: the fifth command finds it closed
    reply $e too-many-errors unknown code=500 outcome=permanent reason=protocol status=5.5.2 inferred=true
    recipient $e too-many-errors alice@example.test verdict=retry outcome=transient reason=network status=4.4.2 code=0 command=unknown next_mx=true
fi

echo
echo "live: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
