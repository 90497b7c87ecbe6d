package adapters

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks/qbofake"
	"dealbooks/internal/clock"
)

// TestReferenceDataIsReadOncePerLifetime: each kind of reference data is read from its provider the
// first time, not again while it is younger than its lifetime, and afresh once it is as old. The
// requests per read are the API's: CompanyInfo and Preferences for the company, TaxCode and TaxRate
// for tax codes, one list each for items, terms and Pipedrive's users.
func TestReferenceDataIsReadOncePerLifetime(t *testing.T) {
	tests := []struct {
		name     string
		requests int
		lifetime time.Duration
		read     func(ctx context.Context, acct invoicing.Accounting, crm invoicing.CRM) error
	}{
		{"company", 2, 24 * time.Hour, func(ctx context.Context, a invoicing.Accounting, _ invoicing.CRM) error {
			_, err := a.Company(ctx)
			return err
		}},
		{"items", 1, time.Hour, func(ctx context.Context, a invoicing.Accounting, _ invoicing.CRM) error {
			_, err := a.Items(ctx)
			return err
		}},
		{"tax codes", 2, time.Hour, func(ctx context.Context, a invoicing.Accounting, _ invoicing.CRM) error {
			_, err := a.TaxCodes(ctx)
			return err
		}},
		{"terms", 1, time.Hour, func(ctx context.Context, a invoicing.Accounting, _ invoicing.CRM) error {
			_, err := a.Terms(ctx)
			return err
		}},
		{"users", 1, 24 * time.Hour, func(ctx context.Context, _ invoicing.Accounting, c invoicing.CRM) error {
			_, err := c.Users(ctx)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 0)
			ctx := context.Background()
			refs, clk := newMemRefs(), cacheClock()
			requests := func() int { return w.qb.requests() + w.pd.requests() }
			for _, step := range []struct {
				after time.Duration
				want  int
			}{
				{0, tt.requests},               // cold: read
				{tt.lifetime - time.Second, 0}, // fresh, even in another process
				{time.Second, tt.requests},     // as old as its lifetime: read again
				{0, 0},
			} {
				clk.Advance(step.after)
				// A new cache and new adapters each time, as a new CLI process has.
				cache := NewReferenceCache(refs, clk.Now)
				acct := NewCachedAccounting(w.qb.acct, cache)
				crm := NewCachedCRM(NewPipedrive(newPipedriveClient(t, w.pd.srv.URL), Options{}), cache)
				before := requests()
				if err := tt.read(ctx, acct, crm); err != nil {
					t.Fatal(err)
				}
				if got := requests() - before; got != step.want {
					t.Errorf("at %v: %d request(s), want %d", clk.Now(), got, step.want)
				}
			}
		})
	}
}

