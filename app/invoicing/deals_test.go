package invoicing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func seedDeals(h *harness) {
	base := h.clock.Now().Add(-time.Hour)
	h.crm.deals = []Deal{
		{ID: 1, Title: "Lost cause", Status: DealLost, OwnerID: 5, UpdatedAt: base.Add(50 * time.Minute)},
		{ID: 2, Title: "Website redesign", Status: DealOpen, OwnerID: 5, OrgName: "Acme Ltd", UpdatedAt: base.Add(10 * time.Minute)},
		{ID: 3, Title: "Hosting renewal", Status: DealWon, OwnerID: 6, UpdatedAt: base.Add(20 * time.Minute)},
		{ID: 4, Title: "Support plan", Status: DealOpen, OwnerID: 5, PersonName: "Jane Doe", UpdatedAt: base.Add(5 * time.Minute)},
		{ID: 5, Title: "Audit", Status: DealOpen, OwnerID: 6, UpdatedAt: base.Add(30 * time.Minute)},
	}
}

func dealIDs(deals []Deal) []int64 {
	ids := make([]int64, len(deals))
	for i, d := range deals {
		ids[i] = d.ID
	}
	return ids
}

func TestRefreshDealsPagesAndUsesUpdatedSince(t *testing.T) {
	h := newHarness(t)
	seedDeals(h)
	ctx := context.Background()
	n, err := h.svc.RefreshDeals(ctx)
	if err != nil || n != 5 || h.crm.count("ListDeals") != 3 {
		t.Fatalf("first refresh stored %d deals in %d pages (%v); want 5 in 3", n, h.crm.count("ListDeals"), err)
	}
	if !h.crm.filters[0].UpdatedSince.IsZero() {
		t.Errorf("first refresh asked for deals updated since %v, want all", h.crm.filters[0].UpdatedSince)
	}
	list, _ := h.svc.Deals(ctx, DealQuery{})
	if !list.SyncedAt.Equal(h.clock.Now()) {
		t.Errorf("synced at %v, want %v", list.SyncedAt, h.clock.Now())
	}

	h.clock.Advance(time.Hour)
	h.crm.deals[0].Status = DealWon
	h.crm.deals[0].UpdatedAt = h.clock.Now()
	if n, err = h.svc.RefreshDeals(ctx); err != nil || n != 1 {
		t.Fatalf("second refresh stored %d deals (%v), want only the changed one", n, err)
	}
	last := h.crm.filters[len(h.crm.filters)-1]
	if want := list.SyncedAt.Add(-syncMargin); !last.UpdatedSince.Equal(want) {
		t.Errorf("updated since %v, want %v", last.UpdatedSince, want)
	}
}

