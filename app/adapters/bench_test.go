package adapters

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks/qbofake"
)

// latency is the fakes' delay per request in the benchmarks. Elapsed time
// divided by it counts the sequential round trips.
const latency = 50 * time.Millisecond

// reportRoundTrips reports the sequential round trips per op of elapsed.
func reportRoundTrips(b *testing.B, elapsed time.Duration) {
	b.ReportMetric(float64(elapsed)/float64(latency)/float64(b.N), "sequential-roundtrips/op")
}

// BenchmarkDealBundle: a deal's bundle takes two sequential round trips,
// also the first time, when the field definitions are read alongside the deal.
func BenchmarkDealBundle(b *testing.B) {
	for _, cold := range []bool{true, false} {
		b.Run(map[bool]string{true: "cold", false: "warm"}[cold], func(b *testing.B) {
			e := newPipedriveEnv(b, latency)
			deal := seeded{e.data}.richDeal(b)
			ctx := context.Background()
			crm := NewPipedrive(newPipedriveClient(b, e.srv.URL), Options{})
			if _, err := crm.DealBundle(ctx, deal.ID); err != nil {
				b.Fatal(err)
			}
			requests, elapsed := 0, time.Duration(0)
			for b.Loop() {
				if cold {
					crm = NewPipedrive(newPipedriveClient(b, e.srv.URL), Options{})
				}
				before, start := e.requests(), time.Now()
				if _, err := crm.DealBundle(ctx, deal.ID); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				requests += e.requests() - before
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			reportRoundTrips(b, elapsed)
		})
	}
}

// BenchmarkBuildDraft builds a draft through invoicing.Service with fresh
// adapters and a fresh Service each time (nothing cached): the Pipedrive
// bundle and the QuickBooks reads (company, items, tax codes, customers)
// run side by side, two sequential round trips in all.
func BenchmarkBuildDraft(b *testing.B) {
	w := newWorld(b, latency)
	deal := w.usDeal(b)
	ctx := context.Background()
	pdRequests, qbRequests, elapsed := 0, 0, time.Duration(0)
	for b.Loop() {
		svc := invoicing.NewService(invoicing.Config{
			CRM: NewPipedrive(newPipedriveClient(b, w.pd.srv.URL), Options{}), Accounting: w.qb.acct, Repository: w.repo, Now: w.clock.Now})
		pd, qb, start := w.pd.requests(), w.qb.requests(), time.Now()
		if _, err := svc.BuildDraft(ctx, deal.ID); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		pdRequests += w.pd.requests() - pd
		qbRequests += w.qb.requests() - qb
	}
	b.ReportMetric(float64(pdRequests)/float64(b.N), "pipedrive-requests/op")
	b.ReportMetric(float64(qbRequests)/float64(b.N), "quickbooks-requests/op")
	reportRoundTrips(b, elapsed)
}

// BenchmarkCreateInvoice creates invoices through invoicing.Service (no
// deal note): one QuickBooks request for a linked customer, two with a new
// customer; the update toggle adds the customer update and the read of its
// SyncToken before it.
func BenchmarkCreateInvoice(b *testing.B) {
	for _, c := range []struct {
		name           string
		linked, update bool
	}{
		{"linked", true, false},
		{"new-customer", false, false},
		{"linked-update", true, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := newWorld(b, latency)
			ctx := context.Background()
			prefs, _ := w.repo.Preferences(ctx)
			prefs.WriteNote = false
			_ = w.repo.SavePreferences(ctx, prefs)
			built, err := w.svc.BuildDraft(ctx, w.usDeal(b).ID)
			if err != nil {
				b.Fatal(err)
			}
			linked := mustCustomer(b, w.qb, "Linked Customer Inc.")
			requests, writes, elapsed := 0, 0, time.Duration(0)
			i := 0
			for b.Loop() {
				i++
				d := built.Draft
				d.Customer.UpdateInQuickBooks = c.update
				if c.linked {
					d.Customer.LinkedID, d.Customer.LinkedCurrency = linked.ID, "USD"
					d.Customer.Email = fmt.Sprintf("ap%d@example.com", i)
				} else {
					d.Customer.To = fmt.Sprintf("New Customer %d", i)
					d.Customer.Party.ID = int64(100000 + i)
				}
				r, w0, start := w.qb.requests(), w.qb.writes(), time.Now()
				res, err := w.svc.CreateInvoice(ctx, d)
				if err != nil || !res.Entry.InQuickBooks() {
					b.Fatal(res.Entry, err)
				}
				elapsed += time.Since(start)
				requests += w.qb.requests() - r
				writes += w.qb.writes() - w0
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
			reportRoundTrips(b, elapsed)
		})
	}
}

// BenchmarkRefresh1000 refreshes 1,000 cached invoices of which 100 were
// paid since the last refresh, through invoicing.Service (one change data
// capture request), and reads the same 1,000 one by one (ten at a time, the
// client's limit) to compare.
func BenchmarkRefresh1000(b *testing.B) {
	const total, changed = 1000, 100
	w := newWorld(b, 0)
	ctx := context.Background()
	cust := mustCustomer(b, w.qb, "Acme")
	var ids []string
	for range total {
		inv, err := w.qb.fake.AddInvoice(qbofake.Invoice{CustomerRef: &qbofake.Ref{Value: cust.ID},
			Line: []qbofake.Line{{DetailType: "SalesItemLineDetail", Amount: qbofake.N("100"),
				SalesItemLineDetail: &qbofake.SalesItemLineDetail{ItemRef: &qbofake.Ref{Value: w.qb.fake.DefaultItemID()}}}}})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, inv.ID)
	}
	invs, err := w.qb.acct.InvoicesByIDs(ctx, ids)
	if err != nil {
		b.Fatal(err)
	}
	var cached []invoicing.CachedInvoice
	for _, inv := range invs {
		cached = append(cached, invoicing.CachedInvoice{Invoice: inv, DealID: 1, FetchedAt: w.clock.Now()})
	}
	_ = w.repo.UpsertInvoices(ctx, cached)
	_ = w.repo.SaveSyncState(ctx, invoicing.SyncState{InvoicesSyncedAt: w.clock.Now()})
	w.qb.fake.SetLatency(latency)

	cent := decimal.New(1, -2)
	var refreshRequests, oneByOneRequests int
	var refreshTime, oneByOneTime time.Duration
	for b.Loop() {
		w.clock.Advance(time.Second)
		for _, id := range ids[:changed] {
			if _, err := w.qb.fake.RecordPayment(id, cent); err != nil {
				b.Fatal(err)
			}
		}
		before, start := w.qb.requests(), time.Now()
		res, err := w.svc.Refresh(ctx)
		if err != nil || res.Changed != changed {
			b.Fatal(res.Changed, err)
		}
		refreshTime += time.Since(start)
		refreshRequests += w.qb.requests() - before

		before, start = w.qb.requests(), time.Now()
		readOneByOne(b, w.qb.acct, ids)
		oneByOneTime += time.Since(start)
		oneByOneRequests += w.qb.requests() - before
	}
	n := float64(b.N)
	b.ReportMetric(float64(refreshRequests)/n, "requests/op")
	b.ReportMetric(float64(oneByOneRequests)/n, "one-by-one-requests/op")
	b.ReportMetric(float64(oneByOneRequests)/float64(refreshRequests), "request-ratio")
	b.ReportMetric(float64(oneByOneTime)/float64(refreshTime), "time-ratio")
	reportRoundTrips(b, refreshTime)
}