// TestCachedReferenceDataIsTheProvidersAnswer: what a later process gets from the cache is what the
// provider answered, and something added in QuickBooks shows once the list's lifetime has passed.
func TestCachedReferenceDataIsTheProvidersAnswer(t *testing.T) {
	w := newWorld(t, 0)
	ctx, clk := context.Background(), cacheClock()
	refs := newMemRefs()
	direct, err := w.qb.acct.Items(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first, err := NewCachedAccounting(w.qb.acct, NewReferenceCache(refs, clk.Now)).Items(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.qb.fake.AddItem(qbofake.Item{Name: "Onboarding workshop", Type: "Service"}); err != nil {
		t.Fatal(err)
	}
	cached, err := NewCachedAccounting(w.qb.acct, NewReferenceCache(refs, clk.Now)).Items(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(first) != fmt.Sprint(direct) || fmt.Sprint(cached) != fmt.Sprint(direct) {
		t.Errorf("items through the cache = %v then %v; want QuickBooks' %v", first, cached, direct)
	}
	clk.Advance(time.Hour)
	later, err := NewCachedAccounting(w.qb.acct, NewReferenceCache(refs, clk.Now)).Items(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(later) != len(direct)+1 || later[len(later)-1].Name != "Onboarding workshop" {
		t.Errorf("items an hour later = %v; want the new item too", later)
	}
}

// TestStaleReferenceDataServesWhileQuickBooksIsOffline: past its lifetime, a list QuickBooks cannot
// be asked for is still served from the cache; with nothing cached the error says offline.
func TestStaleReferenceDataServesWhileQuickBooksIsOffline(t *testing.T) {
	w := newWorld(t, 0)
	ctx, clk := context.Background(), cacheClock()
	refs := newMemRefs()
	want, err := NewCachedAccounting(w.qb.acct, NewReferenceCache(refs, clk.Now)).Terms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	w.qb.fake.Inject(qbofake.Script{Failure: qbofake.ServerError, Times: 1000})
	got, err := NewCachedAccounting(w.qb.acct, NewReferenceCache(refs, clk.Now)).Terms(ctx)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("terms while offline = %v, %v; want the cached %v", got, err, want)
	}
	if _, err := NewCachedAccounting(w.qb.acct, NewReferenceCache(newMemRefs(), clk.Now)).Terms(ctx); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("terms while offline with nothing cached: err = %v, want ErrOffline", err)
	}
}

// TestInvalidReferenceDropsThatList: QuickBooks refusing an invoice for an item it does not have (fault
// 2500 naming ItemRef) drops the cached items, so the next draft reads them; the tax codes stay.
func TestInvalidReferenceDropsThatList(t *testing.T) {
	w := newWorld(t, 0)
	ctx, clk := context.Background(), cacheClock()
	acct := NewCachedAccounting(w.qb.acct, NewReferenceCache(newMemRefs(), clk.Now))
	if _, err := acct.Items(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := acct.TaxCodes(ctx); err != nil {
		t.Fatal(err)
	}
	cust := mustCustomer(t, w.qb, "Acme")
	req := simpleInvoice(w.qb, cust.ID, "")
	req.Lines[0].ItemID = "9999" // an item the cached list may still hold, gone from QuickBooks
	_, err := acct.CreateInvoice(ctx, req, "rid-invalid-item")
	var pe *invoicing.ProviderError
	if !errors.As(err, &pe) || pe.Code != "2500" {
		t.Fatalf("CreateInvoice with a missing item: err = %v, want fault 2500", err)
	}
	for _, c := range []struct {
		name string
		read func() error
		want int
	}{
		{"items", func() error { _, err := acct.Items(ctx); return err }, 1},
		{"tax codes", func() error { _, err := acct.TaxCodes(ctx); return err }, 0},
	} {
		before := w.qb.requests()
		if err := c.read(); err != nil {
			t.Fatal(err)
		}
		if got := w.qb.requests() - before; got != c.want {
			t.Errorf("%s after the refusal: %d request(s), want %d", c.name, got, c.want)
		}
	}
}

// TestFieldDefinitionsAreKeptBetweenProcesses: a second adapter over the same cache builds the same
// deal bundle without reading the three field lists; the preferences screen's Fields still reads them
// afresh, and keeps what it read.
func TestFieldDefinitionsAreKeptBetweenProcesses(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	deal := seeded{e.data}.richDeal(t)
	ctx := context.Background()
	refs := newMemRefs()
	clk := clock.NewManual(time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC))
	fieldReads := func() int {
		return e.fake.Count("GET /api/v2/dealFields") + e.fake.Count("GET /api/v2/organizationFields") + e.fake.Count("GET /api/v2/personFields")
	}
	process := func() *CachedCRM {
		return NewCachedCRM(NewPipedrive(newPipedriveClient(t, e.srv.URL), Options{}), NewReferenceCache(refs, clk.Now))
	}
	first, err := process().DealBundle(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fieldReads() != 3 {
		t.Fatalf("first bundle read the field lists %d times, want 3", fieldReads())
	}
	second, err := process().DealBundle(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fieldReads() != 3 {
		t.Errorf("second process read the field lists again (%d reads in all)", fieldReads())
	}
	if g, w := bundleText(second), bundleText(first); g != w {
		t.Errorf("bundle from cached field definitions:\n got %s\nwant %s", g, w)
	}
	fields, err := process().Fields(ctx)
	if err != nil || len(fields) == 0 {
		t.Fatalf("Fields = %v, %v", fields, err)
	}
	if fieldReads() != 6 {
		t.Errorf("Fields read the field lists %d times in all, want 6 (afresh)", fieldReads())
	}
	clk.Advance(24 * time.Hour)
	if _, err := process().DealBundle(ctx, deal.ID); err != nil {
		t.Fatal(err)
	}
	if fieldReads() != 9 {
		t.Errorf("a day after Fields, the bundle read the field lists %d times in all, want 9", fieldReads())
	}
}

// bundleText prints a bundle with its organization and person, not their addresses.
func bundleText(b invoicing.DealBundle) string {
	return fmt.Sprintf("%+v %+v %+v %+v %+v %+v", b.Deal, b.DealFields, *b.Organization, *b.Person, b.Products, b.Discounts)
}

// cacheClock is the cache's own clock, so moving it ages the cache and not the fakes' tokens.
func cacheClock() *clock.Manual {
	return clock.NewManual(time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC))
}
