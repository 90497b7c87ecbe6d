package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"dealbooks/app/invoicing"
)

func TestPreferencesRoundTripAndReplace(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	if _, err := r.Preferences(ctx); !errors.Is(err, invoicing.ErrNotFound) {
		t.Fatalf("Preferences before any save: err = %v, want ErrNotFound", err)
	}
	p := invoicing.DefaultPreferences()
	p.TaxID = invoicing.FieldRef{Entity: invoicing.EntityOrganization, Code: "9dc80c50d78a15643bfc4ca79d76156a73a1ca0e"}
	p.DefaultItemID = "1"
	p.Numbering = invoicing.Numbering{Mode: invoicing.NumberPrefix, Prefix: "PD-", Next: 1000}
	if err := r.SavePreferences(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := r.Preferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Preferences", got, p)

	// A second save replaces the whole: fields left empty are empty, not kept from before.
	q := invoicing.Preferences{To: p.To, DueDays: 30}
	if err := r.SavePreferences(ctx, q); err != nil {
		t.Fatal(err)
	}
	got, err = r.Preferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Preferences after replace", got, q)
}

func TestCompanyRoundTrip(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	if _, err := r.Company(ctx); !errors.Is(err, invoicing.ErrNotFound) {
		t.Fatalf("Company before any save: err = %v, want ErrNotFound", err)
	}
	for _, c := range []invoicing.Company{
		{RealmID: "9341", Name: "Craig's Design", Country: "US", HomeCurrency: "USD", TaxModel: invoicing.TaxUS, Sandbox: true},
		{RealmID: "9341", Name: "Craig's Design Ltd", Country: "GB", HomeCurrency: "GBP", MultiCurrency: true,
			TaxModel: invoicing.TaxGlobal, CustomTxnNumbers: true},
	} {
		if err := r.SaveCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := r.Company(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("Company = %+v, want %+v", got, c)
		}
	}
}

func TestSyncStateRoundTrip(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	if st, err := r.SyncState(ctx); err != nil || st != (invoicing.SyncState{}) {
		t.Fatalf("SyncState before any save = %+v, %v; want the zero state", st, err)
	}
	amsterdam := time.FixedZone("CET", 3600)
	want := invoicing.SyncState{
		DealsSyncedAt:    time.Date(2026, 11, 27, 15, 4, 5, 123456789, amsterdam),
		InvoicesSyncedAt: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
	}
	if err := r.SaveSyncState(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := r.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !got.DealsSyncedAt.Equal(want.DealsSyncedAt) || !got.InvoicesSyncedAt.Equal(want.InvoicesSyncedAt) {
		t.Errorf("SyncState = %+v, want the same instants as %+v", got, want)
	}
	if got.DealsSyncedAt.Location() != time.UTC {
		t.Errorf("SyncState times come back in %v, want UTC", got.DealsSyncedAt.Location())
	}

	// Saving the zero state again reads back as the zero state.
	if err := r.SaveSyncState(ctx, invoicing.SyncState{}); err != nil {
		t.Fatal(err)
	}
	if got, err := r.SyncState(ctx); err != nil || !got.DealsSyncedAt.IsZero() || !got.InvoicesSyncedAt.IsZero() {
		t.Errorf("SyncState after saving zero = %+v, %v; want zero times", got, err)
	}
}
