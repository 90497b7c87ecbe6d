package accounts

import (
	"context"
	"testing"

	"dealbooks/app/accounts/accountstest"
)

// A name that went stale (the company was renamed at the provider since it was connected) is read again.
func TestRefreshNamesReadsTheCompaniesAgain(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	ctx := context.Background()
	pdc, _ := accountstest.ConnectBoth(t, p)
	for _, key := range []string{KeyQuickBooksCompany, KeyPipedriveAccount} {
		if err := f.db.SetSetting(ctx, key, "Old name Ltd"); err != nil {
			t.Fatal(err)
		}
	}
	state, err := p.RefreshNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.QuickBooks.Account != "Larkspur Supplies" || state.Pipedrive.Account != pdc.Account {
		t.Errorf("names after RefreshNames = %q and %q, want Larkspur Supplies and %q",
			state.QuickBooks.Account, state.Pipedrive.Account, pdc.Account)
	}
}
