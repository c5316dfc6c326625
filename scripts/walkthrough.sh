#!/usr/bin/env bash
# A user's walk through the CLI in a real 80×24 terminal (tmux): register → show → list →
# update → rotate-secret → delete → prune, with a capture of the screen after each step.
# Usage: scripts/walkthrough.sh [BINARY] > captures.txt   (BINARY defaults to target/release/dcrctl)
# For reading by a person (issue 17's "done when"); the terminal tests check the same rules.
set -euo pipefail
bin=$(realpath "${1:-target/release/dcrctl}")
work=$(mktemp -d)
session="dcrctl-walk-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
export DCRCTL_DB="$work/clients.db"

tmux new-session -d -s "$session" -x 80 -y 24 "env DCRCTL_DB='$DCRCTL_DB' PS1='$ ' bash --norc --noprofile"
tmux set-option -t "$session" status off >/dev/null

wait_idle() { # until the screen stops changing
    local before="" now
    for _ in $(seq 100); do
        sleep 0.2
        now=$(tmux capture-pane -p -t "$session")
        [ "$now" = "$before" ] && return
        before=$now
    done
}
step() { # step TITLE KEYS…: type the keys, wait, print the screen
    local title=$1; shift
    tmux send-keys -t "$session" "clear" Enter
    wait_idle
    tmux send-keys -t "$session" "$@"
    wait_idle
    printf '=== %s ===\n' "$title"
    tmux capture-pane -p -t "$session" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    printf '\n'
}

answer() { # answer TITLE KEYS…: type an answer only if a prompt is waiting (never into the shell)
    local title=$1; shift
    if tmux capture-pane -p -t "$session" | grep -qE '\[y/N\]|\[Y/n\]|: *$'; then
        tmux send-keys -t "$session" "$@"
        wait_idle
    else
        printf '(no prompt appeared)\n'
    fi
    printf '=== %s ===\n' "$title"
    tmux capture-pane -p -t "$session" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    printf '\n'
}

# Several clients with realistic names and long ids, so tables have to fit.
for name in "Billing service" "Claude" "ChatGPT connector for the finance team's reporting" "cli-tool"; do
    "$bin" register --client-name "$name" --redirect-uri "https://app.example.com/callback/$RANDOM" >/dev/null 2>&1
done
"$bin" register --client-id "very-long-client-identifier-chosen-by-an-operator-0001" \
    --client-name "Long id" --redirect-uri https://long.example.com/cb >/dev/null 2>&1

step "register" "$bin register --client-name 'Reporting dashboard' --redirect-uri https://reports.example.com/oauth/callback" Enter
id=$("$bin" -o json list --name 'Reporting dashboard' | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["client_id"])')
step "show" "$bin show $id" Enter
step "list" "$bin list" Enter
step "update (destroys the secret: asks first)" "$bin update $id --token-endpoint-auth-method none" Enter
answer "update: answer yes" "yes" Enter
step "rotate-secret on a confidential client" "$bin rotate-secret --name 'Billing service' --grace 1h" Enter
step "show: the grace period" "$bin show --name 'Billing service'" Enter
step "delete (asks; waits for Enter)" "$bin delete $id" Enter
answer "delete: type y, no Enter yet (nothing may happen)" "y"
answer "delete: then e s and Enter" "es" Enter
step "events" "$bin events --limit 8" Enter
step "prune (asks on a terminal)" "$bin prune --unused-for 0s --include-provisioned" Enter
answer "prune: answer no" "n" Enter
