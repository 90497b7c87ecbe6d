package adapters

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/integrations/pipedrive/pipedrivefake"
)

// TestDealContentIsKeptWhileTheDealIsUnchanged: a later process over the same cache builds the deal's
// bundle from the deal, organization and person alone (1 token each, Pipedrive's x-token-cost) while the
// deal's update_time is unchanged; once the deal's products or discounts change in Pipedrive (which moves
// its update_time) they are read again and the bundle shows the change; the catalogue codes kept with
// them are read again once they are an hour old.
func TestDealContentIsKeptWhileTheDealIsUnchanged(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	deal := seeded{e.data}.richDeal(t)
	ctx := context.Background()
	refs, clock := newMemRefs(), cacheClock()
	process := func() *CachedCRM {
		return NewCachedCRM(NewPipedrive(newPipedriveClient(t, e.srv.URL), Options{}), NewReferenceCache(refs, clock.Now))
	}
	type reads struct{ products, discounts, catalogue int }
	count := func() reads {
		return reads{e.fake.Count("GET /api/v2/deals/{id}/products"), e.fake.Count("GET /api/v2/deals/{id}/discounts"),
			e.fake.Count("GET /api/v2/products/{id}")}
	}
	catalogue := map[int64]bool{}
	for _, l := range (seeded{e.data}).lines(deal.ID) {
		catalogue[l.ProductID] = true
	}

	first, err := process().DealBundle(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := count(), (reads{1, 1, len(catalogue)}); got != want {
		t.Fatalf("first bundle: reads %+v, want %+v", got, want)
	}

	tokens := e.fake.Tokens()
	second, err := process().DealBundle(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := count(), (reads{1, 1, len(catalogue)}); got != want {
		t.Errorf("unchanged deal: reads %+v, want %+v (nothing read again)", got, want)
	}
	if got := e.fake.Tokens() - tokens; got != 3 {
		t.Errorf("unchanged deal cost %d tokens, want 3 (deal, organization, person)", got)
	}
	if g, w := bundleText(second), bundleText(first); g != w {
		t.Errorf("bundle from kept content:\n got %s\nwant %s", g, w)
	}

	// A rep changes a line's quantity and the deal's discount in Pipedrive.
	lines := seeded{e.data}.lines(deal.ID)
	newQty := lines[0].Quantity.Add(decimal.NewFromInt(1))
	newDiscount := decimal.RequireFromString("7.25")
	if !e.fake.UpdateDealLines(deal.ID, func(products []*pipedrivefake.DealProduct, discounts []*pipedrivefake.Discount) {
		products[0].Quantity = pipedrivefake.Num{Decimal: newQty}
		discounts[0].Amount = pipedrivefake.Num{Decimal: newDiscount}
	}) {
		t.Fatal("deal not found in the fake")
	}
	if d, _ := e.fake.Deal(deal.ID); d.UpdateTime.Equal(deal.UpdateTime) {
		t.Fatalf("the fake left the deal's update_time at %v", d.UpdateTime)
	}
	third, err := process().DealBundle(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := count(), (reads{2, 2, 2 * len(catalogue)}); got != want {
		t.Errorf("changed deal: reads %+v, want %+v (all read again)", got, want)
	}
	if !third.Products[0].Quantity.Equal(newQty) || !third.Discounts[0].Value.Equal(newDiscount) {
		t.Errorf("changed deal: first line quantity %s, discount %s; want %s and %s",
			third.Products[0].Quantity, third.Discounts[0].Value, newQty, newDiscount)
	}

	clock.Advance(time.Hour - time.Second)
	if _, err := process().DealBundle(ctx, deal.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := count(), (reads{2, 2, 2 * len(catalogue)}); got != want {
		t.Errorf("within the hour: reads %+v, want %+v", got, want)
	}
	clock.Advance(time.Second)
	if _, err := process().DealBundle(ctx, deal.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := count(), (reads{2, 2, 3 * len(catalogue)}); got != want {
		t.Errorf("an hour on: reads %+v, want %+v (the catalogue codes read again, the lines not)", got, want)
	}
}