func TestDealsOrderAndFilters(t *testing.T) {
	h := newHarness(t)
	seedDeals(h)
	ctx := context.Background()
	if _, err := h.svc.RefreshDeals(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    DealQuery
		want []int64
	}{
		{"open and won first, newest first", DealQuery{}, []int64{5, 3, 2, 4, 1}},
		{"owner", DealQuery{OwnerID: 6}, []int64{5, 3}},
		{"status", DealQuery{Statuses: []DealStatus{DealOpen}}, []int64{5, 2, 4}},
		{"text over title, organization and person", DealQuery{Text: "acme"}, []int64{2}},
		{"person", DealQuery{Text: "JANE"}, []int64{4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.crm.setOffline(true) // the picker works from the cache
			list, err := h.svc.Deals(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := dealIDs(list.Deals); !slices.Equal(got, tt.want) {
				t.Errorf("deals %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchDeals(t *testing.T) {
	ctx := context.Background()
	t.Run("cache hit asks nobody", func(t *testing.T) {
		h := newHarness(t)
		seedDeals(h)
		h.repo.UpsertDeals(ctx, h.crm.deals[:2])
		res, err := h.svc.SearchDeals(ctx, DealQuery{Text: "website"})
		if err != nil || res.Remote || !slices.Equal(dealIDs(res.Deals), []int64{2}) || h.crm.count("SearchDeals") != 0 {
			t.Errorf("search = %+v, %v; want deal 2 from the cache", res, err)
		}
	})
	t.Run("cache miss asks Pipedrive and caches", func(t *testing.T) {
		h := newHarness(t)
		seedDeals(h)
		res, err := h.svc.SearchDeals(ctx, DealQuery{Text: "audit"})
		if err != nil || !res.Remote || !slices.Equal(dealIDs(res.Deals), []int64{5}) {
			t.Fatalf("search = %+v, %v; want deal 5 from Pipedrive", res, err)
		}
		if list, _ := h.svc.Deals(ctx, DealQuery{Text: "audit"}); len(list.Deals) != 1 {
			t.Error("the found deal was not cached")
		}
	})
	t.Run("one character does not go remote", func(t *testing.T) {
		h := newHarness(t)
		if _, err := h.svc.SearchDeals(ctx, DealQuery{Text: "a"}); err != nil || h.crm.count("SearchDeals") != 0 {
			t.Errorf("err %v, %d remote searches", err, h.crm.count("SearchDeals"))
		}
	})
	t.Run("offline", func(t *testing.T) {
		h := newHarness(t)
		h.crm.setOffline(true)
		if _, err := h.svc.SearchDeals(ctx, DealQuery{Text: "audit"}); !errors.Is(err, ErrOffline) {
			t.Errorf("err = %v, want ErrOffline", err)
		}
	})
}

// A full reload fetches every deal again, also those a changes-only refresh would not see: a deal whose
// organization was renamed without its own update time moving.
func TestReloadDealsFetchesEverythingAgain(t *testing.T) {
	h := newHarness(t)
	seedDeals(h)
	ctx := context.Background()
	if _, err := h.svc.RefreshDeals(ctx); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Hour)
	h.crm.deals[1].OrgName = "Acme Group"
	if n, err := h.svc.RefreshDeals(ctx); err != nil || n != 0 {
		t.Fatalf("refresh stored %d deals (%v); want none changed", n, err)
	}
	n, err := h.svc.ReloadDeals(ctx)
	if err != nil || n != 5 {
		t.Fatalf("reload stored %d deals (%v), want all 5", n, err)
	}
	if last := h.crm.filters[len(h.crm.filters)-1]; !last.UpdatedSince.IsZero() {
		t.Errorf("reload asked for deals updated since %v, want all", last.UpdatedSince)
	}
	for i, f := range h.crm.filters {
		reload := i >= len(h.crm.filters)-3 // the reload's three pages
		if f.ReadNames != reload {
			t.Errorf("listing %d asked to read the names again: %v, want %v (only a reload does: the names of a renamed organization)", i, f.ReadNames, reload)
		}
	}
	list, _ := h.svc.Deals(ctx, DealQuery{Text: "acme group"})
	if len(list.Deals) != 1 || list.Deals[0].ID != 2 {
		t.Errorf("deals named Acme Group after reload = %v, want deal 2", dealIDs(list.Deals))
	}
	h.crm.setOffline(true)
	if _, err := h.svc.ReloadDeals(ctx); !errors.Is(err, ErrOffline) {
		t.Errorf("offline reload = %v, want ErrOffline", err)
	}
	if list, _ := h.svc.Deals(ctx, DealQuery{}); len(list.Deals) != 5 {
		t.Errorf("offline reload left %d deals in the cache, want all 5", len(list.Deals))
	}
}

// pagingCRM answers ListDeals with one deal a page and the next cursors given, in turn; past them,
// a new cursor each page, for ever.
type pagingCRM struct {
	*fakeCRM
	next  []string
	calls int
}

func (c *pagingCRM) ListDeals(_ context.Context, _ DealFilter, _ string) (DealPage, error) {
	c.calls++
	next := fmt.Sprintf("endless-%d", c.calls)
	if c.calls <= len(c.next) {
		next = c.next[c.calls-1]
	}
	return DealPage{Deals: []Deal{{ID: int64(c.calls), Title: "Deal", Status: DealOpen}}, Next: next}, nil
}

// TestRefreshDealsStopsOnEndlessPaging: a CRM that sends a cursor again, or never stops sending new
// ones, ends the refresh with ErrEndlessPaging after a bounded number of pages; the refresh time stays
// as it was, so the next refresh asks again for everything since the last good one.
func TestRefreshDealsStopsOnEndlessPaging(t *testing.T) {
	for _, tt := range []struct {
		name      string
		next      []string
		wantPages int
	}{
		{"same cursor again", []string{"a", "a"}, 2},
		{"back to an earlier cursor", []string{"a", "b", "c", "b"}, 4},
		{"new cursors for ever", nil, maxDealPages},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			crm := &pagingCRM{fakeCRM: h.crm, next: tt.next}
			svc := NewService(Config{CRM: crm, Accounting: h.acct, Repository: h.repo, Files: h.files, Now: h.clock.Now})
			n, err := svc.RefreshDeals(context.Background())
			if !errors.Is(err, ErrEndlessPaging) {
				t.Fatalf("RefreshDeals = %d, %v; want ErrEndlessPaging", n, err)
			}
			if crm.calls != tt.wantPages || n != tt.wantPages {
				t.Errorf("read %d pages, stored %d deals; want %d of each", crm.calls, n, tt.wantPages)
			}
			if st, _ := h.repo.SyncState(context.Background()); !st.DealsSyncedAt.IsZero() {
				t.Errorf("deals synced at %v after a listing that did not end, want never", st.DealsSyncedAt)
			}
		})
	}
}
