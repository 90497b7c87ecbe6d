package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// shippedChecksums pins every migration that has shipped. Add a line for a new migration; never change
// one: databases in the field have already run it.
var shippedChecksums = map[string]string{
	"0001_settings.sql":        "985c796f4b80b453aa0266361477f3080c81030187695052864affc837e694d4",
	"0002_workspaces.sql":      "dd62c4e3b7646b0d2bc979c7721867430d6de106ff800709a4fc49c5dc0e1c80",
	"0003_deal_cache.sql":      "fc849f02485d1344eb26b8bf276d095fcfac1ed9a6b06364c63b5b576d822e7e",
	"0004_invoice_cache.sql":   "38e52d67eba1d3fd1cd591d3440115ec36457249908dbb095c75e3ffceff61e5",
	"0005_outbox.sql":          "4e0f54d30c1ec6ae851c01321f68f103f1e1bc1f3d7a2925ab05d5f4f8a0232a",
	"0006_invoice_figures.sql": "e8917aab3bbf97dc6947c0bc0c4677bf25f25209b8a38d137e8d993dbe74fed5",
	"0007_outbox_lease.sql":    "eec20a127bc84d81123ca22aa5e16cf274cb309ec02632446353e7007094236d",
	"0008_reference_cache.sql": "c5abc66f4c37a53e717cf8e49f0a18e27c37519dcca1bd9f1c280ba5ae9b30d6",
	"0009_invoice_reps.sql":    "5558369d681902946decd1f72f5a097fd1719dbca26e8c63c4f43b1edfe73345",
}

func TestShippedMigrationsAreNeverEdited(t *testing.T) {
	migrations, err := shippedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(migrations) != len(shippedChecksums) {
		t.Errorf("%d migrations embedded, %d pinned in shippedChecksums", len(migrations), len(shippedChecksums))
	}
	for _, m := range migrations {
		sum := sha256.Sum256([]byte(m.sql))
		if got, want := hex.EncodeToString(sum[:]), shippedChecksums[m.name]; got != want {
			t.Errorf("%s has checksum %s, pinned %q", m.name, got, want)
		}
	}
}

func TestLoadMigrations(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		want    []string // names in order
		wantErr string
	}{
		{"in order", fstest.MapFS{
			"0002_b.sql": file("B"), "0001_a.sql": file("A"), "README.md": file("not a migration"),
		}, []string{"0001_a.sql", "0002_b.sql"}, ""},
		{"gap", fstest.MapFS{"0001_a.sql": file("A"), "0003_c.sql": file("C")}, nil, "expected number 0002"},
		{"duplicate number", fstest.MapFS{"0001_a.sql": file("A"), "0001_b.sql": file("B")}, nil, "expected number 0002"},
		{"bad name", fstest.MapFS{"1_a.sql": file("A")}, nil, "must look like"},
		{"none", fstest.MapFS{}, nil, "no migrations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadMigrations(tt.fsys)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for i, m := range got {
				names = append(names, m.name)
				if m.version != i+1 {
					t.Errorf("%s has version %d, want %d", m.name, m.version, i+1)
				}
			}
			if strings.Join(names, ",") != strings.Join(tt.want, ",") {
				t.Errorf("names = %v, want %v", names, tt.want)
			}
		})
	}
}

