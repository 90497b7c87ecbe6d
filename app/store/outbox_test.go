package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dealbooks/app/invoicing"
)

func queuedEntry(dealID int64, customerRequestID, invoiceRequestID string) invoicing.OutboxEntry {
	return invoicing.OutboxEntry{
		DealID: dealID, Draft: sampleDraft(dealID), State: invoicing.OutboxQueued,
		CustomerRequestID: customerRequestID, InvoiceRequestID: invoiceRequestID,
		CreatedAt: at(9, 0), UpdatedAt: at(9, 0),
	}
}

func outboxIDs(entries []invoicing.OutboxEntry) []int64 {
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids
}

func TestEnqueueStoresTheWholeEntry(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	in := queuedEntry(42, "dbk-c1", "dbk-i1")
	in.CreatedAt = time.Date(2026, 11, 27, 15, 4, 5, 6, time.FixedZone("CET", 3600))
	in.UpdatedAt = in.CreatedAt.Add(time.Second)
	in.LastError = "cannot reach the service"

	e, err := r.Enqueue(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID == 0 {
		t.Error("Enqueue returned no ID")
	}
	got, err := r.OutboxEntry(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(in.CreatedAt) || !got.UpdatedAt.Equal(in.UpdatedAt) {
		t.Errorf("stored times %v, %v; want the instants %v, %v", got.CreatedAt, got.UpdatedAt, in.CreatedAt, in.UpdatedAt)
	}
	want := e
	want.CreatedAt, want.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	same(t, "OutboxEntry", got, want)

	second, err := r.Enqueue(ctx, queuedEntry(43, "dbk-c2", "dbk-i2"))
	if err != nil {
		t.Fatal(err)
	}
	if second.ID <= e.ID {
		t.Errorf("second entry has ID %d, want more than %d", second.ID, e.ID)
	}
}

func TestEnqueueRefuses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		entry invoicing.OutboxEntry
	}{
		{"no customer request id", queuedEntry(1, "", "dbk-i")},
		{"no invoice request id", queuedEntry(1, "dbk-c", "")},
		{"customer request id already used", queuedEntry(1, "dbk-c0", "dbk-i")},
		{"invoice request id already used", queuedEntry(1, "dbk-c", "dbk-i0")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newRepo(t)
			first, err := r.Enqueue(ctx, queuedEntry(9, "dbk-c0", "dbk-i0"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Enqueue(ctx, tt.entry); err == nil {
				t.Fatal("Enqueue succeeded, want a refusal")
			}
			pending, err := r.PendingOutbox(ctx)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "PendingOutbox after the refusal", pending, []invoicing.OutboxEntry{first})
		})
	}
}

