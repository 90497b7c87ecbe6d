package accounts

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/invoicing"
)

// After both accounts are disconnected with the offline copies kept, the copies stay readable, named by the
// companies they came from, refuse to queue anything, and go when the rep deletes them.
func TestKeptCopiesStayReadableUntilDeleted(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	p.opts.Repository = accountstest.StoreRepository(f.db)
	p.opts.ForgetHistory = accountstest.StoreForgetHistory(f.db)
	ctx := context.Background()
	pdc, qbc, repo := f.connectWithStore(t, p)
	deal := invoicing.Deal{ID: 41, Title: "Kept deal", Value: decimal.RequireFromString("1200"), Currency: "GBP",
		Status: invoicing.DealOpen, UpdatedAt: time.Now()}
	if err := repo.UpsertDeals(ctx, []invoicing.Deal{deal}); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := p.KeptService(ctx); ok || err != nil {
		t.Fatalf("KeptService while connected = %v, %v; want nothing kept", ok, err)
	}

	before := time.Now().Add(-time.Second)
	for _, provider := range []invoicing.Provider{invoicing.QuickBooks, invoicing.Pipedrive} {
		if err := p.Disconnect(ctx, provider, true); err != nil {
			t.Fatalf("Disconnect %s: %v", provider, err)
		}
	}
	state, err := p.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.Pipedrive.Connected || state.QuickBooks.Connected {
		t.Fatal("still connected after disconnecting both")
	}
	if state.Kept == nil || state.Kept.Pipedrive != pdc.Account || state.Kept.QuickBooks != "Larkspur Supplies" ||
		state.Kept.KeptAt.Before(before) {
		t.Fatalf("State().Kept = %+v, want the copies of %s and Larkspur Supplies, kept just now", state.Kept, pdc.Account)
	}

	svc, kept, ok, err := p.KeptService(ctx)
	if err != nil || !ok {
		t.Fatalf("KeptService = %v, %v", ok, err)
	}
	if kept.Pair != (invoicing.AccountPair{PipedriveCompany: pdc.AccountID, QuickBooksRealm: qbc.AccountID}) {
		t.Errorf("kept pair = %+v", kept.Pair)
	}
	list, err := svc.Deals(ctx, invoicing.DealQuery{})
	if err != nil || len(list.Deals) != 1 || list.Deals[0].Title != "Kept deal" {
		t.Fatalf("kept deals = %+v, %v; want the one cached deal", list.Deals, err)
	}
	if _, err := svc.RefreshDeals(ctx); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("RefreshDeals over kept copies = %v, want ErrOffline", err)
	}
	if err := svc.SaveDraft(ctx, invoicing.Draft{DealID: 41}); !errors.Is(err, invoicing.ErrReadOnly) {
		t.Errorf("SaveDraft over kept copies = %v, want ErrReadOnly", err)
	}

	if err := p.DeleteKept(ctx); err != nil {
		t.Fatal(err)
	}
	if state, err = p.State(ctx); err != nil || state.Kept != nil {
		t.Fatalf("State().Kept after DeleteKept = %+v, %v", state.Kept, err)
	}
	again, err := f.db.Repository(ctx, pdc.AccountID, qbc.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if deals, err := again.Deals(ctx, invoicing.DealQuery{}); err != nil || len(deals) != 0 {
		t.Errorf("deals after DeleteKept = %d, %v; want none", len(deals), err)
	}
}

// Disconnecting without keeping forgets any kept record of that pair, so nothing claims copies that are gone.
func TestDisconnectWithoutKeepingForgetsTheKeptRecord(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	p.opts.ForgetHistory = accountstest.StoreForgetHistory(f.db)
	ctx := context.Background()
	accountstest.ConnectBoth(t, p)
	if err := p.Disconnect(ctx, invoicing.QuickBooks, true); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConnectQuickBooks(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := p.Disconnect(ctx, invoicing.QuickBooks, false); err != nil {
		t.Fatal(err)
	}
	state, err := p.State(ctx)
	if err != nil || state.Kept != nil {
		t.Errorf("State().Kept = %+v, %v; want none once the copies are deleted", state.Kept, err)
	}
}

// Connecting the same accounts again makes the copies theirs again: no longer shown as kept, and deleting
// "kept copies" then deletes nothing in use.
func TestReconnectingTheSamePairTakesItsCopiesBack(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	p.opts.ForgetHistory = accountstest.StoreForgetHistory(f.db)
	ctx := context.Background()
	_, _, repo := f.connectWithStore(t, p)
	if err := repo.UpsertDeals(ctx, []invoicing.Deal{{ID: 41, Title: "Kept deal", Currency: "GBP", Status: invoicing.DealOpen}}); err != nil {
		t.Fatal(err)
	}
	if err := p.Disconnect(ctx, invoicing.QuickBooks, true); err != nil {
		t.Fatal(err)
	}
	if state, _ := p.State(ctx); state.Kept == nil {
		t.Fatal("nothing kept after disconnecting with Keep")
	}
	if _, err := p.ConnectQuickBooks(ctx, true); err != nil {
		t.Fatal(err)
	}
	if state, err := p.State(ctx); err != nil || state.Kept != nil {
		t.Fatalf("State().Kept with the same pair connected again = %+v (%v), want none", state.Kept, err)
	}
	if err := p.DeleteKept(ctx); err != nil {
		t.Fatal(err)
	}
	if deals, err := repo.Deals(ctx, invoicing.DealQuery{}); err != nil || len(deals) != 1 {
		t.Errorf("the connected pair's deals after DeleteKept = %d (%v), want its one deal untouched", len(deals), err)
	}
}
