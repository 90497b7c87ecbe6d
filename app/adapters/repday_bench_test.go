package adapters

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/app/invoicing/invoicingtest"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
	"dealbooks/internal/clock"
)

// The rep's day of issue 14's budget: at most 1,500 Pipedrive tokens for a start, a deal listing, 50
// invoices drafted and created, a refresh every 15 minutes for 8 hours and the status written back for
// 20 payments.
const (
	dayDrafts       = 50
	dayNoProducts   = 2 // of the drafts, deals with a value but no products
	dayPayments     = 20
	dayRefreshEvery = 15 * time.Minute
	// dayDealListingEvery is app/ui's dealListingEvery: the window's background pass lists the deals at its
	// first pass and then once this long has passed since the last listing (Get new deals included).
	dayDealListingEvery = time.Hour
	dayLength           = 8 * time.Hour
	dayOvernight        = 10 // deals a teammate changed since yesterday's last listing
	dayTeamChanges      = 2  // deals a teammate changes each hour of the day
)

// Phases of the day, as BenchmarkRepDay reports them.
const (
	phaseStart      = "start"
	phaseList       = "list"
	phaseDrafts     = "drafts"
	phaseCreates    = "creates"
	phaseRefreshes  = "refreshes"
	phaseWriteBacks = "write-backs"
)

var dayPhases = []string{phaseStart, phaseList, phaseDrafts, phaseCreates, phaseRefreshes, phaseWriteBacks}

// dayTally is what a day spent of Pipedrive's daily token budget, by phase and by route.
type dayTally struct {
	phase      map[string]int
	route      map[string]int // route → tokens, over the whole day
	calls      map[string]int // route → requests
	requests   int
	notes      int // status notes written back (PUT /api/v1/notes/{id})
	dealField  int // tokens of deal field writes measured (PATCH /api/v2/deals/{id}, at creates and refreshes)
	discounted int // drafted deals that have a deal-level discount in Pipedrive
}

// BenchmarkRepDay plays issue 14's rep's day through the real Service, adapters and clients against
// pipedrivefake and qbofake, on the pair's SQLite store, as the window wires them (accounts.Service): a
// company of 300 deals the rep's Dealbooks listed yesterday (its reference data read yesterday at 9:00,
// so today is past its 24-hour lifetime), with deals changed overnight and during the day by teammates.
//
//   - start (9:00): the window opening — the company's name again (GET /v1/users/me), the deal owners
//     (users), and the first background pass: queued invoices, the invoices' refresh, the deal changes;
//   - list (9:02): Get new deals;
//   - drafts and creates: 50 distinct deals (won deals of the list in a fixed random order, two of them
//     with no products), one every 9 minutes from 9:05, each drafted and created with a deal note;
//     an organization without a customer gets a new one (and the team's customer field on the
//     organization), one the team linked already is used as linked;
//   - refreshes: the background pass every 15 minutes until 17:00 (32 passes), listing the deals once
//     dayDealListingEvery has passed since the last listing (7 times: 10:15 to 16:15, Get new deals at 9:02
//     having restarted the hour);
//   - write-backs: 20 of the invoices paid in QuickBooks from 13:00, every 10 minutes; the next pass
//     updates their deal notes in place.
//
// Each op is a new day over new fakes. Metrics are Pipedrive tokens (pipedrivefake's x-token-cost
// accounting): the day in all and by phase. deal-field-tokens is the measured cost of the PATCHes writing
// the deal fields "Invoice status" and "Invoiced amount" (0 unless they are chosen).
//
// Sub-benchmark "default" is the day with the preferences as they come; "deal-fields" the same day with the
// deal fields chosen (added in Pipedrive yesterday from the preferences, as an admin would), measured.
func BenchmarkRepDay(b *testing.B) {
	b.Run("default", func(b *testing.B) { benchRepDay(b, false) })
	b.Run("deal-fields", func(b *testing.B) { benchRepDay(b, true) })
}

