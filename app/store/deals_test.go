package store

import (
	"context"
	"slices"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

func dealIDs(deals []invoicing.Deal) []int64 {
	ids := make([]int64, len(deals))
	for i, d := range deals {
		ids[i] = d.ID
	}
	return ids
}

func TestDealsOrderAndFilters(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	deals := []invoicing.Deal{
		{ID: 1, Title: "Old open", Status: invoicing.DealOpen, OwnerID: 10, UpdatedAt: at(8, 0)},
		{ID: 2, Title: "Lost recently", Status: invoicing.DealLost, OwnerID: 10, UpdatedAt: at(12, 0)},
		{ID: 3, Title: "Won", Status: invoicing.DealWon, OwnerID: 11, UpdatedAt: at(10, 0), OrgName: "Société Générale"},
		{ID: 4, Title: "Tie A", Status: invoicing.DealOpen, OwnerID: 11, UpdatedAt: at(9, 0), PersonName: "Ann 100%_off"},
		{ID: 5, Title: "Tie B", Status: invoicing.DealOpen, OwnerID: 10, UpdatedAt: at(9, 0)},
		{ID: 6, Title: "Deleted", Status: invoicing.DealDeleted, OwnerID: 10, UpdatedAt: at(7, 0), OrgName: "Acme"},
		{ID: 7, Title: "Acme renewal", Status: invoicing.DealOpen, OwnerID: 10, UpdatedAt: at(11, 0), OrgName: "Globex"},
	}
	if err := r.UpsertDeals(ctx, deals); err != nil {
		t.Fatal(err)
	}
	open, won, lost := invoicing.DealOpen, invoicing.DealWon, invoicing.DealLost
	tests := []struct {
		name string
		q    invoicing.DealQuery
		want []int64
	}{
		{"all: open and won first, newest first, ties by id", invoicing.DealQuery{}, []int64{7, 3, 4, 5, 1, 2, 6}},
		{"limit", invoicing.DealQuery{Limit: 3}, []int64{7, 3, 4}},
		{"statuses", invoicing.DealQuery{Statuses: []invoicing.DealStatus{won, lost}}, []int64{3, 2}},
		{"one status", invoicing.DealQuery{Statuses: []invoicing.DealStatus{open}}, []int64{7, 4, 5, 1}},
		{"owner", invoicing.DealQuery{OwnerID: 11}, []int64{3, 4}},
		{"text in title and organization, any case", invoicing.DealQuery{Text: "ACME"}, []int64{7, 6}},
		{"text ignores case beyond ASCII", invoicing.DealQuery{Text: "SOCIÉTÉ"}, []int64{3}},
		{"text in person name", invoicing.DealQuery{Text: "ann"}, []int64{4}},
		{"text is trimmed", invoicing.DealQuery{Text: "  won \t"}, []int64{3}},
		{"% and _ are plain characters", invoicing.DealQuery{Text: "0%_o"}, []int64{4}},
		{"% alone matches only a %", invoicing.DealQuery{Text: "%"}, []int64{4}},
		{"no match across two names", invoicing.DealQuery{Text: "renewal globex"}, nil},
		{"all filters", invoicing.DealQuery{Statuses: []invoicing.DealStatus{open, lost}, OwnerID: 10, Text: "e", Limit: 2}, []int64{7, 5}},
		{"nothing", invoicing.DealQuery{Text: "zzz"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Deals(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if ids := dealIDs(got); !slices.Equal(ids, tt.want) {
				t.Errorf("Deals(%+v) = %v, want %v", tt.q, ids, tt.want)
			}
		})
	}
}

func TestUpsertDealsReplacesByID(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	first := invoicing.Deal{
		ID: 1, Title: "Acme renewal", Value: testkit.Dec("1234.50"), Currency: "EUR", Status: invoicing.DealOpen, OwnerID: 10,
		OrgID: 100, OrgName: "Acme GmbH", PersonID: 200, PersonName: "Ann Example", UpdatedAt: at(8, 0),
	}
	other := invoicing.Deal{ID: 2, Title: "Globex", Status: invoicing.DealOpen, UpdatedAt: at(7, 0)}
	if err := r.UpsertDeals(ctx, []invoicing.Deal{first, other}); err != nil {
		t.Fatal(err)
	}
	got, err := r.Deals(ctx, invoicing.DealQuery{})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Deals", got, []invoicing.Deal{first, other})
	if got[0].Value.String() != "1234.5" || got[0].Value.Exponent() != -2 {
		t.Errorf("Value = %s with exponent %d, want 1234.50 kept to two places", got[0].Value, got[0].Value.Exponent())
	}

	// Lost and renamed: it moves behind the open deal, and the old title no longer finds it.
	changed := first
	changed.Title, changed.Status, changed.OrgName, changed.UpdatedAt = "Renamed", invoicing.DealLost, "", at(9, 0)
	if err := r.UpsertDeals(ctx, []invoicing.Deal{changed}); err != nil {
		t.Fatal(err)
	}
	got, err = r.Deals(ctx, invoicing.DealQuery{})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Deals after the change", got, []invoicing.Deal{other, changed})
	if found, err := r.Deals(ctx, invoicing.DealQuery{Text: "acme"}); err != nil || len(found) != 0 {
		t.Errorf("search for the old name = %v, %v; want nothing", dealIDs(found), err)
	}
}

func TestUpsertDealsIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	r, path := newRepo(t)
	rawExec(t, path, `CREATE TRIGGER refuse_deal_3 BEFORE INSERT ON deals WHEN NEW.id = 3
		BEGIN SELECT RAISE(ABORT, 'refused'); END`)
	err := r.UpsertDeals(ctx, []invoicing.Deal{{ID: 1}, {ID: 2}, {ID: 3}})
	if err == nil {
		t.Fatal("UpsertDeals succeeded, want the trigger's refusal")
	}
	if got, err := r.Deals(ctx, invoicing.DealQuery{}); err != nil || len(got) != 0 {
		t.Errorf("after a failed upsert: Deals = %v, %v; want none stored", dealIDs(got), err)
	}
}
