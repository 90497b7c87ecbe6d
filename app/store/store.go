// Package store keeps the app's data in one SQLite database: migrations, settings and each account pair's invoicing data.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// busyTimeout is how long a statement waits for another connection's lock before failing.
const busyTimeout = 5 * time.Second

// sqliteHeader is how every SQLite database file begins.
var sqliteHeader = []byte("SQLite format 3\x00")

// Store is the app's database. It has one connection, so there is exactly one writer; methods are safe
// for concurrent use and wait for each other. (For whoever adds methods: inside a transaction, use only
// the transaction — a query on s.db would wait forever for the connection the transaction holds.)
type Store struct {
	db *sql.DB
}

// Open opens the database at path, creating it (and its folder) if it does not exist, and brings its
// schema up to date.
//
// An existing file is checked read-only first. If it is not a SQLite database, fails SQLite's
// quick_check, or was written by a newer version of the app, Open returns an *OpenError and the file
// is left exactly as it was. Every other failure to open the file is an *OpenError too, so the caller
// can show the file and what to do, and start nothing that writes to it; only a cancelled ctx is
// returned as the context's error.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, busyTimeout)
}

func open(ctx context.Context, path string, busy time.Duration) (*Store, error) {
	migrations, err := shippedMigrations()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	latest := migrations[len(migrations)-1].version
	if err := prepare(ctx, path, busy, latest); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", fileDSN(path, writeQuery(busy)))
	if err != nil {
		return nil, openError(ctx, path, err, ReasonUnavailable)
	}
	db.SetMaxOpenConns(1)
	if err := migrateWhenFree(ctx, db, migrations, busy); err != nil {
		db.Close()
		return nil, openError(ctx, path, err, ReasonMigrationFailed)
	}
	return &Store{db: db}, nil
}

// migrateWhenFree migrates, trying again for up to busy while another process holds the file. SQLite
// answers some of the waits of a fresh file (such as the switch to WAL while another connection is
// creating it) with SQLITE_BUSY at once rather than through its busy timeout. Migrating twice is safe:
// each migration re-reads the version inside its own transaction.
func migrateWhenFree(ctx context.Context, db *sql.DB, migrations []migration, busy time.Duration) error {
	deadline := time.Now().Add(busy)
	wait := time.Millisecond
	for {
		err := migrate(ctx, db, migrations)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's "the file is locked by another connection".
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Close closes the database. SQLite checkpoints the write-ahead log and removes it when the last
// connection closes.
func (s *Store) Close() error {
	return s.db.Close()
}

// prepare makes sure path is either a new, empty file or a database this version of the app can use,
// without writing to an existing file.
func prepare(ctx context.Context, path string, busy time.Duration, latest int) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return createEmpty(path)
	case err != nil:
		return &OpenError{Path: path, Reason: ReasonUnavailable, Err: err}
	case info.IsDir():
		return &OpenError{Path: path, Reason: ReasonUnavailable, Err: errors.New("the path is a folder")}
	case info.Size() == 0:
		return nil // SQLite treats an empty file as an empty database
	}
	if err := checkHeader(path); err != nil {
		return err
	}
	return checkDatabase(ctx, path, busy, latest)
}

// createEmpty creates the database file so it is private to the user; SQLite gives its -wal and -shm
// files the same permissions. A file that appeared since the caller looked was created by another
// process opening the same database, and is used as it is.
func createEmpty(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return &OpenError{Path: path, Reason: ReasonUnavailable, Err: err}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil // another process created it a moment ago; SQLite waits for its lock
	}
	if err != nil {
		return &OpenError{Path: path, Reason: ReasonUnavailable, Err: err}
	}
	if err := f.Close(); err != nil {
		return &OpenError{Path: path, Reason: ReasonUnavailable, Err: err}
	}
	return nil
}

func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return &OpenError{Path: path, Reason: ReasonUnavailable, Err: err}
	}
	defer f.Close()
	header := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, header)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || (err == nil && !bytes.Equal(header, sqliteHeader)):
		return &OpenError{Path: path, Reason: ReasonCorrupt, Err: errors.New("the file is not a SQLite database")}
	case err != nil:
		return &OpenError{Path: path, Reason: ReasonUnavailable, Err: err}
	}
	return nil
}

// checkDatabase runs quick_check and reads the schema version on a read-only connection.
func checkDatabase(ctx context.Context, path string, busy time.Duration, latest int) error {
	db, err := sql.Open("sqlite", fileDSN(path, readQuery(path, busy)))
	if err != nil {
		return openError(ctx, path, err, ReasonUnavailable)
	}
	defer db.Close()

	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&result); err != nil {
		return openError(ctx, path, err, ReasonUnavailable)
	}
	if result != "ok" {
		return &OpenError{Path: path, Reason: ReasonCorrupt, Err: fmt.Errorf("quick_check: %s", result)}
	}
	version, err := schemaVersion(ctx, db)
	if err != nil {
		return openError(ctx, path, err, ReasonUnavailable)
	}
	if version > latest {
		return &OpenError{Path: path, Reason: ReasonNewerSchema,
			Err: fmt.Errorf("schema version %d, this version of the app knows up to %d", version, latest)}
	}
	return nil
}

// writeQuery sets the pragmas on every connection SQLite opens: busy_timeout first, so the switch to WAL
// can wait for a lock. Transactions begin IMMEDIATE so a writer takes its lock up front and waits for it
// instead of failing half-way.
func writeQuery(busy time.Duration) string {
	return "_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")" +
		"&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// readQuery opens the file read-only. When no -wal, -shm or -journal file is beside it, no other
// connection has it open and nothing needs recovering, so it is opened immutable: SQLite then creates
// no -wal or -shm file either, and a refused file is left exactly as found. Otherwise a plain read-only
// connection honours other connections' locks and the unfinished log.
func readQuery(path string, busy time.Duration) string {
	query := "mode=ro&_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")"
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Lstat(path + suffix); err == nil {
			return query
		}
	}
	return query + "&immutable=1"
}

// fileDSN turns a file path into the URI form SQLite expects, so characters such as '?' or '#' in the
// path are not read as the start of the query.
func fileDSN(path, query string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" {
		p = "/" + p // file:///C:/Users/…
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: query}
	return u.String()
}

// openError classifies err by its SQLite result code; fallback is the reason for everything else.
// A cancelled context is the caller's decision, not a problem with the file, so it is returned as is.
func openError(ctx context.Context, path string, err error, fallback Reason) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("open %s: %w", path, ctxErr)
	}
	reason := fallback
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			reason = ReasonLocked
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			reason = ReasonCorrupt
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL:
			reason = ReasonUnavailable
		}
	}
	return &OpenError{Path: path, Reason: reason, Err: err}
}