func benchRepDay(b *testing.B, dealFields bool) {
	var sum dayTally
	sum.phase, sum.route, sum.calls = map[string]int{}, map[string]int{}, map[string]int{}
	for b.Loop() {
		day := playRepDay(b, dealFields)
		for k, v := range day.phase {
			sum.phase[k] += v
		}
		for k, v := range day.route {
			sum.route[k] += v
		}
		for k, v := range day.calls {
			sum.calls[k] += v
		}
		sum.requests += day.requests
		sum.notes += day.notes
		sum.dealField += day.dealField
		sum.discounted += day.discounted
	}
	n := float64(b.N)
	total := 0
	for _, p := range dayPhases {
		total += sum.phase[p]
		b.ReportMetric(float64(sum.phase[p])/n, p+"-tokens/op")
	}
	b.ReportMetric(float64(total)/n, "pipedrive-tokens/op")
	b.ReportMetric(float64(sum.requests)/n, "pipedrive-requests/op")
	b.ReportMetric(float64(sum.notes)/n, "status-notes/op")
	b.ReportMetric(float64(sum.dealField)/n, "deal-field-tokens/op")
	b.ReportMetric(float64(sum.calls["GET /api/v2/deals/{id}/discounts"])/n, "discount-reads/op")
	b.ReportMetric(float64(sum.discounted)/n, "deals-with-discount/op")
	routes := slices.SortedFunc(func(yield func(string) bool) {
		for r := range sum.route {
			if !yield(r) {
				return
			}
		}
	}, func(a, c string) int { return cmp.Or(cmp.Compare(sum.route[c], sum.route[a]), cmp.Compare(a, c)) })
	for _, r := range routes {
		b.Logf("%-40s %6.0f tokens a day, %4.0f requests", r, float64(sum.route[r])/n, float64(sum.calls[r])/n)
	}
}

// repDay is one day's world: the fakes on one clock, and the pair's store in dir.
type repDay struct {
	w   *world
	dir string
	log int // requests of the Pipedrive fake already counted
	day dayTally
	// listedAt is when the window last listed the deals (its autoRefresh.dealsListedAt); zero in a new one.
	listedAt time.Time
}