// readOneByOne reads each invoice with its own request, ten at a time.
func readOneByOne(b *testing.B, acct *QuickBooks, ids []string) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for id := range work {
				if _, err := acct.Invoice(context.Background(), id); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
}

// BenchmarkListDealsPass lists every deal of a generated company page by
// page, with a fresh adapter each time (no names known yet), as the first
// refresh of the deal cache does.
func BenchmarkListDealsPass(b *testing.B) {
	for _, deals := range []int{300, 1200} {
		b.Run(fmt.Sprintf("deals=%d", deals), func(b *testing.B) {
			e := newPipedriveEnvWith(b, pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1, Deals: deals}), 0)
			requests, pages := 0, 0
			for b.Loop() {
				crm := NewPipedrive(newPipedriveClient(b, e.srv.URL), Options{})
				before := e.requests()
				pages += listAllDeals(b, crm)
				requests += e.requests() - before
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(pages)/float64(b.N), "deal-pages/op")
		})
	}
}

// listAllDeals reads every page of deals and returns how many pages there were.
func listAllDeals(t testing.TB, crm *Pipedrive) int {
	t.Helper()
	pages, cursor := 0, ""
	for {
		page, err := crm.ListDeals(context.Background(), invoicing.DealFilter{}, cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if page.Next == "" {
			return pages
		}
		cursor = page.Next
	}
}

// cliService is the Service a new CLI process opens: new adapters and a new Service each time, with
// the reference data in refs (shared between processes, as the pair's store is) when refs is not nil.
func cliService(b testing.TB, w *world, refs ReferenceStore, now func() time.Time) *invoicing.Service {
	var (
		crm  invoicing.CRM        = NewPipedrive(newPipedriveClient(b, w.pd.srv.URL), Options{})
		acct invoicing.Accounting = w.qb.acct
	)
	if refs != nil {
		cache := NewReferenceCache(refs, now)
		crm, acct = NewCachedCRM(crm.(*Pipedrive), cache), NewCachedAccounting(acct, cache)
	}
	return invoicing.NewService(invoicing.Config{CRM: crm, Accounting: acct, Repository: w.repo, Now: w.clock.Now})
}

// BenchmarkDraftCost is `dealbooks invoice draft` as a new process each time: Pipedrive tokens (the
// daily budget) and requests of both services. "uncached" is the service without the reference cache,
// "cold" has an empty cache, "warm" one a previous run filled.
func BenchmarkDraftCost(b *testing.B) {
	for _, mode := range []string{"uncached", "cold", "warm"} {
		b.Run(mode, func(b *testing.B) {
			w := newWorld(b, 0)
			deal := seeded{w.pd.data}.richDeal(b)
			ctx := context.Background()
			clk := cacheClock()
			var refs *memRefs
			tokens, pdRequests, qbRequests := 0, 0, 0
			for b.Loop() {
				switch mode {
				case "cold":
					refs = newMemRefs()
				case "warm":
					if refs == nil {
						refs = newMemRefs()
						if _, err := cliService(b, w, refs, clk.Now).BuildDraft(ctx, deal.ID); err != nil {
							b.Fatal(err)
						}
					}
				}
				var svc *invoicing.Service
				if refs == nil {
					svc = cliService(b, w, nil, nil)
				} else {
					svc = cliService(b, w, refs, clk.Now)
				}
				t0, pd, qb := w.pd.fake.Tokens(), w.pd.requests(), w.qb.requests()
				if _, err := svc.BuildDraft(ctx, deal.ID); err != nil {
					b.Fatal(err)
				}
				tokens += w.pd.fake.Tokens() - t0
				pdRequests += w.pd.requests() - pd
				qbRequests += w.qb.requests() - qb
			}
			n := float64(b.N)
			b.ReportMetric(float64(tokens)/n, "pipedrive-tokens/op")
			b.ReportMetric(float64(pdRequests)/n, "pipedrive-requests/op")
			b.ReportMetric(float64(qbRequests)/n, "quickbooks-requests/op")
		})
	}
}

// BenchmarkCLICreateCost is `dealbooks invoice create` as a new process on a warm reference cache: the
// deal's draft is built, then the invoice created (no deal note). It reports the QuickBooks requests in
// all, the reads among them before the first write, and the writes. "linked-update" asks to update a
// linked customer whose details already match (--update-customer with nothing to change).
func BenchmarkCLICreateCost(b *testing.B) {
	for _, c := range []struct {
		name           string
		linked, update bool
	}{
		{"linked", true, false},
		{"new-customer", false, false},
		{"linked-update", true, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := newWorld(b, 0)
			ctx := context.Background()
			prefs, _ := w.repo.Preferences(ctx)
			prefs.WriteNote = false
			_ = w.repo.SavePreferences(ctx, prefs)
			deal := w.usDeal(b)
			refs, clk := newMemRefs(), cacheClock()
			built, err := cliService(b, w, refs, clk.Now).BuildDraft(ctx, deal.ID) // fills the cache
			if err != nil {
				b.Fatal(err)
			}
			linked := mustCustomer(b, w.qb, "Linked Customer Inc.")
			if c.update {
				linked, err = w.qb.acct.UpdateCustomer(ctx, linked.ID, linked.SyncToken,
					invoicing.CustomerChanges{Email: built.Draft.Customer.Email, Address: built.Draft.Customer.Address,
						TaxID: built.Draft.Customer.TaxID}, "match-draft")
				if err != nil {
					b.Fatal(err)
				}
			}
			requests, readsBeforeWrite, writes := 0, 0, 0
			i := 0
			for b.Loop() {
				i++
				svc := cliService(b, w, refs, clk.Now)
				start := len(w.qb.fake.Requests())
				bd, err := svc.BuildDraft(ctx, deal.ID)
				if err != nil {
					b.Fatal(err)
				}
				d := bd.Draft
				d.Another = true // every op bills the same deal again, as a rep's further invoice would
				d.Customer.UpdateInQuickBooks = c.update
				if c.linked {
					d.Customer.LinkedID, d.Customer.LinkedCurrency = linked.ID, "USD"
				} else {
					d.Customer.LinkedID, d.Customer.LinkedCurrency = "", ""
					d.Customer.To = fmt.Sprintf("New Customer %d", i)
					d.Customer.Party.ID = int64(100000 + i)
				}
				res, err := svc.CreateInvoice(ctx, d)
				if err != nil || !res.Entry.InQuickBooks() {
					b.Fatal(res.Entry, err)
				}
				log := w.qb.fake.Requests()[start:]
				requests += len(log)
				for j, r := range log {
					if r.Method == "POST" {
						writes++
						continue
					}
					if !slices.ContainsFunc(log[:j], func(r qbofake.Request) bool { return r.Method == "POST" }) {
						readsBeforeWrite++
					}
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(requests)/n, "quickbooks-requests/op")
			b.ReportMetric(float64(readsBeforeWrite)/n, "reads-before-write/op")
			b.ReportMetric(float64(writes)/n, "writes/op")
		})
	}
}
