package adapters

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/app/store"
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

// TestProvesNoDealDiscount: the value proves a deal has no deal-level discount only when it reaches the
// most its lines could give under every undocumented reading (tax on top included or not, rounded any
// way). Values worked by hand.
func TestProvesNoDealDiscount(t *testing.T) {
	line := func(sum, rate string, method invoicing.TaxMethod, frequency string) invoicing.DealProduct {
		return invoicing.DealProduct{Sum: decimal.RequireFromString(sum), TaxRate: decimal.RequireFromString(rate),
			TaxMethod: method, BillingFrequency: frequency, Enabled: true}
	}
	incl, excl, none := invoicing.TaxMethodInclusive, invoicing.TaxMethodExclusive, invoicing.TaxMethodNone
	for _, c := range []struct {
		name     string
		value    string
		currency string
		lines    []invoicing.DealProduct
		proves   bool
	}{
		{"tax included, value = the sums", "139.50", "EUR",
			[]invoicing.DealProduct{line("90", "21", incl, "one-time"), line("49.50", "9", incl, "")}, true},
		{"tax included, 10 % off the deal", "125.55", "EUR",
			[]invoicing.DealProduct{line("90", "21", incl, "one-time"), line("49.50", "9", incl, "")}, false},
		{"no tax, value = the sum", "50", "USD", []invoicing.DealProduct{line("50", "20", none, "one-time")}, true},
		{"tax on top in the value: 1,000 + 25 %", "1250", "SEK", []invoicing.DealProduct{line("1000", "25", excl, "one-time")}, true},
		// 20 % off 1,000 is 800, and 800 + 25 % tax is 1,000 again: equal to the sum, yet discounted.
		{"tax on top, value = the sum", "1000", "SEK", []invoicing.DealProduct{line("1000", "25", excl, "one-time")}, false},
		// 99.99 × 8.875 % = 8.8741125: rounded half up 8.87, up 8.88.
		{"tax not in whole cents, rounded half up", "108.86", "USD", []invoicing.DealProduct{line("99.99", "8.875", excl, "one-time")}, false},
		{"tax not in whole cents, the bound", "108.87", "USD", []invoicing.DealProduct{line("99.99", "8.875", excl, "one-time")}, true},
		{"yen: 1,000 + 10 %", "1100", "JPY", []invoicing.DealProduct{line("1000", "10", excl, "one-time")}, true},
		{"no lines", "500", "USD", nil, false},
		{"recurring lines only (a discount leaves the value)", "29.90", "USD", []invoicing.DealProduct{line("29.90", "0", excl, "monthly")}, false},
		{"free one-time line only", "0", "USD", []invoicing.DealProduct{line("0", "0", excl, "one-time")}, false},
		{"a value above the bound", "200", "USD", []invoicing.DealProduct{line("100", "0", incl, "one-time")}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := provesNoDealDiscount(decimal.RequireFromString(c.value), c.currency, c.lines); got != c.proves {
				t.Errorf("proves = %v, want %v", got, c.proves)
			}
		})
	}
}

// appService is the Service as the app wires it (accounts.Service): the pair's SQLite store, and the
// Pipedrive and QuickBooks adapters keeping their reference data in it, on the cache clock given.
func appService(t testing.TB, w *world, dir string, now func() time.Time) (*invoicing.Service, *store.Repository) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "dealbooks.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	repo, err := st.Repository(ctx, pipedriveCompany, w.qb.fake.RealmID())
	if err != nil {
		t.Fatal(err)
	}
	prefs, err := w.repo.Preferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.SavePreferences(ctx, prefs); err != nil {
		t.Fatal(err)
	}
	cache := NewReferenceCache(repo, now)
	svc := invoicing.NewService(invoicing.Config{
		CRM:        NewCachedCRM(NewPipedrive(newPipedriveClient(t, w.pd.srv.URL), Options{}), cache),
		Accounting: NewCachedAccounting(w.qb.acct, cache), Repository: repo, Now: w.clock.Now})
	return svc, repo
}

