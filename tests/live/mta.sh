# shellcheck shell=bash
# Postfix and Exim from Debian's packages, run from a private directory on
# loopback for esc's live test. Sourced by live_test.sh (bash).
#
# Why not `apt-get install postfix exim4-daemon-light`: the two conflict (both
# are a mail-transport-agent), installing either starts a system MTA on port
# 25, and the other CI steps should find the machine as it was. Instead:
#   - `apt-get download` fetches both .debs, `dpkg-deb -x` unpacks them into a
#     cache directory; dpkg's database is never touched, nothing lands in /usr;
#   - shared libraries the unpacked programs need and the machine lacks (a
#     fresh Debian 12 has no libidn12, for one) are installed with apt-get, as
#     plain library packages, only as root and only where allowed (CI, or
#     ESC_LIVE_INSTALL=1);
#   - each server runs from there with a configuration written into a
#     temporary state directory, bound to 127.0.0.1 on a free high port, in
#     its own process group, and is stopped by mta_stop_all;
#   - the accounts the servers insist on (Debian's exim4 has the user
#     Debian-exim compiled in; Postfix wants a dedicated mail_owner and
#     setgid_group) are created for the run and removed after it, unless they
#     existed before.

MTA_HERE=${MTA_HERE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
MTA_MARK="esc live test, temporary account"
MTA_POSTFIX_USER=esc-postfix
MTA_POSTFIX_GROUP=esc-postdrop
MTA_EXIM_USER=Debian-exim # compiled into Debian's exim4 binary
MTA_ROOT=
MTA_PIDS=()
MTA_CREATED_USERS=()
MTA_CREATED_GROUPS=()
MTA_PROBLEM=

mta_is_ci() {
    case "${CI:-}" in
    "" | 0 | false | False | FALSE | no) return 1 ;;
    *) return 0 ;;
    esac
}

# Installing packages into the machine is for CI or for who asks for it.
mta_may_install() {
    [ "$(id -u)" = 0 ] && { mta_is_ci || [ "${ESC_LIVE_INSTALL:-}" = 1 ]; }
}

mta_apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -q -o APT::Sandbox::User=root "$@"
}

