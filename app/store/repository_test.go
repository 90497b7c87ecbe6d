package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// workspace opens the repository of a pair in s.
func repository(t testing.TB, s *Store, pipedrive, realm string) *Repository {
	t.Helper()
	r, err := s.Repository(context.Background(), pipedrive, realm)
	if err != nil {
		t.Fatalf("Repository(%q, %q): %v", pipedrive, realm, err)
	}
	return r
}

// newRepo opens a fresh database in a temporary folder and the repository of one pair in it.
func newRepo(t testing.TB) (*Repository, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return repository(t, s, "pd-1", "qb-1"), path
}

// same fails the test when got and want do not print the same. Decimals print by value, dates as
// YYYY-MM-DD and times in full, zone included, so expected times are written in UTC.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func at(hour, minute int) time.Time {
	return time.Date(2026, time.November, 27, hour, minute, 0, 123456789, time.UTC)
}

func TestRepositoryNeedsBothIDs(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()
	for _, ids := range [][2]string{{"", "qb"}, {"pd", ""}, {"", ""}} {
		if _, err := s.Repository(context.Background(), ids[0], ids[1]); err == nil {
			t.Errorf("Repository(%q, %q) succeeded, want an error", ids[0], ids[1])
		}
	}
}

func TestRepositoryIsTheSameAcrossCallsAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealbooks.db")
	s := openStore(t, path)
	if err := repository(t, s, "pd-1", "qb-1").SaveItemLink(ctx, 7, "item-7"); err != nil {
		t.Fatal(err)
	}
	if got, err := repository(t, s, "pd-1", "qb-1").ItemLinks(ctx); err != nil || got[7] != "item-7" {
		t.Errorf("second Repository call: ItemLinks = %v, %v; want the link saved by the first", got, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, path)
	defer s.Close()
	if got, err := repository(t, s, "pd-1", "qb-1").ItemLinks(ctx); err != nil || got[7] != "item-7" {
		t.Errorf("after reopen: ItemLinks = %v, %v; want the saved link", got, err)
	}
}