// TestDraftReadsTheNextDealsLinesAlong: the first draft reads its lines together with those of the deals
// listed next (one request, 10 tokens); drafting one of those then reads no lines. A deal with a
// deal-level discount still has its discount read and billed; a deal whose value proves it has none
// (tax included in the prices, value = the lines' sums) reads no discounts.
func TestDraftReadsTheNextDealsLinesAlong(t *testing.T) {
	w := newWorld(t, 0)
	ctx := context.Background()
	svc, repo := appService(t, w, t.TempDir(), cacheClock().Now)
	if _, err := svc.RefreshDeals(ctx); err != nil {
		t.Fatal(err)
	}
	listed, err := repo.Deals(ctx, invoicing.DealQuery{Statuses: []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon}})
	if err != nil {
		t.Fatal(err)
	}
	s := seeded{w.pd.data}
	taxIncluded := func(id int64) bool {
		ls := s.lines(id)
		return len(ls) > 0 && ls[0].TaxMethod != "exclusive" && ls[0].BillingFrequency == "one-time"
	}
	first := listed[0].ID
	var discounted, plain int64
	var cut pipedrivefake.Discount
	for _, d := range listed[1:99] {
		ds := s.discounts(d.ID)
		switch {
		case discounted == 0 && len(ds) == 1 && ds[0].Type == "amount":
			discounted, cut = d.ID, ds[0]
		case plain == 0 && len(ds) == 0 && taxIncluded(d.ID):
			plain = d.ID
		}
	}
	if discounted == 0 || plain == 0 {
		t.Fatalf("the 99 deals listed after the first have no deal with an amount off (%d) or none with tax included (%d)", discounted, plain)
	}
	type reads struct{ batches, oneDeal, discounts int }
	count := func() reads {
		return reads{w.pd.fake.Count("GET /api/v2/deals/products"), w.pd.fake.Count("GET /api/v2/deals/{id}/products"),
			w.pd.fake.Count("GET /api/v2/deals/{id}/discounts")}
	}

	if _, err := svc.BuildDraft(ctx, first); err != nil {
		t.Fatal(err)
	}
	after := count()
	if after.batches != 1 || after.oneDeal != 0 {
		t.Fatalf("first draft: reads %+v, want one batch of lines", after)
	}

	built, err := svc.BuildDraft(ctx, discounted)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := count(), (reads{1, 0, after.discounts + 1}); got != want {
		t.Errorf("deal with a discount: reads %+v, want %+v (its lines kept, its discounts read)", got, want)
	}
	if tot := invoicing.ComputeTotals(built.Draft); len(built.Draft.Discounts) != 1 || !tot.ListedDiscount.Equal(cut.Amount.Decimal) {
		t.Errorf("deal with %s off: draft discounts %+v, listed discount %s", cut.Amount, built.Draft.Discounts, tot.ListedDiscount)
	}
	if len(built.Draft.Lines) != len(s.lines(discounted)) {
		t.Errorf("deal with a discount: %d lines, want %d", len(built.Draft.Lines), len(s.lines(discounted)))
	}

	tokens := w.pd.fake.Tokens()
	built, err = svc.BuildDraft(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := count(), (reads{1, 0, after.discounts + 1}); got != want {
		t.Errorf("deal without a discount: reads %+v, want %+v (nothing but the deal and its parties)", got, want)
	}
	if len(built.Draft.Discounts) != 0 || len(built.Draft.Lines) != len(s.lines(plain)) {
		t.Errorf("deal without a discount: %d discounts, %d lines", len(built.Draft.Discounts), len(built.Draft.Lines))
	}
	t.Logf("a deal whose lines came along: %d tokens", w.pd.fake.Tokens()-tokens)
}

// listedRefs is memRefs with a local deal list, as the pair's store has.
type listedRefs struct {
	*memRefs
	deals []invoicing.Deal
}

func (l listedRefs) Deals(context.Context, invoicing.DealQuery) ([]invoicing.Deal, error) {
	return l.deals, nil
}

// TestReadLinesKeepsOnlyCompleteDeals: lines come ordered by deal, so when the batch's first page ends,
// the deals before its last are complete and kept (in order_nr order), the last is not, and a drafted
// deal not complete on the page is read by itself rather than paging on.
func TestReadLinesKeepsOnlyCompleteDeals(t *testing.T) {
	var asked []string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/deals/products", func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, "batch "+r.URL.Query().Get("deal_ids"))
		fmt.Fprint(w, `{"success":true,"data":[{"id":1,"deal_id":3,"order_nr":2,"sum":5},{"id":2,"deal_id":3,"order_nr":1,"sum":6},`+
			`{"id":3,"deal_id":5,"order_nr":1,"sum":7}],"additional_data":{"next_cursor":"more"}}`)
	})
	mux.HandleFunc("GET /api/v2/deals/{id}/products", func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, "deal "+r.PathValue("id"))
		fmt.Fprint(w, `{"success":true,"data":[{"id":9,"deal_id":7,"order_nr":1,"sum":8}],"additional_data":{"next_cursor":null}}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	client, err := pipedriveClientWithToken(srv.URL, "token")
	if err != nil {
		t.Fatal(err)
	}
	updated := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	refs := NewReferenceCache(listedRefs{newMemRefs(), []invoicing.Deal{
		{ID: 7, UpdatedAt: updated}, {ID: 3, UpdatedAt: updated}, {ID: 5, UpdatedAt: updated}}}, cacheClock().Now)
	got, err := NewPipedrive(client, Options{}).readLines(context.Background(), refs, 7)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"batch 7,3,5", "deal 7"}; fmt.Sprint(asked) != fmt.Sprint(want) {
		t.Errorf("requests %q, want %q", asked, want)
	}
	if len(got.lines) != 1 || got.lines[0].ID != 9 {
		t.Errorf("drafted deal's lines %+v, want line 9 alone", got.lines)
	}
	three, ok := got.companions[3]
	if _, five := got.companions[5]; !ok || five || len(got.companions) != 1 {
		t.Fatalf("companions kept %v, want deal 3 alone", got.companions)
	}
	if len(three.Products) != 2 || !three.Products[0].Sum.Equal(decimal.NewFromInt(6)) || !three.UpdateTime.Equal(updated) || !three.DiscountsUnread {
		t.Errorf("deal 3's content %+v: want lines 2 then 1 (order_nr), its listed update_time, discounts unread", three)
	}
}