func TestMigrateAppliesEachInItsOwnTransaction(t *testing.T) {
	ctx := context.Background()
	migrations, err := loadMigrations(fstest.MapFS{
		"0001_a.sql": {Data: []byte("CREATE TABLE a (x);")},
		"0002_b.sql": {Data: []byte("CREATE TABLE b (x); INSERT INTO a VALUES (1);")},
		"0003_c.sql": {Data: []byte("CREATE TABLE c (x); INSERT INTO no_such_table VALUES (1);")},
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", fileDSN(filepath.Join(t.TempDir(), "m.db"), writeQuery(busyTimeout)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	err = migrate(ctx, db, migrations)
	if err == nil || !strings.Contains(err.Error(), "0003_c.sql") {
		t.Fatalf("migrate = %v, want a failure naming 0003_c.sql", err)
	}
	if v, _ := schemaVersion(ctx, db); v != 2 {
		t.Errorf("version after failed 0003 = %d, want 2", v)
	}
	var tables []string
	rows, err := db.Query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if got := strings.Join(tables, ","); got != "a,b" {
		t.Errorf("tables = %s, want a,b (0003 rolled back as a whole)", got)
	}

	// Run again with the fixed migration set: only the missing one is applied.
	migrations[2].sql = "CREATE TABLE c (x);"
	if err := migrate(ctx, db, migrations); err != nil {
		t.Fatal(err)
	}
	var rowsInA int
	if err := db.QueryRow("SELECT count(*) FROM a").Scan(&rowsInA); err != nil {
		t.Fatal(err)
	}
	if v, _ := schemaVersion(ctx, db); v != 3 || rowsInA != 1 {
		t.Errorf("after rerun: version %d, %d rows in a; want 3 and 1 (0002 not applied twice)", v, rowsInA)
	}
}

// TestOpenUpgradesASettingsOnlyDatabase opens a database as the first version of the app left it (only
// 0001 applied, settings written) and checks that Open adds the invoicing tables and keeps the settings.
func TestOpenUpgradesASettingsOnlyDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	db := databaseAtVersion(t, path, 1)
	if _, err := db.Exec("INSERT INTO settings (key, value) VALUES ('language', 'nl')"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s := openStore(t, path)
	defer s.Close()
	if got, want := pragma(t, s, "user_version"), latestVersion(t); got != strconv.Itoa(want) {
		t.Errorf("user_version after upgrade = %s, want %d", got, want)
	}
	if v, ok, err := s.Setting(ctx, "language"); err != nil || !ok || v != "nl" {
		t.Errorf("Setting(language) after upgrade = %q, %v, %v; want \"nl\"", v, ok, err)
	}
	r := repository(t, s, "pd-1", "qb-1")
	e, err := r.Enqueue(ctx, queuedEntry(1, "dbk-c", "dbk-i"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.OutboxEntry(ctx, e.ID); err != nil || got.InvoiceRequestID != "dbk-i" {
		t.Errorf("OutboxEntry after upgrade = %+v, %v", got, err)
	}
}

// TestUpgradeKeepsCachedInvoicesAndAddsTheirFigures opens a database with an invoice cached by version 5
// (before the tax, discount, deposit, home total and exchange rate were kept): the invoice survives the
// upgrade with those figures zero, and an invoice saved afterwards keeps them.
func TestUpgradeKeepsCachedInvoicesAndAddsTheirFigures(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	db := databaseAtVersion(t, path, 5)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, path)
	r := repository(t, s, "pd-1", "qb-1")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Write the row as version 5 knew it, into the workspace the repository made.
	db, err := sql.Open("sqlite", fileDSN(path, writeQuery(busyTimeout)))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("PRAGMA user_version = 5"); err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"tax", "discount", "deposit", "home_total", "exchange_rate",
		"created_by", "changed_action", "changed_by"} { // the last three added by version 9
		if _, err := db.Exec("ALTER TABLE invoices DROP COLUMN " + col); err != nil {
			t.Fatal(err)
		}
	}
	for _, col := range []string{"lease_owner", "lease_until"} { // added by version 7
		if _, err := db.Exec("ALTER TABLE outbox DROP COLUMN " + col); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("DROP TABLE reference_cache"); err != nil { // added by version 8
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO invoices (workspace_id, id, deal_id, sync_token, doc_number, customer_id,
		customer_name, currency, issue_date, due_date, total, balance, private_note, email_status, bill_email, deleted,
		updated_at, status_state, status_overdue, status_sent, note_id, fetched_at)
		VALUES (?, '130', 7, '0', '1037', '3', 'Amy', 'USD', '2026-11-01', '', '362.07', '362.07', '', 'NotSet', '', 0,
		'2026-11-01T10:00:00Z', 'open', 0, 0, 0, '2026-11-01T11:00:00Z')`, r.workspaceID); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, path)
	defer s.Close()
	if got, want := pragma(t, s, "user_version"), latestVersion(t); got != strconv.Itoa(want) {
		t.Errorf("user_version after upgrade = %s, want %d", got, want)
	}
	r = repository(t, s, "pd-1", "qb-1")
	old, err := r.Invoice(ctx, "130")
	if err != nil {
		t.Fatal(err)
	}
	if !old.Invoice.Total.Equal(testkit.Dec("362.07")) || !old.Invoice.Tax.IsZero() || !old.Invoice.Deposit.IsZero() {
		t.Errorf("invoice cached before the upgrade = %+v", old.Invoice)
	}
	if old.CreatedBy != "" || old.LastChange != (invoicing.Change{}) {
		t.Errorf("invoice cached before the upgrade names reps: %q, %+v", old.CreatedBy, old.LastChange)
	}
	old.Invoice.Tax, old.Invoice.Deposit = testkit.Dec("26.82"), testkit.Dec("12")
	old.CreatedBy, old.LastChange = "Ann Lee", invoicing.Change{Action: invoicing.ChangeVoided, By: "Bo Berg"}
	if err := r.UpsertInvoices(ctx, []invoicing.CachedInvoice{old}); err != nil {
		t.Fatal(err)
	}
	got, err := r.Invoice(ctx, "130")
	if err != nil || !got.Invoice.Tax.Equal(testkit.Dec("26.82")) || !got.Invoice.Deposit.Equal(testkit.Dec("12")) {
		t.Errorf("invoice after saving its figures = %+v, %v", got.Invoice, err)
	}
	if got.CreatedBy != "Ann Lee" || got.LastChange != (invoicing.Change{Action: invoicing.ChangeVoided, By: "Bo Berg"}) {
		t.Errorf("invoice after saving who did what names %q, %+v", got.CreatedBy, got.LastChange)
	}
}

// Two processes starting on a database that needs migrating (the window and a command launched together)
// both open it: the one that waits for the other's migration finds it applied instead of failing. Each
// round is a fresh file opened by two separate *sql.DB at once, as two processes would.
func TestConcurrentOpensOfAFreshDatabaseBothSucceed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for round := range 30 {
		path := filepath.Join(dir, "round"+strconv.Itoa(round)+".db")
		start := make(chan struct{})
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				<-start
				s, err := Open(ctx, path)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		close(start)
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: Open = %v, want both opens to succeed", round, err)
			}
		}
		s := openStore(t, path)
		if got, want := pragma(t, s, "user_version"), latestVersion(t); got != strconv.Itoa(want) {
			t.Errorf("round %d: user_version = %s, want %d", round, got, want)
		}
		s.Close()
	}
}

// databaseAtVersion creates the database at path as a Dealbooks that shipped only the first n migrations
// left it, and returns it open on one connection.
func databaseAtVersion(t *testing.T, path string, n int) *sql.DB {
	t.Helper()
	migrations, err := shippedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := createEmpty(path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", fileDSN(path, writeQuery(busyTimeout)))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if err := migrate(context.Background(), db, migrations[:n]); err != nil {
		t.Fatal(err)
	}
	return db
}