func playRepDay(b *testing.B, dealFields bool) dayTally {
	b.Helper()
	ctx := context.Background()
	yesterday := time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)
	d := &repDay{w: dayWorld(b, yesterday), dir: b.TempDir()}
	d.day.phase, d.day.route, d.day.calls = map[string]int{}, map[string]int{}, map[string]int{}
	w := d.w

	// Yesterday: the rep's Dealbooks listed every deal, read the owners and a draft's reference data at
	// 9:00, and the deal changes and invoices last at 17:00.
	svc, repo := appService(b, w, d.dir, w.clock.Now)
	if _, err := svc.RefreshDeals(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Owners(ctx); err != nil {
		b.Fatal(err)
	}
	if dealFields {
		f, err := svc.CreateDealStatusFields(ctx)
		if err != nil {
			b.Fatal(err)
		}
		p, err := svc.Preferences(ctx)
		if err != nil {
			b.Fatal(err)
		}
		p.DealFields = f
		if err := svc.SavePreferences(ctx, p, nil); err != nil {
			b.Fatal(err)
		}
		// appService gives each new process the world's preferences: they choose the fields too.
		if err := w.repo.SavePreferences(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	listed, err := repo.Deals(ctx, invoicing.DealQuery{Statuses: []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon}})
	if err != nil {
		b.Fatal(err)
	}
	chosen := dayDeals(b, w, listed)
	linkHalfTheOrganizations(b, w, chosen)
	for _, id := range chosen {
		if len(seeded{w.pd.data}.discounts(id)) > 0 {
			d.day.discounted++
		}
	}
	if _, err := svc.BuildDraft(ctx, listed[len(listed)-1].ID); err != nil { // a deal not drafted today
		b.Fatal(err)
	}
	setClock(w.clock, yesterday.Add(8*time.Hour))
	d.pass(b, svc)
	r := rand.New(rand.NewPCG(14, 2026))
	setClock(w.clock, yesterday.Add(11*time.Hour))
	d.teammateChanges(b, r, listed, dayOvernight)
	d.skip()

	// Today.
	start := yesterday.Add(24 * time.Hour)
	setClock(w.clock, start)
	svc, _ = appService(b, w, d.dir, w.clock.Now) // a new process over the same store
	d.listedAt = time.Time{}
	d.measure(phaseStart, func() {
		if _, err := newPipedriveClient(b, w.pd.srv.URL).Me(ctx); err != nil { // RefreshNames
			b.Fatal(err)
		}
		if _, err := svc.Owners(ctx); err != nil {
			b.Fatal(err)
		}
		d.pass(b, svc)
	})
	setClock(w.clock, start.Add(2*time.Minute))
	d.measure(phaseList, func() {
		if _, err := svc.RefreshDeals(ctx); err != nil {
			b.Fatal(err)
		}
		d.listedAt = w.clock.Now() // Get new deals restarts the background pass's hour
	})

	type event struct {
		at time.Time
		do func()
	}
	var events []event
	var created []invoicing.Invoice
	var mu sync.Mutex
	for i, id := range chosen {
		events = append(events, event{start.Add(5*time.Minute + time.Duration(i)*9*time.Minute), func() {
			inv := d.draftAndCreate(b, svc, id)
			mu.Lock()
			created = append(created, inv)
			mu.Unlock()
		}})
	}
	for k := range dayPayments {
		events = append(events, event{start.Add(4*time.Hour + time.Duration(k)*10*time.Minute), func() {
			inv := created[k]
			if _, err := w.qb.fake.RecordPayment(inv.ID, inv.Total); err != nil {
				b.Fatal(err)
			}
		}})
	}
	for h := range int(dayLength / time.Hour) {
		events = append(events, event{start.Add(time.Duration(h)*time.Hour + 40*time.Minute), func() {
			d.teammateChanges(b, r, listed, dayTeamChanges)
			d.skip()
		}})
	}
	for at := start.Add(dayRefreshEvery); !at.After(start.Add(dayLength)); at = at.Add(dayRefreshEvery) {
		events = append(events, event{at, func() { d.measure(phaseRefreshes, func() { d.pass(b, svc) }) }})
	}
	slices.SortStableFunc(events, func(a, c event) int { return a.at.Compare(c.at) })
	for _, e := range events {
		setClock(w.clock, e.at)
		e.do()
	}
	if len(created) != dayDrafts {
		b.Fatalf("%d invoices created, want %d", len(created), dayDrafts)
	}
	if d.day.notes != dayPayments {
		b.Errorf("%d status notes written back, want %d (one per payment)", d.day.notes, dayPayments)
	}
	return d.day
}

// dayDeals picks the day's deals from the listed ones: won deals with products in a fixed random order,
// and deals with no products.
func dayDeals(b *testing.B, w *world, listed []invoicing.Deal) []int64 {
	b.Helper()
	s := seeded{w.pd.data}
	var won, bare []int64
	for _, d := range listed {
		switch {
		case len(s.lines(d.ID)) == 0:
			bare = append(bare, d.ID)
		case d.Status == invoicing.DealWon:
			won = append(won, d.ID)
		}
	}
	if len(won) < dayDrafts-dayNoProducts || len(bare) < dayNoProducts {
		b.Fatalf("the seeded company has %d won deals with products and %d without", len(won), len(bare))
	}
	r := rand.New(rand.NewPCG(14, 50))
	r.Shuffle(len(won), func(i, j int) { won[i], won[j] = won[j], won[i] })
	chosen := append(won[:dayDrafts-dayNoProducts:dayDrafts-dayNoProducts], bare[:dayNoProducts]...)
	r.Shuffle(len(chosen), func(i, j int) { chosen[i], chosen[j] = chosen[j], chosen[i] })
	return chosen
}

// linkHalfTheOrganizations links every other organization of the day's deals to a QuickBooks customer in
// the deal's currency, shared on the organization's "QuickBooks customer" field, as the team's earlier
// invoices did (the first link adds the field to the company: a one-off).
func linkHalfTheOrganizations(b *testing.B, w *world, deals []int64) {
	b.Helper()
	ctx := context.Background()
	crm := NewPipedrive(newPipedriveClient(b, w.pd.srv.URL), Options{})
	seen := map[int64]bool{}
	for _, id := range deals {
		deal, _ := w.pd.fake.Deal(id)
		if deal.OrgID == nil || seen[*deal.OrgID] {
			continue
		}
		seen[*deal.OrgID] = true
		if len(seen)%2 == 0 {
			continue
		}
		name := seeded{w.pd.data}.org(*deal.OrgID).Name
		c, err := w.qb.acct.CreateCustomer(ctx, invoicing.NewCustomer{DisplayName: name, Currency: deal.Currency}, fmt.Sprintf("team-%d", *deal.OrgID))
		if err != nil {
			b.Fatal(err)
		}
		if err := crm.ShareCustomer(ctx, *deal.OrgID, c.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// draftAndCreate drafts the deal and creates its invoice, as a rep does in the editor: a customer the
// draft found linked (here or by the team) is used; else an exact match is linked; else a new customer is
// created.
func (d *repDay) draftAndCreate(b *testing.B, svc *invoicing.Service, dealID int64) invoicing.Invoice {
	b.Helper()
	ctx := context.Background()
	var built invoicing.BuiltDraft
	d.measure(phaseDrafts, func() {
		var err error
		if built, err = svc.BuildDraft(ctx, dealID); err != nil {
			b.Fatalf("draft of deal %d: %v", dealID, err)
		}
	})
	var res invoicing.CreateResult
	d.measure(phaseCreates, func() {
		draft := built.Draft
		if draft.Customer.LinkedID == "" && len(built.Matches) > 0 && built.Matches[0].Kind == invoicing.ExactName {
			var err error
			if draft, err = svc.LinkCustomer(ctx, draft, built.Matches[0].Customer.ID); err != nil {
				b.Fatal(err)
			}
		}
		var err error
		if res, err = svc.CreateInvoice(ctx, draft); err != nil || !res.Entry.InQuickBooks() {
			b.Fatalf("invoice of deal %d: %v (%+v)", dealID, err, res.Entry)
		}
	})
	return res.Invoice
}

// pass is one background pass of the window (app/ui/autorefresh.go): the queued invoices, the invoices'
// refresh and, at the window's first pass and then once dayDealListingEvery has passed since the last
// listing, the deal changes (measure counts the status notes and deal fields it writes as write-backs).
func (d *repDay) pass(b *testing.B, svc *invoicing.Service) {
	b.Helper()
	ctx := context.Background()
	started := d.w.clock.Now()
	if _, err := svc.Resume(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	if !d.listedAt.IsZero() && started.Sub(d.listedAt) < dayDealListingEvery {
		return
	}
	if _, err := svc.RefreshDeals(ctx); err != nil {
		b.Fatal(err)
	}
	d.listedAt = started
}

// teammateChanges has teammates change n listed deals in Pipedrive (their titles).
func (d *repDay) teammateChanges(b *testing.B, r *rand.Rand, listed []invoicing.Deal, n int) {
	b.Helper()
	for range n {
		id := listed[r.IntN(len(listed))].ID
		if !d.w.pd.fake.UpdateDeal(id, func(deal *pipedrivefake.Deal) { deal.Title += " (updated)" }) {
			b.Fatalf("deal %d not in the fake", id)
		}
	}
}

// skip leaves the requests so far out of the day's count (yesterday's, and teammates' changes).
func (d *repDay) skip() { d.log = len(d.w.pd.fake.Requests()) }

// measure runs f and adds the Pipedrive tokens of the requests it made to phase; the status notes and deal
// field writes a refresh makes go to the write-backs.
func (d *repDay) measure(phase string, f func()) {
	d.skip()
	f()
	reqs := d.w.pd.fake.Requests()[d.log:]
	d.log += len(reqs)
	for _, r := range reqs {
		if r.Status == http.StatusUnauthorized || r.Status == http.StatusTooManyRequests {
			continue
		}
		cost := pipedrivefake.TokenCost(r.Pattern)
		p := phase
		switch r.Pattern {
		case "PUT /api/v1/notes/{id}":
			p = phaseWriteBacks
			d.day.notes++
		case "PATCH /api/v2/deals/{id}":
			if phase == phaseRefreshes {
				p = phaseWriteBacks
			}
			d.day.dealField += cost
		}
		d.day.phase[p] += cost
		d.day.route[r.Pattern] += cost
		d.day.calls[r.Pattern]++
		d.day.requests++
	}
}

// dayWorld is newWorld with both fakes on one manual clock set at now, and a QuickBooks sign-in that
// renews its hour-long access token as the clock moves, as the app's does.
func dayWorld(b testing.TB, now time.Time) *world {
	b.Helper()
	clk := clock.NewManual(now)
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1})
	pd := pipedrivefake.New(pipedrivefake.Options{Dataset: &data, Now: clk.Now, BurstLimit: 1 << 20})
	pdSrv := httptest.NewServer(pd)
	b.Cleanup(pdSrv.Close)

	qb := qbofake.New(qbofake.Options{Now: clk.Now, Unlimited: true, MultiCurrency: true})
	qbSrv := httptest.NewServer(qb)
	b.Cleanup(qbSrv.Close)
	client, err := quickbooks.New(quickbooks.Config{BaseURL: qbSrv.URL, RealmID: qb.RealmID(),
		TokenSource: &renewingTokens{fake: qb, now: clk.Now}, Clock: clock.Instant{}, RequestsPerMinute: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	w := &world{pd: &pdEnv{fake: pd, srv: pdSrv, data: data, crm: NewPipedrive(newPipedriveClient(b, pdSrv.URL), Options{})},
		qb: &qbEnv{fake: qb, srv: qbSrv, acct: NewQuickBooks(client, Options{})}, repo: invoicingtest.NewRepository(), clock: clk}
	prefs := invoicing.DefaultPreferences()
	prefs.DefaultItemID = qb.DefaultItemID()
	prefs.TaxID = invoicing.FieldRef{Entity: invoicing.EntityOrganization,
		Code: pipedrivefake.FieldCode(data.OrganizationFields, pipedrivefake.FieldTaxID)}
	if err := w.repo.SavePreferences(context.Background(), prefs); err != nil {
		b.Fatal(err)
	}
	return w
}

// renewingTokens issues the QuickBooks fake's tokens again once they are past their expiry on the
// fake's clock.
type renewingTokens struct {
	fake *qbofake.Server
	now  func() time.Time
	mu   sync.Mutex
	tok  *oauth2.Token
}

func (r *renewingTokens) Token() (*oauth2.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tok == nil || !r.now().Before(r.tok.Expiry.Add(-time.Minute)) {
		r.tok = r.fake.IssueTokens()
	}
	if r.tok == nil {
		return nil, fmt.Errorf("the QuickBooks fake issued no token")
	}
	return r.tok, nil
}

// setClock moves the manual clock forward to t.
func setClock(c *clock.Manual, t time.Time) {
	if d := t.Sub(c.Now()); d > 0 {
		c.Advance(d)
	}
}
