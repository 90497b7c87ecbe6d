package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// The schema version is kept in PRAGMA user_version rather than in a migrations table: it lives in the
// file header, so a read-only check can refuse a newer database without the table having to exist, and
// setting it inside a migration's transaction commits or rolls back together with that migration.

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// migration is one SQL file from the migrations folder. Shipped migrations are never edited; a change to
// the schema is a new file with the next number.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads NNNN_description.sql files from the root of fsys. Their numbers must run 1, 2, 3…
// without gaps, so the recorded version always says exactly which files have been applied.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	migrations := make([]migration, 0, len(names))
	for i, name := range names { // fs.Glob returns names sorted
		prefix, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || len(prefix) != 4 {
			return nil, fmt.Errorf("migration %q: name must look like 0001_description.sql", name)
		}
		if version != i+1 {
			return nil, fmt.Errorf("migration %q: expected number %04d", name, i+1)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		migrations = append(migrations, migration{version: version, name: name, sql: string(text)})
	}
	if len(migrations) == 0 {
		return nil, fmt.Errorf("no migrations found")
	}
	return migrations, nil
}

func shippedMigrations() ([]migration, error) {
	sub, err := fs.Sub(embeddedMigrations, "migrations")
	if err != nil {
		return nil, err
	}
	return loadMigrations(sub)
}

// migrate applies the migrations newer than the database's recorded version, in order, each in its own
// transaction together with the new version number. Another process may be migrating the same file at the
// same time (the window and a command started together): each transaction begins IMMEDIATE (see
// writeQuery), so it holds the write lock before it reads the version, and a migration the other process
// has applied meanwhile is skipped rather than run twice.
func migrate(ctx context.Context, db *sql.DB, migrations []migration) error {
	current, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// apply runs m in one transaction unless the version read inside that transaction says it is applied.
func apply(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	var current int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if current >= m.version {
		return nil // another process applied it while this one waited for the lock
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	// PRAGMA takes no bound parameters; the version is an integer we produced.
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
