package accounts

import (
	"context"
	"errors"
	"testing"

	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
)

// withStore gives the profile the fixture's database as the pairs' offline store, as main wires it.
func (f *fixture) withStore(p *Manager) *Manager {
	p.opts.Repository = accountstest.StoreRepository(f.db)
	return p
}

// connectWithStore connects both accounts of p and opens their pair's offline store in the fixture's
// database, failing the test if any of it fails.
func (f *fixture) connectWithStore(t *testing.T, p *Manager) (pipedrive, quickbooks invoicing.Connection, repo invoicing.Repository) {
	t.Helper()
	pipedrive, quickbooks = accountstest.ConnectBoth(t, p)
	repo, err := f.db.Repository(context.Background(), pipedrive.AccountID, quickbooks.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	return pipedrive, quickbooks, repo
}

func TestServiceNeedsBothAccounts(t *testing.T) {
	f := newFixture(t)
	p := f.withStore(f.profile())
	ctx := context.Background()
	if _, err := p.Service(ctx); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Service with nothing connected = %v, want ErrNotConnected", err)
	}
	if _, err := p.ConnectPipedrive(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Service(ctx); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Service with only Pipedrive = %v, want ErrNotConnected", err)
	}
}

// AfterServiceOpened sees each service Service builds, over the connected pair's store, and its error
// is Service's.
func TestAfterServiceOpenedSeesEveryService(t *testing.T) {
	f := newFixture(t)
	p := f.withStore(f.profile())
	ctx := context.Background()
	pdc, qbc := accountstest.ConnectBoth(t, p)
	var seen []*invoicing.Service
	refuse := errors.New("refused")
	var fail error
	p.opts.AfterServiceOpened = func(ctx context.Context, svc *invoicing.Service, repo invoicing.Repository) error {
		seen = append(seen, svc)
		// The store handed over is the connected pair's: what is saved in it is in the pair's store.
		link := invoicing.CustomerLink{Party: invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 1},
			Currency: "GBP", CustomerID: "58", DisplayName: "Hooked Ltd"}
		if err := repo.SaveCustomerLink(ctx, link); err != nil {
			return err
		}
		return fail
	}
	svc, err := p.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != svc {
		t.Fatalf("the hook saw %d services, want the one Service returned", len(seen))
	}
	repo, err := f.db.Repository(ctx, pdc.AccountID, qbc.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	links, err := repo.CustomerLinks(ctx, invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 1})
	if err != nil || len(links) != 1 || links[0].CustomerID != "58" {
		t.Errorf("the pair's store holds links %+v (%v), want the one the hook saved", links, err)
	}

	fail = refuse
	if svc, err := p.Service(ctx); !errors.Is(err, refuse) || svc != nil {
		t.Errorf("Service when the hook fails = %v, %v; want the hook's error", svc, err)
	}
}

// Reset forgets the accounts, their tokens and a saved developer app, so the built-in apps apply and
// nothing is connected.
func TestResetForgetsEverySignIn(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	ctx := context.Background()
	accountstest.ConnectBoth(t, p)
	if err := p.SaveClient(ctx, invoicing.QuickBooks, "own-id", "own-secret"); err != nil {
		t.Fatal(err)
	}
	if err := f.secrets.Set(ctx, secretPipedriveAPIToken, "0123abcd"); err != nil {
		t.Fatal(err)
	}

	if err := p.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	state, err := f.profile().State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.Pipedrive.Connected || state.QuickBooks.Connected {
		t.Errorf("state after Reset = %+v, want nothing connected", state)
	}
	for _, key := range []string{secretPipedriveToken, secretQuickBooksToken, secretPipedriveAPIToken} {
		if f.secrets.has(t, key) {
			t.Errorf("secret %s is still kept", key)
		}
	}
	c, err := secrets.LoadClient(ctx, f.secrets, string(invoicing.QuickBooks), secrets.Client{ID: "built-in"})
	if err != nil || c.ID != "built-in" {
		t.Errorf("QuickBooks developer app after Reset = %q (%v), want the built-in one", c.ID, err)
	}
}

// A service opened later, as the next CLI run opens one, finds the company, items and users the first
// read in the pair's store and asks neither provider for them again.
func TestServiceKeepsReferenceDataBetweenRuns(t *testing.T) {
	f := newFixture(t)
	p := f.withStore(f.profile())
	ctx := context.Background()
	accountstest.ConnectBoth(t, p)
	requests := func() int { return len(f.qb.Requests()) + f.pd.Count("GET /api/v1/users") }
	for run, want := range []bool{true, false} {
		svc, err := p.Service(ctx)
		if err != nil {
			t.Fatal(err)
		}
		before := requests()
		if _, err := svc.Company(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Items(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Owners(ctx); err != nil {
			t.Fatal(err)
		}
		if read := requests() > before; read != want {
			t.Errorf("run %d read reference data from the providers: %v, want %v", run+1, read, want)
		}
	}
}
