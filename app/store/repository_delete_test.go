package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// fillRepository writes a row of every kind to r, with an outbox entry in state.
func fillRepository(t *testing.T, r *Repository, state invoicing.OutboxState) {
	t.Helper()
	ctx := context.Background()
	party := invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 1}
	mustDo(t,
		r.SavePreferences(ctx, invoicing.DefaultPreferences()),
		r.SaveCompany(ctx, invoicing.Company{RealmID: "qb"}),
		r.SaveSyncState(ctx, invoicing.SyncState{DealsSyncedAt: at(9, 0)}),
		r.SaveCustomerLink(ctx, invoicing.CustomerLink{Party: party, Currency: "EUR", CustomerID: "58"}),
		r.SaveItemLink(ctx, 3, "item-3"),
		r.UpsertDeals(ctx, []invoicing.Deal{{ID: 5, Title: "Acme renewal", Status: invoicing.DealOpen, Value: testkit.Dec("10")}}),
		r.UpsertInvoices(ctx, []invoicing.CachedInvoice{{Invoice: invoicing.Invoice{ID: "130"}, DealID: 5}}),
		r.SaveDraft(ctx, invoicing.Draft{DealID: 5}),
		r.SaveReference(ctx, "quickbooks.items", []byte(`[{"ID":"1","Name":"Services"}]`), at(9, 0)),
	)
	e, err := r.Enqueue(ctx, queuedEntry(5, "c-1", "i-1"))
	if err != nil {
		t.Fatal(err)
	}
	e.State = state
	mustDo(t, r.UpdateOutbox(ctx, e))
}

// rowCounts counts the rows of workspace id in every table that has a workspace_id column, so a
// table added later is counted without being named here.
func rowCounts(t *testing.T, s *Store, id int64) map[string]int {
	t.Helper()
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, `SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND c.name = 'workspace_id' ORDER BY m.name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, table := range append(tables, "workspaces") {
		column := "workspace_id"
		if table == "workspaces" {
			column = "id"
		}
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE "+column+" = ?", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

func TestDeleteRepositoryDeletesOnlyThatPair(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()
	mustDo(t, s.SetSetting(ctx, "language", "sv"))
	gone := repository(t, s, "pd-1", "qb-1")
	fillRepository(t, gone, invoicing.OutboxDone)
	others := []*Repository{repository(t, s, "pd-1", "qb-2"), repository(t, s, "pd-2", "qb-1")}
	before := map[int64]map[string]int{}
	for _, r := range others {
		fillRepository(t, r, invoicing.OutboxQueued) // another pair's unsent invoice holds nothing back
		before[r.workspaceID] = rowCounts(t, s, r.workspaceID)
	}
	for table, n := range rowCounts(t, s, gone.workspaceID) {
		if n == 0 {
			t.Fatalf("the pair to delete has no row in %s; the test no longer covers every table", table)
		}
	}

	if err := s.DeleteRepository(ctx, "pd-1", "qb-1"); err != nil {
		t.Fatal(err)
	}
	for table, n := range rowCounts(t, s, gone.workspaceID) {
		if n != 0 {
			t.Errorf("%d row(s) of the deleted pair left in %s", n, table)
		}
	}
	for _, r := range others {
		same(t, "rows of another pair", rowCounts(t, s, r.workspaceID), before[r.workspaceID])
	}
	if v, ok, err := s.Setting(ctx, "language"); err != nil || !ok || v != "sv" {
		t.Errorf("setting after delete = %q, %v, %v; want it kept", v, ok, err)
	}

	// The pair starts afresh when connected again; deleting it twice, or a pair never seen, is fine.
	again := repository(t, s, "pd-1", "qb-1")
	if _, err := again.Preferences(ctx); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("preferences of the pair connected again: err = %v, want ErrNotFound", err)
	}
	for _, pair := range [][2]string{{"pd-1", "qb-1"}, {"pd-9", "qb-9"}} {
		if err := s.DeleteRepository(ctx, pair[0], pair[1]); err != nil {
			t.Errorf("DeleteRepository(%q, %q) = %v", pair[0], pair[1], err)
		}
	}
}

func TestDeleteRepositoryRefusesWhileInvoicesAreUnsent(t *testing.T) {
	tests := []struct {
		state   invoicing.OutboxState
		refused bool
	}{
		{invoicing.OutboxQueued, true},
		{invoicing.OutboxCustomerDone, true},
		{invoicing.OutboxSent, true}, // the deal note is still to be written
		{invoicing.OutboxFailed, false},
		{invoicing.OutboxDone, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			ctx := context.Background()
			s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
			defer s.Close()
			r := repository(t, s, "pd-1", "qb-1")
			fillRepository(t, r, tt.state)
			before := rowCounts(t, s, r.workspaceID)

			err := s.DeleteRepository(ctx, "pd-1", "qb-1")
			var unsent *UnsentError
			if got := errors.As(err, &unsent); got != tt.refused {
				t.Fatalf("DeleteRepository = %v; refused %v, want %v", err, got, tt.refused)
			}
			if !tt.refused {
				return
			}
			same(t, "deals of the unsent invoices", unsent.DealIDs, []int64{5})
			same(t, "rows after the refusal", rowCounts(t, s, r.workspaceID), before)
		})
	}
}

func TestDeleteRepositoryCancelled(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()
	fillRepository(t, repository(t, s, "pd-1", "qb-1"), invoicing.OutboxDone)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.DeleteRepository(ctx, "pd-1", "qb-1"); !errors.Is(err, context.Canceled) {
		t.Errorf("DeleteRepository err = %v, want context.Canceled", err)
	}
	if _, err := repository(t, s, "pd-1", "qb-1").Preferences(context.Background()); err != nil {
		t.Errorf("preferences after a cancelled delete: %v", err)
	}
}