# Downloads and unpacks the two packages into $1 (kept between runs) and
# sets MTA_ROOT. Returns non-zero with MTA_PROBLEM set when it cannot.
mta_fetch() {
    local cache deb
    mkdir -p "$1" || { MTA_PROBLEM="cannot create $1"; return 1; }
    # Canonical, as /proc/PID/exe shows it: mta_stop_all matches on it.
    cache=$(cd "$1" && pwd -P)
    MTA_ROOT=$cache/root
    if [ -f "$cache/unpacked" ] && [ -x "$MTA_ROOT/usr/sbin/exim4" ] &&
        [ -x "$MTA_ROOT/usr/lib/postfix/sbin/master" ]; then
        return 0
    fi
    for tool in apt-get dpkg-deb dpkg-query ldd; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            MTA_PROBLEM="$tool not found: this needs a Debian (or derived) system"
            return 1
        fi
    done
    rm -rf "$cache"
    mkdir -p "$cache/debs" || { MTA_PROBLEM="cannot create $cache"; return 1; }
    if ! (cd "$cache/debs" && mta_apt_get download postfix exim4-daemon-light) >"$cache/download.log" 2>&1; then
        # A machine that never ran `apt-get update` has no package lists.
        if mta_may_install && mta_apt_get update >>"$cache/download.log" 2>&1 &&
            (cd "$cache/debs" && mta_apt_get download postfix exim4-daemon-light) >>"$cache/download.log" 2>&1; then
            :
        else
            MTA_PROBLEM="apt-get download postfix exim4-daemon-light failed: $(tail -n 3 "$cache/download.log" | tr '\n' ' ')"
            return 1
        fi
    fi
    for deb in "$cache"/debs/*.deb; do
        dpkg-deb -x "$deb" "$MTA_ROOT" || { MTA_PROBLEM="cannot unpack $deb"; return 1; }
    done
    # Nothing here is to be set-user-ID: it runs as root from the test only.
    chmod -R u-s,g-s "$MTA_ROOT"
    touch "$cache/unpacked"
}

# "postfix 3.7.11-0+deb12u1, exim4-daemon-light 4.96-15+deb12u11"
mta_package_versions() {
    local deb out=
    for deb in "$MTA_ROOT"/../debs/*.deb; do
        out="$out${out:+, }$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"
    done
    echo "$out"
}

mta_binaries() {
    echo "$MTA_ROOT/usr/sbin/exim4"
    echo "$MTA_ROOT/usr/sbin/postconf"
    local b
    for b in master smtpd cleanup qmgr trivial-rewrite bounce discard anvil proxymap postlogd verify flush error scache smtp; do
        echo "$MTA_ROOT/usr/lib/postfix/sbin/$b"
    done
}

mta_missing_libraries() {
    local b
    mta_binaries | while read -r b; do
        LD_LIBRARY_PATH=$MTA_ROOT/usr/lib/postfix ldd "$b" 2>/dev/null | awk '/not found/ { print $1 }'
    done | sort -u
}

# The library packages the two .debs depend on that are not installed.
mta_missing_library_packages() {
    local deb
    for deb in "$MTA_ROOT"/../debs/*.deb; do
        dpkg-deb -f "$deb" Depends
    done | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' | grep '^lib' | sort -u |
        while read -r pkg; do
            if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]; then
                echo "$pkg"
            fi
        done
}

# Makes sure the unpacked programs can be loaded.
mta_check_libraries() {
    local missing pkgs
    missing=$(mta_missing_libraries | tr '\n' ' ')
    [ -z "$missing" ] && return 0
    pkgs=$(mta_missing_library_packages | tr '\n' ' ')
    if [ -z "$pkgs" ]; then
        MTA_PROBLEM="shared libraries not found: $missing (and no missing package to install for them)"
        return 1
    fi
    if ! mta_may_install; then
        MTA_PROBLEM="shared libraries not found: $missing; install them with: apt-get install --no-install-recommends $pkgs (or set ESC_LIVE_INSTALL=1 and run as root)"
        return 1
    fi
    echo "live: installing the libraries the servers need: $pkgs"
    # shellcheck disable=SC2086
    if ! mta_apt_get install -y --no-install-recommends $pkgs >"$MTA_ROOT/../install.log" 2>&1; then
        mta_apt_get update >>"$MTA_ROOT/../install.log" 2>&1
        # shellcheck disable=SC2086
        mta_apt_get install -y --no-install-recommends $pkgs >>"$MTA_ROOT/../install.log" 2>&1
    fi
    missing=$(mta_missing_libraries | tr '\n' ' ')
    if [ -n "$missing" ]; then
        MTA_PROBLEM="shared libraries still not found after installing $pkgs: $missing"
        return 1
    fi
}

mta_ensure_group() {
    getent group "$1" >/dev/null && return 0
    groupadd --system "$1" && MTA_CREATED_GROUPS+=("$1")
}

mta_ensure_user() {
    getent passwd "$1" >/dev/null && return 0
    if getent group "$1" >/dev/null; then
        useradd --system --gid "$1" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            --comment "$MTA_MARK" "$1" || return 1
    else
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            --comment "$MTA_MARK" "$1" || return 1
        MTA_CREATED_GROUPS+=("$1")
    fi
    MTA_CREATED_USERS+=("$1")
}

mta_accounts_create() {
    if ! command -v useradd >/dev/null 2>&1; then
        MTA_PROBLEM="useradd not found"
        return 1
    fi
    if ! { mta_ensure_user "$MTA_POSTFIX_USER" && mta_ensure_group "$MTA_POSTFIX_GROUP" &&
        mta_ensure_user "$MTA_EXIM_USER"; }; then
        MTA_PROBLEM="cannot create the servers' accounts"
        return 1
    fi
}

mta_accounts_remove() {
    local u g
    for u in "${MTA_CREATED_USERS[@]}"; do
        # Only an account this test made: its comment says so.
        if [ "$(getent passwd "$u" | cut -d: -f5)" = "$MTA_MARK" ]; then
            userdel "$u" 2>/dev/null
        fi
    done
    for g in "${MTA_CREATED_GROUPS[@]}"; do
        if getent group "$g" >/dev/null; then groupdel "$g" 2>/dev/null; fi
    done
    MTA_CREATED_USERS=()
    MTA_CREATED_GROUPS=()
}

# A TCP port on 127.0.0.1 that nothing answers on.
mta_free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# Waits until something listens on the port, while process $2 lives.
mta_wait_listening() {
    local port=$1 pid=$2
    for _ in $(seq 1 150); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# render TEMPLATE OUTPUT NAME=VALUE...
mta_render() {
    local in=$1 out=$2 script=() kv
    shift 2
    for kv in "$@"; do script+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${script[@]}" "$in" >"$out"
}

# postfix_start STATE PORT SLOW_SECONDS: runs master in the foreground (-d)
# in its own process group; sets POSTFIX_PID.
postfix_start() {
    local state=$1 port=$2 slow=$3 d
    mkdir -p "$state/etc" "$state/spool" "$state/data" || return 1
    local vars=(STATE="$state" ROOT="$MTA_ROOT" PORT="$port" SLOW_SECONDS="$slow"
        MAIL_OWNER="$MTA_POSTFIX_USER" SETGID_GROUP="$MTA_POSTFIX_GROUP")
    mta_render "$MTA_HERE/postfix/main.cf.in" "$state/etc/main.cf" "${vars[@]}"
    mta_render "$MTA_HERE/postfix/master.cf.in" "$state/etc/master.cf" "${vars[@]}"
    printf '%s@example.test ok\n' alice bob carol dave busy slow >"$state/etc/mailboxes"
    printf 'busy@example.test unanswered_lookup\nslow@example.test pause\n' >"$state/etc/recipient_access"
    for d in active bounce corrupt defer deferred flush hold incoming private saved trace; do
        install -d -o "$MTA_POSTFIX_USER" -g "$MTA_POSTFIX_GROUP" -m 0700 "$state/spool/$d"
    done
    install -d -o "$MTA_POSTFIX_USER" -g "$MTA_POSTFIX_GROUP" -m 0730 "$state/spool/maildrop"
    install -d -o "$MTA_POSTFIX_USER" -g "$MTA_POSTFIX_GROUP" -m 0710 "$state/spool/public"
    install -d -o root -g root -m 0755 "$state/spool/pid"
    chown "$MTA_POSTFIX_USER" "$state/data"
    # postconf reports configuration errors on stderr; master would only
    # tell syslog, which a CI machine may not have.
    if ! LD_LIBRARY_PATH=$MTA_ROOT/usr/lib/postfix "$MTA_ROOT/usr/sbin/postconf" -c "$state/etc" -n \
        >"$state/postconf.out" 2>&1 || grep -q -e fatal -e warning "$state/postconf.out"; then
        MTA_PROBLEM="postconf: $(grep -e fatal -e warning "$state/postconf.out" | head -n 3 | tr '\n' ' ')"
        return 1
    fi
    LD_LIBRARY_PATH=$MTA_ROOT/usr/lib/postfix setsid "$MTA_ROOT/usr/lib/postfix/sbin/master" \
        -c "$state/etc" -d </dev/null >"$state/master.out" 2>&1 &
    POSTFIX_PID=$!
    MTA_PIDS+=("$POSTFIX_PID")
    if ! mta_wait_listening "$port" "$POSTFIX_PID"; then
        MTA_PROBLEM="Postfix did not start listening on 127.0.0.1:$port: $(tail -n 5 "$state/maillog" "$state/master.out" 2>/dev/null | tr '\n' ' ')"
        return 1
    fi
}

postfix_version() {
    LD_LIBRARY_PATH=$MTA_ROOT/usr/lib/postfix "$MTA_ROOT/usr/sbin/postconf" -c "$1/etc" -h mail_version 2>/dev/null
}

# exim_start STATE PORT SLOW_SECONDS: runs the daemon in the foreground
# (-bdf) in its own process group; sets EXIM_PID.
exim_start() {
    local state=$1 port=$2 slow=$3
    mkdir -p "$state" || return 1
    install -d -o "$MTA_EXIM_USER" -g "$MTA_EXIM_USER" -m 0750 "$state/spool" "$state/log"
    # Exim insists its configuration belongs to root and is not writable by others.
    mta_render "$MTA_HERE/exim/exim.conf.in" "$state/exim.conf" STATE="$state" ROOT="$MTA_ROOT" PORT="$port" \
        SLOW_SECONDS="$slow"
    chown root:root "$state/exim.conf"
    chmod 0644 "$state/exim.conf"
    if ! "$MTA_ROOT/usr/sbin/exim4" -C "$state/exim.conf" -bV >"$state/exim-bV.out" 2>&1; then
        MTA_PROBLEM="exim -bV: $(tail -n 3 "$state/exim-bV.out" | tr '\n' ' ')"
        return 1
    fi
    setsid "$MTA_ROOT/usr/sbin/exim4" -C "$state/exim.conf" -bdf </dev/null >"$state/daemon.out" 2>&1 &
    EXIM_PID=$!
    MTA_PIDS+=("$EXIM_PID")
    if ! mta_wait_listening "$port" "$EXIM_PID"; then
        # shellcheck disable=SC2034 # read by the script that sources this one
        MTA_PROBLEM="Exim did not start listening on 127.0.0.1:$port: $(tail -n 5 "$state/daemon.out" "$state"/log/*log 2>/dev/null | tr '\n' ' ')"
        return 1
    fi
}

exim_version() {
    head -n 1 "$1/exim-bV.out"
}

# Stops every server started here: its process group first, then anything
# still running one of the unpacked binaries (a daemon's child may have left
# the group).
mta_stop_all() {
    local pid p exe left
    for pid in "${MTA_PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    done
    for _ in $(seq 1 50); do
        left=0
        for pid in "${MTA_PIDS[@]}"; do
            kill -0 -- "-$pid" 2>/dev/null && left=1
        done
        [ "$left" = 0 ] && break
        sleep 0.1
    done
    for pid in "${MTA_PIDS[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    MTA_PIDS=()
    [ -n "$MTA_ROOT" ] || return 0
    for _ in 1 2 3; do
        left=0
        for p in /proc/[0-9]*; do
            exe=$(readlink "$p/exe" 2>/dev/null) || continue
            case "$exe" in
            "$MTA_ROOT"/*)
                left=1
                kill -KILL "${p#/proc/}" 2>/dev/null
                ;;
            esac
        done
        [ "$left" = 0 ] && return 0
        sleep 0.2
    done
}

# Whether any process still runs an unpacked server binary.
mta_anything_running() {
    local p exe
    [ -n "$MTA_ROOT" ] || return 1
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        case "$exe" in "$MTA_ROOT"/*) return 0 ;; esac
    done
    return 1
}
