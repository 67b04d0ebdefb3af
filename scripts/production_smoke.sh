#!/usr/bin/env bash
# Install Partnerportal for production exactly as README.md ("Install for production") says, on a
# fresh SQLite file and on a fresh PostgreSQL database, serve it with gunicorn (DEBUG off) and
# request every public page and API endpoint: any server error fails. On PostgreSQL, then run the
# documented jobs (cron, worker) and backup, import the real reference data (../shared/data, when
# it is there), crawl again and run schemathesis against the running API.
#
# The commands come from README.md itself (the blocks marked <!-- production-smoke: NAME -->), so
# the section cannot drift from what is tested. Everything lives in a temporary directory and a
# database of its own, both removed at the end; gunicorn is stopped. Bounded in time.
#
#   scripts/production_smoke.sh                 both databases
#   SMOKE_DATABASES=sqlite scripts/production_smoke.sh
# Settings: SMOKE_PG_SERVER (postgres://postgres@127.0.0.1:5432), SMOKE_PG_DATABASE (a name of
# its own per run), SHARED_DATA (../shared/data), SMOKE_MAX_EXAMPLES (schemathesis, 10).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV_BIN="$ROOT/.venv/bin"
SMOKE_PY="$VENV_BIN/python $ROOT/scripts/production_smoke.py"
PG_SERVER=${SMOKE_PG_SERVER:-postgres://postgres@127.0.0.1:5432}
PG_DATABASE=${SMOKE_PG_DATABASE:-partnerportal_smoke_$$}
SHARED_DATA=${SHARED_DATA:-$ROOT/../shared/data}
DATABASES_TO_TEST=${SMOKE_DATABASES:-sqlite postgresql}
MAX_EXAMPLES=${SMOKE_MAX_EXAMPLES:-10}
STARTED=$SECONDS

[ -x "$VENV_BIN/partnerportal" ] || { echo "No .venv: run make install first." >&2; exit 1; }
[ -f "$ROOT/node_modules/.installed" ] || { echo "No node_modules: run make assets first." >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/partnerportal-smoke.XXXXXX")
SERVER_PID=""
PG_CREATED=""

step() { printf '\n\033[1m--> [%s, %s s] %s\033[0m\n' "$(date -u +%H:%M:%S)" "$((SECONDS - STARTED))" "$*"; }

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

drop_database() {
    if [ -n "$PG_CREATED" ]; then
        timeout 60 psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS \"$PG_DATABASE\" WITH (FORCE)" </dev/null || true
        PG_CREATED=""
    fi
}

cleanup() {
    local rc=$?
    stop_server
    drop_database
    if [ $rc -ne 0 ] && [ -f "$WORK/gunicorn.log" ]; then
        echo "--- last lines of the gunicorn log ---" >&2
        tail -n 60 "$WORK/gunicorn.log" >&2 || true
    fi
    rm -rf "$WORK"
    echo "Production smoke test: $([ $rc -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - STARTED)) s"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$VENV_BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

healthy() {
    "$VENV_BIN/python" - "http://127.0.0.1:$PORT/healthz" <<'PY' 2>/dev/null
import sys, urllib.request

request = urllib.request.Request(sys.argv[1], headers={"X-Forwarded-Proto": "https"})
sys.exit(0 if urllib.request.urlopen(request, timeout=5).status == 200 else 1)
PY
}

# The documented commands, run as the README shows them (with the venv's bin on PATH).
run_block() {
    local name=$1 commands
    commands=$($SMOKE_PY steps "$name")
    printf '%s\n' "$commands" | sed 's/^/    $ /'
    timeout "${2:-600}" bash -euo pipefail -c "$commands" </dev/null
}

# One installation: settings from the environment, as README.md lists them.
install_and_check() {
    local label=$1 database_url=$2
    local home="$WORK/$label"
    mkdir -p "$home"
    export PATH="$VENV_BIN:$PATH"
    export DJANGO_SETTINGS_MODULE=partnerportal.settings.production
    SECRET_KEY=$("$VENV_BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
    export SECRET_KEY
    export DATABASE_URL=$database_url
    export PARTNERPORTAL_VAR_DIR="$home/var" MEDIA_ROOT="$home/var/media"
    mkdir -p "$MEDIA_ROOT"
    PORT=$(free_port)
    export PORT
    export ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL="https://127.0.0.1:$PORT"
    export CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$PORT"
    # Hundreds of requests a minute from one address: the API's limit for callers not logged in.
    export API_ANON_RATE=100000/m
    unset CACHE_URL DEBUG TASKS_BACKEND SECURE_SSL_REDIRECT

    step "[$label] install (README: migrate, collectstatic)"
    local t0=$SECONDS
    run_block install 900
    echo "    installed in $((SECONDS - t0)) s"

    step "[$label] serve (README: gunicorn) on 127.0.0.1:$PORT"
    local serve
    serve=$($SMOKE_PY steps serve)
    printf '    $ %s\n' "$serve"
    (cd "$home" && exec bash -c "exec $serve" >"$WORK/gunicorn.log" 2>&1 </dev/null) &
    SERVER_PID=$!
    for _ in $(seq 1 60); do
        healthy && break
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "gunicorn exited" >&2; exit 1; }
        sleep 1
    done
    healthy || { echo "gunicorn did not answer within 60 s" >&2; exit 1; }

    step "[$label] crawl of the fresh installation"
    timeout 300 $SMOKE_PY crawl "http://127.0.0.1:$PORT" --label "$label, fresh" --budget 120 </dev/null

    if [ "$label" = postgresql ]; then
        step "[$label] scheduled jobs and worker (README: run_scheduled, db_worker)"
        run_block jobs 300

        step "[$label] backup (README: pg_dump, media)"
        (cd "$home" && run_block backup-postgresql 300 && run_block backup-media 120)
        ls -l "$home" | grep -E 'partnerportal-.*\.(dump|tar\.gz)' | sed 's/^/    /'

        if [ -f "$SHARED_DATA/gemeindeverzeichnis_destatis.csv" ] && [ -f "$SHARED_DATA/twin_cities.csv" ]; then
            step "[$label] import of the real reference data"
            t0=$SECONDS
            timeout 900 partnerportal import_municipalities "$SHARED_DATA/gemeindeverzeichnis_destatis.csv" </dev/null | tail -n 3
            timeout 900 partnerportal import_twinnings "$SHARED_DATA/twin_cities.csv" --report "$home/twinnings-report.csv" </dev/null | tail -n 3
            echo "    imported in $((SECONDS - t0)) s"

            step "[$label] crawl with the real data"
            timeout 300 $SMOKE_PY crawl "http://127.0.0.1:$PORT" --label "$label, real data" --budget 150 </dev/null
        else
            echo "No reference data in $SHARED_DATA: the real-data crawl is left out." >&2
            [ "${CI:-}" = true ] && { echo "CI=true: the reference data must be there." >&2; exit 1; }
        fi

        step "[$label] schemathesis against http://127.0.0.1:$PORT/api/v1/openapi.json"
        timeout 600 $SMOKE_PY fuzz "http://127.0.0.1:$PORT" --max-examples "$MAX_EXAMPLES" </dev/null
    else
        step "[$label] backup (README: SQLite)"
        (cd "$home" && run_block backup-sqlite 120)
        ls -l "$home" | grep -E 'partnerportal-.*\.sqlite3' | sed 's/^/    /'
    fi
    stop_server
}

for database in $DATABASES_TO_TEST; do
    case $database in
        sqlite)
            install_and_check sqlite "sqlite:///$WORK/sqlite/partnerportal.sqlite3"
            ;;
        postgresql)
            step "[postgresql] fresh database $PG_DATABASE"
            timeout 60 psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS \"$PG_DATABASE\" WITH (FORCE)" </dev/null
            timeout 60 psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE \"$PG_DATABASE\"" </dev/null
            PG_CREATED=1
            install_and_check postgresql "$PG_SERVER/$PG_DATABASE"
            drop_database
            ;;
        *) echo "Unknown database: $database (sqlite, postgresql)" >&2; exit 2 ;;
    esac
done
