# Shared by bench.sh and scale.sh (sourced; POSIX sh). The caller sets WORK (its
# temporary directory) first and installs `cleanup` as its EXIT trap.

SPURD_PID=""
NGINX_PID=""
# Stops the spurd and nginx the script started and removes WORK.
cleanup() {
    [ -n "$SPURD_PID" ] && kill "$SPURD_PID" 2>/dev/null || true
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# nginx_same_bytes URL: saves what spurd answers at URL (its leaderboard) as a file under
# $WORK/www at the same path and starts nginx (1 worker) serving it on a free port.
# Sets NPORT, NGINX_PID and NGINX_URL (the same path on nginx); exits when nginx does
# not answer within 10 s.
nginx_same_bytes() {
    path=/${1#http://*/}
    mkdir -p "$WORK/www$(dirname "$path")" "$WORK/nginx"
    curl -sf "$1" >"$WORK/www$path"
    chmod -R a+rX "$WORK"
    NPORT=$(free_port)
    cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    server {
        listen 127.0.0.1:$NPORT;
        root $WORK/www;
        etag on;
    }
}
CONF
    nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
    NGINX_PID=$!
    NGINX_URL=http://127.0.0.1:$NPORT$path
    for _ in $(seq 100); do
        curl -sf "$NGINX_URL" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "bench: nginx did not start" >&2
    exit 1
}