// TestPairsAreKeptApart fills one pair with data of every kind and checks that pairs sharing either
// account, or neither, see none of it.
func TestPairsAreKeptApart(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "dealbooks.db"))
	defer s.Close()
	full := repository(t, s, "pd-1", "qb-1")
	party := invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 1}
	deal := invoicing.Deal{ID: 5, Title: "Acme renewal", Status: invoicing.DealOpen, Value: testkit.Dec("10")}
	mustDo(t,
		full.SavePreferences(ctx, invoicing.DefaultPreferences()),
		full.SaveCompany(ctx, invoicing.Company{RealmID: "qb-1"}),
		full.SaveSyncState(ctx, invoicing.SyncState{DealsSyncedAt: at(9, 0)}),
		full.SaveCustomerLink(ctx, invoicing.CustomerLink{Party: party, Currency: "EUR", CustomerID: "58"}),
		full.SaveItemLink(ctx, 3, "item-3"),
		full.UpsertDeals(ctx, []invoicing.Deal{deal}),
		full.UpsertInvoices(ctx, []invoicing.CachedInvoice{{Invoice: invoicing.Invoice{ID: "130"}, DealID: 5}}),
		full.SaveDraft(ctx, invoicing.Draft{DealID: 5}),
	)
	entry, err := full.Enqueue(ctx, queuedEntry(5, "c-1", "i-1"))
	if err != nil {
		t.Fatal(err)
	}

	for _, pair := range [][2]string{{"pd-1", "qb-2"}, {"pd-2", "qb-1"}, {"pd-2", "qb-2"}} {
		t.Run(pair[0]+"+"+pair[1], func(t *testing.T) {
			other := repository(t, s, pair[0], pair[1])
			if _, err := other.Preferences(ctx); !errors.Is(err, invoicing.ErrNotFound) {
				t.Errorf("Preferences err = %v, want ErrNotFound", err)
			}
			if _, err := other.Company(ctx); !errors.Is(err, invoicing.ErrNotFound) {
				t.Errorf("Company err = %v, want ErrNotFound", err)
			}
			if st, err := other.SyncState(ctx); err != nil || st != (invoicing.SyncState{}) {
				t.Errorf("SyncState = %v, %v; want the zero state", st, err)
			}
			if links, err := other.CustomerLinks(ctx, party); err != nil || len(links) != 0 {
				t.Errorf("CustomerLinks = %v, %v; want none", links, err)
			}
			if links, err := other.ItemLinks(ctx); err != nil || len(links) != 0 {
				t.Errorf("ItemLinks = %v, %v; want none", links, err)
			}
			if deals, err := other.Deals(ctx, invoicing.DealQuery{}); err != nil || len(deals) != 0 {
				t.Errorf("Deals = %v, %v; want none", deals, err)
			}
			if invs, err := other.Invoices(ctx, 0); err != nil || len(invs) != 0 {
				t.Errorf("Invoices = %v, %v; want none", invs, err)
			}
			if _, err := other.Invoice(ctx, "130"); !errors.Is(err, invoicing.ErrNotFound) {
				t.Errorf("Invoice err = %v, want ErrNotFound", err)
			}
			if _, err := other.Draft(ctx, 5); !errors.Is(err, invoicing.ErrNotFound) {
				t.Errorf("Draft err = %v, want ErrNotFound", err)
			}
			if pending, err := other.PendingOutbox(ctx); err != nil || len(pending) != 0 {
				t.Errorf("PendingOutbox = %v, %v; want none", pending, err)
			}
			if _, err := other.OutboxEntry(ctx, entry.ID); !errors.Is(err, invoicing.ErrNotFound) {
				t.Errorf("OutboxEntry err = %v, want ErrNotFound", err)
			}
			if err := other.UpdateOutbox(ctx, entry); !errors.Is(err, invoicing.ErrNotFound) {
				t.Errorf("UpdateOutbox of the other pair's entry: err = %v, want ErrNotFound", err)
			}
			// The same keys in this pair do not touch the first pair's rows.
			mustDo(t,
				other.SaveItemLink(ctx, 3, "other-item"),
				other.UpsertDeals(ctx, []invoicing.Deal{{ID: 5, Title: "Other", Status: invoicing.DealLost}}),
				other.DeleteDraft(ctx, 5),
				other.DeleteCustomerLink(ctx, party, "EUR"),
			)
		})
	}

	if links, _ := full.ItemLinks(ctx); links[3] != "item-3" {
		t.Errorf("first pair's item link = %q, want item-3", links[3])
	}
	if deals, _ := full.Deals(ctx, invoicing.DealQuery{}); len(deals) != 1 || deals[0].Title != "Acme renewal" {
		t.Errorf("first pair's deals = %+v, want only Acme renewal", deals)
	}
	if _, err := full.Draft(ctx, 5); err != nil {
		t.Errorf("first pair's draft: %v", err)
	}
	if links, _ := full.CustomerLinks(ctx, party); len(links) != 1 {
		t.Errorf("first pair's customer links = %v, want one", links)
	}
}

func mustDo(t *testing.T, errs ...error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
}

func TestCancelledContextIsReturned(t *testing.T) {
	r, _ := newRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Deals(ctx, invoicing.DealQuery{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Deals err = %v, want context.Canceled", err)
	}
	if err := r.UpsertInvoices(ctx, []invoicing.CachedInvoice{{Invoice: invoicing.Invoice{ID: "1"}}}); !errors.Is(err, context.Canceled) {
		t.Errorf("UpsertInvoices err = %v, want context.Canceled", err)
	}
	if _, err := r.Enqueue(ctx, queuedEntry(1, "c", "i")); !errors.Is(err, context.Canceled) {
		t.Errorf("Enqueue err = %v, want context.Canceled", err)
	}
}