// TestFailedEnqueueLeavesNothing makes the database fail in the middle of storing an entry (a trigger
// that runs after the row is written, as a full disk might), and checks that no part of it is kept.
func TestFailedEnqueueLeavesNothing(t *testing.T) {
	ctx := context.Background()
	r, path := newRepo(t)
	rawExec(t, path, `CREATE TRIGGER fail_after_insert AFTER INSERT ON outbox
		BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
	if _, err := r.Enqueue(ctx, queuedEntry(1, "dbk-c1", "dbk-i1")); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Enqueue err = %v, want the injected failure", err)
	}
	var rows int
	if err := r.db.QueryRowContext(ctx, "SELECT count(*) FROM outbox").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("%d outbox rows after the failed enqueue, want 0", rows)
	}

	// Once the database works again the same entry, with the same request ids, can be stored.
	rawExec(t, path, "DROP TRIGGER fail_after_insert")
	e, err := r.Enqueue(ctx, queuedEntry(1, "dbk-c1", "dbk-i1"))
	if err != nil {
		t.Fatal(err)
	}
	if pending, err := r.PendingOutbox(ctx); err != nil || !slices.Equal(outboxIDs(pending), []int64{e.ID}) {
		t.Errorf("PendingOutbox = %v, %v; want only entry %d", outboxIDs(pending), err, e.ID)
	}
}

func TestUpdateOutbox(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	e, err := r.Enqueue(ctx, queuedEntry(42, "dbk-c1", "dbk-i1"))
	if err != nil {
		t.Fatal(err)
	}
	e.State = invoicing.OutboxSent
	e.CustomerRequestID = "dbk-c1-retry"
	e.CustomerID, e.InvoiceID, e.NoteID = "58", "130", 900
	e.Draft.Memo = "edited"
	e.UpdatedAt = at(9, 5)
	e.LastError = "cannot reach the service"
	if err := r.UpdateOutbox(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, err := r.OutboxEntry(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "OutboxEntry after update", got, e)

	missing := e
	missing.ID = e.ID + 100
	if err := r.UpdateOutbox(ctx, missing); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("UpdateOutbox(missing) err = %v, want ErrNotFound", err)
	}
	if _, err := r.OutboxEntry(ctx, missing.ID); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("OutboxEntry(missing) err = %v, want ErrNotFound", err)
	}
}

func TestPendingOutboxKeepsUnfinishedEntriesOldestFirst(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	states := []invoicing.OutboxState{
		invoicing.OutboxSent, invoicing.OutboxDone, invoicing.OutboxQueued, invoicing.OutboxFailed, invoicing.OutboxCustomerDone,
	}
	var want []int64
	for i, st := range states {
		e, err := r.Enqueue(ctx, queuedEntry(int64(i), "c"+string(st), "i"+string(st)))
		if err != nil {
			t.Fatal(err)
		}
		e.State = st
		if err := r.UpdateOutbox(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.Pending() {
			want = append(want, e.ID)
		}
	}
	pending, err := r.PendingOutbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := outboxIDs(pending); !slices.Equal(got, want) {
		t.Errorf("PendingOutbox = %v, want %v (sent, queued, customer-done in the order queued)", got, want)
	}
}

// TestOutboxSurvivesRestartAndCrash stores entries, then reads them back after a clean Close and
// reopen, and from a copy of the files taken while the database was open (a crash: the writes are
// still only in the -wal file). Either way PendingOutbox returns exactly what was stored.
func TestOutboxSurvivesRestartAndCrash(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	s := openStore(t, path)
	r := repository(t, s, "pd-1", "qb-1")
	queued, err := r.Enqueue(ctx, queuedEntry(42, "dbk-3f9c1b2e-customer", "dbk-3f9c1b2e-invoice"))
	if err != nil {
		t.Fatal(err)
	}
	sent, err := r.Enqueue(ctx, queuedEntry(43, "dbk-77a0-customer", "dbk-77a0-invoice"))
	if err != nil {
		t.Fatal(err)
	}
	sent.State, sent.CustomerID, sent.InvoiceID, sent.UpdatedAt = invoicing.OutboxSent, "58", "130", at(9, 1)
	if err := r.UpdateOutbox(ctx, sent); err != nil {
		t.Fatal(err)
	}
	want := []invoicing.OutboxEntry{queued, sent}

	crashed := filepath.Join(t.TempDir(), "dealbooks.db")
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, crashed+suffix, data)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for name, p := range map[string]string{"after Close and reopen": path, "after a crash": crashed} {
		t.Run(name, func(t *testing.T) {
			s := openStore(t, p)
			defer s.Close()
			pending, err := repository(t, s, "pd-1", "qb-1").PendingOutbox(ctx)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "PendingOutbox", pending, want)
		})
	}
}

func TestConcurrentEnqueuesGetTheirOwnEntries(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	const n = 16
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e, err := r.Enqueue(ctx, queuedEntry(int64(i), fmt.Sprintf("c-%d", i), fmt.Sprintf("i-%d", i)))
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = e.ID
		})
	}
	wg.Wait()
	pending, err := r.PendingOutbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != n {
		t.Fatalf("%d pending entries, want %d", len(pending), n)
	}
	for _, e := range pending {
		i := e.DealID
		if e.ID != ids[i] || e.InvoiceRequestID != fmt.Sprintf("i-%d", i) {
			t.Errorf("entry %d: deal %d, invoice request id %q; want the entry Enqueue returned for deal %d", e.ID, i, e.InvoiceRequestID, i)
		}
	}
}

// The lease keeps a second process off an entry until its holder releases it or its time runs out, and
// two processes (two connections to the file) claiming at once get it exactly once.
func TestClaimOutbox(t *testing.T) {
	ctx := context.Background()
	r, path := newRepo(t)
	e, err := r.Enqueue(ctx, queuedEntry(1, "dbk-c", "dbk-i"))
	if err != nil {
		t.Fatal(err)
	}
	now := at(9, 0)
	steps := []struct {
		name    string
		claim   bool // else release
		owner   string
		now     time.Time
		wantGot bool
	}{
		{"a free entry", true, "window", now, true},
		{"held by another", true, "command", now.Add(59 * time.Second), false},
		{"the holder extends it", true, "window", now.Add(30 * time.Second), true},
		{"still held after the first lease's time", true, "command", now.Add(61 * time.Second), false},
		{"run out: taken over", true, "command", now.Add(91 * time.Second), true},
		{"the old holder's release changes nothing", false, "window", now, false},
		{"held by the new holder", true, "window", now.Add(92 * time.Second), false},
		{"released", false, "command", now, false},
		{"free again at once", true, "window", now.Add(93 * time.Second), true},
	}
	for _, s := range steps {
		if !s.claim {
			if err := r.ReleaseOutbox(ctx, e.ID, s.owner); err != nil {
				t.Fatalf("%s: ReleaseOutbox = %v", s.name, err)
			}
			continue
		}
		got, err := r.ClaimOutbox(ctx, e.ID, s.owner, s.now, s.now.Add(time.Minute))
		if err != nil || got != s.wantGot {
			t.Errorf("%s: ClaimOutbox(%s) = %v, %v; want %v", s.name, s.owner, got, err, s.wantGot)
		}
	}
	if _, err := r.ClaimOutbox(ctx, e.ID+1, "window", now, now.Add(time.Minute)); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("claiming a missing entry = %v, want ErrNotFound", err)
	}

	s2 := openStore(t, path) // a second connection, as another process has
	t.Cleanup(func() { s2.Close() })
	// Another pair's repository does not see the entry.
	if _, err := repository(t, s2, "pd-2", "qb-2").ClaimOutbox(ctx, e.ID, "x", now, now); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("another workspace claiming the entry = %v, want ErrNotFound", err)
	}

	// Two processes race for a fresh entry.
	second, err := r.Enqueue(ctx, queuedEntry(2, "dbk-c2", "dbk-i2"))
	if err != nil {
		t.Fatal(err)
	}
	other := repository(t, s2, "pd-1", "qb-1")
	start := make(chan struct{})
	won := make(chan bool, 2)
	for i, repo := range []*Repository{r, other} {
		go func() {
			<-start
			ok, err := repo.ClaimOutbox(ctx, second.ID, fmt.Sprint("process ", i), now, now.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			won <- ok
		}()
	}
	close(start)
	if a, b := <-won, <-won; a == b {
		t.Errorf("racing claims got %v and %v; want exactly one", a, b)
	}
}
