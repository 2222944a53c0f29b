// Package pgtest gives tests a real PostgreSQL database: the server named
// by KROSGEN_TEST_DATABASE_URL, or else a throwaway cluster started from
// the installed binaries (initdb and pg_ctl) in a temporary directory and
// stopped when the tests end. Tests are skipped only where PostgreSQL is
// not installed, and fail instead when CI=true.
package pgtest

import (
	"context"
	"fmt"
	"net"
	neturl "net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvURL names the variable that points the tests at an existing server.
// Its role must be allowed to create databases.
const EnvURL = "KROSGEN_TEST_DATABASE_URL"

var (
	startOnce sync.Once
	serverURL string // a URL of the maintenance database
	startErr  error
	skipWhy   string
	stop      func()
	databases atomic.Int64
)

// Main runs the tests of a package and stops the cluster it started, if
// any. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// Pool returns a connection pool to a new, empty database, dropped when
// the test ends.
func Pool(t testing.TB, maxConns int) *pgxpool.Pool {
	t.Helper()
	startOnce.Do(start)
	switch {
	case skipWhy != "" && os.Getenv("CI") == "true":
		t.Fatalf("PostgreSQL is required in CI: %s", skipWhy)
	case skipWhy != "":
		t.Skipf("PostgreSQL not available: %s (set %s or install PostgreSQL)", skipWhy, EnvURL)
	case startErr != nil:
		t.Fatalf("starting PostgreSQL: %v", startErr)
	}
	ctx := context.Background()
	name := fmt.Sprintf("krosgen_test_%d_%d", os.Getpid(), databases.Add(1))
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgxpool.ParseConfig(serverURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Database = name
	cfg.MaxConns = int32(maxConns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Close()
		admin, err := pgx.Connect(context.Background(), serverURL)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close(context.Background())
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	return pool
}

// start finds or starts the server.
func start() {
	if u := os.Getenv(EnvURL); u != "" {
		serverURL = u
		return
	}
	bin, err := binDir()
	if err != nil {
		skipWhy = err.Error()
		return
	}
	serverURL, stop, startErr = startCluster(bin)
}

// binDir finds the directory of initdb and pg_ctl: on PATH, or where the
// Debian and Ubuntu packages put them.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("no initdb on PATH or in /usr/lib/postgresql/*/bin")
}

// version is the major version in a /usr/lib/postgresql/N/bin path.
func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// startCluster runs initdb and pg_ctl start in a new temporary directory,
// tuned for tests (no fsync: the data is thrown away). PostgreSQL refuses
// to run as root, so as root the cluster belongs to the "postgres" user.
func startCluster(bin string) (url string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "krosgen-pg-")
	if err != nil {
		return "", nil, err
	}
	run := func(args ...string) *exec.Cmd { return exec.Command(args[0], args[1:]...) }
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, fmt.Errorf("running as root and there is no postgres user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", nil, err
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			return "", nil, fmt.Errorf("running as root without runuser: %v", err)
		}
		run = func(args ...string) *exec.Cmd {
			return exec.Command(runuser, append([]string{"-u", "postgres", "--"}, args...)...)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	opts := strings.Join([]string{
		"-p", strconv.Itoa(port), "-k", dir, "-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=300", "-c", "shared_buffers=128MB",
	}, " ")
	logFile := filepath.Join(dir, "server.log")
	if out, err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-o", opts, "-l", logFile, "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(logFile)
		return "", nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	stop = func() {
		_ = run(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop").Run()
		_ = os.RemoveAll(dir)
	}
	url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, url)
		if err == nil {
			conn.Close(ctx)
			return url, stop, nil
		}
		if ctx.Err() != nil {
			stop()
			return "", nil, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// URL returns a connection string for the database of pool, for code that
// connects by itself (an example's main, say).
func URL(pool *pgxpool.Pool) string {
	c := pool.Config().ConnConfig
	u := &neturl.URL{Scheme: "postgres", User: neturl.User(c.User), Host: net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port))), Path: "/" + c.Database, RawQuery: "sslmode=disable"}
	if c.Password != "" {
		u.User = neturl.UserPassword(c.User, c.Password)
	}
	return u.String()
}
