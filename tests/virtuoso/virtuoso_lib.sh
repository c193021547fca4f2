# virtuoso_lib.sh — start and stop a private Virtuoso 7 instance (tests, benchmarks).
#
#   source virtuoso_lib.sh
#   virt_start DIR        # private database in DIR, loopback ports chosen free;
#                         # sets VIRT_PID VIRT_SQL_PORT VIRT_HTTP_PORT VIRT_URL
#   virt_isql 'SQL;'      # run SQL as dba on that instance
#   virt_stop             # always call (e.g. from a trap)
# The SPARQL role may update (GRANT SPARQL_UPDATE TO "SPARQL"), so
# $VIRT_URL takes SPARQL 1.1 Update without authentication. DirsAllowed
# includes DIR, so DIR's files can be bulk-loaded with ld_dir.

virt_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

virt_isql() {
    isql-vt "127.0.0.1:$VIRT_SQL_PORT" dba dba exec="$1" 2>&1
}

virt_start() {
    local dir=$1
    mkdir -p "$dir"
    VIRT_DIR=$(cd "$dir" && pwd)
    VIRT_SQL_PORT=$(virt_free_port)
    VIRT_HTTP_PORT=$(virt_free_port)
    while [ "$VIRT_HTTP_PORT" = "$VIRT_SQL_PORT" ]; do VIRT_HTTP_PORT=$(virt_free_port); done
    VIRT_URL="http://127.0.0.1:$VIRT_HTTP_PORT/sparql"
    local vsp=/var/lib/virtuoso-opensource-7/vsp
    [ -d "$vsp" ] || vsp=$VIRT_DIR
    cat > "$VIRT_DIR/virtuoso.ini" <<INI
[Database]
DatabaseFile       = $VIRT_DIR/virtuoso.db
ErrorLogFile       = $VIRT_DIR/virtuoso.log
LockFile           = $VIRT_DIR/virtuoso.lck
TransactionFile    = $VIRT_DIR/virtuoso.trx
xa_persistent_file = $VIRT_DIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = $VIRT_DIR/virtuoso-temp.db
TransactionFile    = $VIRT_DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0
[Parameters]
ServerPort               = 127.0.0.1:$VIRT_SQL_PORT
DisableUnixSocket        = 1
MaxClientConnections     = 10
CheckpointInterval       = 0
CaseMode                 = 2
DirsAllowed              = ., $VIRT_DIR, /tmp
NumberOfBuffers          = ${VIRT_BUFFERS:-170000}
MaxDirtyBuffers          = ${VIRT_DIRTY:-130000}
ThreadsPerQuery          = 2
MaxQueryMem              = 1G
[HTTPServer]
ServerPort                  = 127.0.0.1:$VIRT_HTTP_PORT
ServerRoot                  = $vsp
MaxClientConnections        = 10
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
Charset                     = UTF-8
EnabledGzipContent          = 0
[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
INI
    ( cd "$VIRT_DIR" && exec virtuoso-t +configfile "$VIRT_DIR/virtuoso.ini" +foreground >"$VIRT_DIR/stdout.log" 2>&1 ) &
    VIRT_PID=$!
    local i
    for i in $(seq 1 300); do
        if ! kill -0 "$VIRT_PID" 2>/dev/null; then
            echo "virtuoso exited at start: $(tail -5 "$VIRT_DIR/virtuoso.log" 2>/dev/null)" >&2
            VIRT_PID=; return 1
        fi
        if curl -s -o /dev/null "http://127.0.0.1:$VIRT_HTTP_PORT/sparql?query=ASK%7B%7D" 2>/dev/null &&
           virt_isql 'status();' >/dev/null 2>&1; then
            virt_isql 'GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null
            virt_isql "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null
            return 0
        fi
        sleep 0.2
    done
    echo "virtuoso did not answer within 60 s" >&2
    return 1
}

virt_stop() {
    [ -n "${VIRT_PID:-}" ] || return 0
    virt_isql 'shutdown();' >/dev/null 2>&1 &
    local i
    for i in $(seq 1 50); do kill -0 "$VIRT_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$VIRT_PID" 2>/dev/null && kill "$VIRT_PID" 2>/dev/null
    for i in $(seq 1 25); do kill -0 "$VIRT_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$VIRT_PID" 2>/dev/null && kill -9 "$VIRT_PID" 2>/dev/null
    wait "$VIRT_PID" 2>/dev/null
    VIRT_PID=
}
