package adapters

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/app/store"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks"
	"dealbooks/internal/clock"
)

// teamRep is one rep's Dealbooks: its own data folder (SQLite file), its
// own Pipedrive sign-in and its own QuickBooks connection, over the fakes
// the whole team shares.
type teamRep struct {
	svc  *invoicing.Service
	repo *store.Repository
	crm  *Pipedrive
	user int64 // Pipedrive user id
}

// newTeam returns the world with two reps: A signed in as the fake's
// default user, B as another user of the same company.
func newTeam(t testing.TB) (*world, teamRep, teamRep) {
	t.Helper()
	w := newWorld(t, 0)
	ctx := context.Background()
	prefs, err := w.repo.Preferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	profile := func(name string, crm *Pipedrive, user int64) teamRep {
		client, err := quickbooks.New(quickbooks.Config{BaseURL: w.qb.srv.URL, RealmID: w.qb.fake.RealmID(),
			TokenSource: oauth2.StaticTokenSource(w.qb.fake.IssueTokens()), Clock: clock.Instant{}, RequestsPerMinute: 1 << 30})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), name, "dealbooks.db")
		svc, repo := storeService(t, path, w.qb.fake.RealmID(), crm, NewQuickBooks(client, Options{}), w.clock.Now)
		if err := repo.SavePreferences(ctx, prefs); err != nil {
			t.Fatal(err)
		}
		return teamRep{svc: svc, repo: repo, crm: crm, user: user}
	}
	other := w.pd.data.Users[1]
	if other.ID == w.pd.data.Me.ID {
		t.Fatal("the seeded company has one user")
	}
	const tokenB = "rep-b-api-token-0123456789"
	if !w.pd.fake.AddUserToken(tokenB, other.ID) {
		t.Fatal("fake refused B's token")
	}
	clientB, err := pipedriveClientWithToken(w.pd.srv.URL, tokenB)
	if err != nil {
		t.Fatal(err)
	}
	return w, profile("a", w.pd.crm, w.pd.data.Me.ID), profile("b", NewPipedrive(clientB, Options{}), other.ID)
}

// create has rep build the deal's draft and create its invoice.
func (r teamRep) create(t testing.TB, dealID int64) invoicing.CreateResult {
	t.Helper()
	ctx := context.Background()
	built, err := r.svc.BuildDraft(ctx, dealID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.svc.CreateInvoice(ctx, built.Draft)
	if err != nil {
		t.Fatal(err)
	}
	if res.Entry.State != invoicing.OutboxDone {
		t.Fatalf("creation stands at %+v", res.Entry)
	}
	return res
}

func TestInvoiceCarriesMarkerNamingCompanyDealAndRep(t *testing.T) {
	w, a, _ := newTeam(t)
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	inv, ok := w.qb.fake.Invoice(res.Invoice.ID)
	if !ok {
		t.Fatal("invoice not in QuickBooks")
	}
	want := "Dealbooks: pipedrive=" + strconv.FormatInt(w.pd.data.Me.CompanyID, 10) + " deal=" + strconv.FormatInt(deal.ID, 10) + " by=" + strconv.FormatInt(a.user, 10)
	if !strings.HasSuffix(inv.PrivateNote, want) {
		t.Errorf("PrivateNote = %q, want it to end with %q", inv.PrivateNote, want)
	}
}

func TestTeammateRefreshFilesInvoiceUnderItsDeal(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	writes, notes := w.qb.writes(), len(w.pd.fake.Notes())

	got, err := b.svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Found != 1 {
		t.Errorf("refresh found %d teammates' invoices, want 1", got.Found)
	}
	cached, err := b.repo.Invoices(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cached) != 1 || cached[0].Invoice.ID != res.Invoice.ID || cached[0].Status.State != invoicing.Open {
		t.Fatalf("B's deal %d holds %+v, want A's invoice %s, open", deal.ID, cached, res.Invoice.ID)
	}
	if w.qb.writes() != writes || len(w.pd.fake.Notes()) != notes {
		t.Errorf("B's refresh wrote to QuickBooks (%d→%d writes) or Pipedrive (%d→%d notes)", writes, w.qb.writes(), notes, len(w.pd.fake.Notes()))
	}
}

func TestVoidedInvoiceWithMarkerStaysVoided(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	if _, err := w.qb.fake.VoidInvoice(res.Invoice.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cached, err := b.repo.Invoices(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cached) != 1 || cached[0].Status.State != invoicing.Voided {
		t.Fatalf("B's deal holds %+v, want the voided invoice", cached)
	}
}

func TestTeammateLinksTheSameCustomerAndUnlinkingClearsItForEveryone(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	deal := w.usDeal(t)
	a.create(t, deal.ID)
	customers := w.qb.fake.Customers()
	if len(customers) != 1 {
		t.Fatalf("QuickBooks holds %d customers after A's invoice", len(customers))
	}
	built, err := b.svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if built.Draft.Customer.LinkedID != customers[0].ID {
		t.Fatalf("B's draft links %q, want A's customer %s without asking", built.Draft.Customer.LinkedID, customers[0].ID)
	}
	if _, err := b.svc.UnlinkCustomer(ctx, built.Draft); err != nil {
		t.Fatal(err)
	}
	again, err := a.svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Draft.Customer.LinkedID != "" {
		t.Errorf("A's draft still links %q after B unlinked it for the team", again.Draft.Customer.LinkedID)
	}
	if len(w.qb.fake.Customers()) != 1 {
		t.Errorf("a customer was created meanwhile")
	}
}

func TestNoOrganizationFieldAndNoRightToAddOneKeepsTheLinkLocally(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	w.pd.fake.DenyFieldChanges(a.user)
	if _, err := a.svc.CreateDealStatusFields(ctx); !errors.As(err, new(*invoicing.SharedFieldError)) ||
		!strings.Contains(err.Error(), "ask a Pipedrive admin") || !strings.Contains(err.Error(), invoicing.InvoiceStatusField) {
		t.Errorf("CreateDealStatusFields without the right to add fields: %v; want what an admin must do", err)
	}
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	if _, ok := w.qb.fake.Invoice(res.Invoice.ID); !ok {
		t.Fatal("the invoice was not created")
	}
	built, err := a.svc.BuildDraft(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	customer := w.qb.fake.Customers()[0].ID
	if built.Draft.Customer.LinkedID != customer {
		t.Fatalf("next draft links %q, want the local link to %s kept", built.Draft.Customer.LinkedID, customer)
	}
	d, err := a.svc.LinkCustomer(ctx, built.Draft, customer)
	var sfe *invoicing.SharedFieldError
	if !errors.As(err, &sfe) || !strings.Contains(err.Error(), "ask a Pipedrive admin") ||
		!strings.Contains(err.Error(), invoicing.SharedCustomerField) {
		t.Fatalf("LinkCustomer error = %v, want one telling what an admin must do", err)
	}
	if d.Customer.LinkedID != customer {
		t.Errorf("draft lost its link: %+v", d.Customer)
	}
	links, err := a.repo.CustomerLinks(ctx, d.Customer.Party)
	if err != nil || len(links) != 1 || links[0].CustomerID != customer {
		t.Errorf("local links = %+v, %v; want the one to %s", links, err, customer)
	}

	// The rest of the team still shares the invoice and its one note, through QuickBooks and the note.
	if _, err := b.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := b.repo.Invoices(ctx, deal.ID); err != nil || len(got) != 1 || got[0].Invoice.ID != res.Invoice.ID {
		t.Fatalf("B's deal holds %+v, %v; want A's invoice", got, err)
	}
	w.clock.Advance(15 * time.Minute)
	if _, err := w.qb.fake.RecordPayment(res.Invoice.ID, res.Invoice.Total); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, r := range []teamRep{a, b} {
		wg.Go(func() {
			if _, err := r.svc.Refresh(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if onDeal := w.invoiceNotes(deal.ID, res.Invoice.ID); len(onDeal) != 1 || !strings.Contains(onDeal[0], "<b>Paid</b>") {
		t.Errorf("deal %d has notes %q; want exactly one, showing Paid", deal.ID, onDeal)
	}
	if len(w.qb.fake.Customers()) != 1 {
		t.Errorf("QuickBooks holds %d customers, want A's one", len(w.qb.fake.Customers()))
	}
}

// chooseDealFields has the admin (rep) add the deal fields "Invoice status" and "Invoiced amount" from
// the preferences, and every rep choose them.
func chooseDealFields(t testing.TB, admin teamRep, reps ...teamRep) invoicing.DealStatusFields {
	t.Helper()
	ctx := context.Background()
	f, err := admin.svc.CreateDealStatusFields(ctx)
	if err != nil || f.Status == "" || f.Amount == "" {
		t.Fatalf("CreateDealStatusFields = %+v, %v", f, err)
	}
	for _, r := range reps {
		p, err := r.svc.Preferences(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p.DealFields = f
		if err := r.svc.SavePreferences(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// invoiceNotes are the contents of the deal's notes that link to the invoice.
func (w *world) invoiceNotes(dealID int64, invoiceID string) []string {
	var out []string
	for _, n := range w.pd.fake.Notes() {
		if n.DealID == dealID && strings.Contains(n.Content, w.qb.acct.InvoiceURL(invoiceID)) {
			out = append(out, n.Content)
		}
	}
	return out
}

// dealFields returns what the deal's status and amount fields hold in Pipedrive, as text.
func (w *world) dealFields(t *testing.T, dealID int64, f invoicing.DealStatusFields) (status, amount string) {
	t.Helper()
	d, ok := w.pd.fake.Deal(dealID)
	if !ok {
		t.Fatalf("deal %d is gone", dealID)
	}
	status, _ = d.CustomFields[f.Status].(string)
	if m, ok := d.CustomFields[f.Amount].(map[string]any); ok {
		amount = fmt.Sprint(m["value"], " ", m["currency"])
	}
	return status, amount
}

func TestTwoRepsShareOneInvoiceOneCustomerAndOneNote(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	fields := chooseDealFields(t, a, a, b)
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	customer := w.qb.fake.Customers()[0].ID
	qbWrites := w.qb.writes()
	total := res.Invoice.Total.String() + " USD" // as QuickBooks computed it
	if status, amount := w.dealFields(t, deal.ID, fields); status != "Open" || amount != total {
		t.Errorf("after A created the invoice the deal's fields say %q, %q; want Open, %s", status, amount, total)
	}
	patches, puts := w.pd.fake.Count("PATCH /api/v2/deals/{id}"), w.pd.fake.Count("PUT /api/v1/notes/{id}")

	// B refreshes once: A's invoice is under the deal, linked to the same customer, nothing created.
	if _, err := b.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cached, err := b.repo.Invoices(ctx, deal.ID)
	if err != nil || len(cached) != 1 || cached[0].Invoice.ID != res.Invoice.ID || cached[0].Invoice.CustomerID != customer {
		t.Fatalf("B's deal holds %+v, %v; want A's invoice %s for customer %s", cached, err, res.Invoice.ID, customer)
	}
	if cached[0].CreatedBy != w.pd.data.Me.Name {
		t.Errorf("B's copy says the invoice was created by %q, want A, %s", cached[0].CreatedBy, w.pd.data.Me.Name)
	}
	built, err := b.svc.BuildDraft(ctx, deal.ID)
	if err != nil || built.Draft.Customer.LinkedID != customer {
		t.Fatalf("B's draft links %q (%v), want %s", built.Draft.Customer.LinkedID, err, customer)
	}
	if w.qb.writes() != qbWrites {
		t.Errorf("B wrote to QuickBooks")
	}
	if w.pd.fake.Count("PATCH /api/v2/deals/{id}") != patches || w.pd.fake.Count("PUT /api/v1/notes/{id}") != puts {
		t.Errorf("B's refresh of an unchanged invoice wrote to the deal or its note")
	}

	// A payment is recorded in QuickBooks; both reps refresh at once.
	w.clock.Advance(15 * time.Minute)
	if _, err := w.qb.fake.RecordPayment(res.Invoice.ID, res.Invoice.Total); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, r := range []teamRep{a, b} {
		wg.Go(func() { _, errs[i] = r.svc.Refresh(ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	onDeal := w.invoiceNotes(deal.ID, res.Invoice.ID)
	if len(onDeal) != 1 || !strings.Contains(onDeal[0], "<b>Paid</b>") || !strings.Contains(onDeal[0], "Created by "+w.pd.data.Me.Name) {
		t.Fatalf("deal %d has notes %q; want exactly one, showing Paid and naming %s who created it", deal.ID, onDeal, w.pd.data.Me.Name)
	}
	if status, amount := w.dealFields(t, deal.ID, fields); status != "Paid" || amount != total {
		t.Errorf("after the payment the deal's fields say %q, %q; want Paid, %s", status, amount, total)
	}
	for _, r := range []teamRep{a, b} {
		got, err := r.repo.Invoices(ctx, deal.ID)
		if err != nil || len(got) != 1 || got[0].Status.State != invoicing.Paid {
			t.Errorf("a rep's deal holds %+v, %v; want the invoice paid", got, err)
		}
	}

	// Refreshing again changes nothing, so nothing is written.
	patches, puts = w.pd.fake.Count("PATCH /api/v2/deals/{id}"), w.pd.fake.Count("PUT /api/v1/notes/{id}")
	w.clock.Advance(15 * time.Minute)
	for _, r := range []teamRep{a, b} {
		if _, err := r.svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if w.pd.fake.Count("PATCH /api/v2/deals/{id}") != patches || w.pd.fake.Count("PUT /api/v1/notes/{id}") != puts {
		t.Errorf("refreshing with nothing changed wrote to Pipedrive")
	}
}

func TestATeammatesRefreshUpdatesTheOneNoteWhenItsCreatorNeverRefreshes(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	fields := chooseDealFields(t, a, b)
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	notes := len(w.pd.fake.Notes())

	// Paid before B ever saw it: B's first refresh finds the note among the deal's notes (one listing).
	w.clock.Advance(15 * time.Minute)
	half := res.Invoice.Total.Div(decimal.NewFromInt(2)).Round(2)
	if _, err := w.qb.fake.RecordPayment(res.Invoice.ID, half); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	onDeal := w.invoiceNotes(deal.ID, res.Invoice.ID)
	if len(w.pd.fake.Notes()) != notes || len(onDeal) != 1 || !strings.Contains(onDeal[0], "<b>Partially paid</b>") {
		t.Fatalf("after B's refresh the deal has notes %q (%d in all, %d before); want A's one note, partially paid", onDeal, len(w.pd.fake.Notes()), notes)
	}
	if status, _ := w.dealFields(t, deal.ID, fields); status != "Partially paid" {
		t.Errorf("the deal's status field says %q, want Partially paid", status)
	}
	if got := w.pd.fake.Count("GET /api/v1/notes"); got != 1 {
		t.Errorf("B listed the deal's notes %d times, want once", got)
	}

	// Paid in full: B knows the note now and reads it alone instead of listing the deal's notes again.
	w.clock.Advance(15 * time.Minute)
	if _, err := w.qb.fake.RecordPayment(res.Invoice.ID, res.Invoice.Total.Sub(half)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	onDeal = w.invoiceNotes(deal.ID, res.Invoice.ID)
	if len(onDeal) != 1 || !strings.Contains(onDeal[0], "<b>Paid</b>") {
		t.Fatalf("after B's second refresh the deal has notes %q; want the one note, paid", onDeal)
	}
	if got := w.pd.fake.Count("GET /api/v1/notes"); got != 1 {
		t.Errorf("B listed the deal's notes %d times, want still once", got)
	}
}

func TestAnActionInDealbooksRewritesTheNoteAtOnceNamingTheRep(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	fields := chooseDealFields(t, a, a, b)
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	if _, err := b.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	bName := w.pd.data.Users[1].Name

	// B sends A's invoice: the note and the fields say so at once, naming B.
	if _, err := b.svc.Send(ctx, res.Invoice.ID, ""); err != nil {
		t.Fatal(err)
	}
	onDeal := w.invoiceNotes(deal.ID, res.Invoice.ID)
	if len(onDeal) != 1 || !strings.Contains(onDeal[0], "<b>Open, Sent</b>") || !strings.Contains(onDeal[0], "Sent by "+bName+" in Dealbooks.") {
		t.Fatalf("after B sent the invoice the deal has notes %q; want one, Open, Sent, sent by %s", onDeal, bName)
	}
	if status, _ := w.dealFields(t, deal.ID, fields); status != "Sent" {
		t.Errorf("after the send the deal's status field says %q, want Sent", status)
	}

	// B voids it: the note and the fields say so at once, naming B.
	if _, err := b.svc.Void(ctx, res.Invoice.ID); err != nil {
		t.Fatal(err)
	}
	onDeal = w.invoiceNotes(deal.ID, res.Invoice.ID)
	want := "Created by " + w.pd.data.Me.Name + " in Dealbooks. Voided by " + bName + " in Dealbooks."
	if len(onDeal) != 1 || !strings.Contains(onDeal[0], "<b>Voided, Sent</b>") || !strings.Contains(onDeal[0], want) {
		t.Fatalf("after B voided the invoice the deal has notes %q; want one, Voided, saying %q", onDeal, want)
	}
	if status, amount := w.dealFields(t, deal.ID, fields); status != "Voided" || amount != "0 USD" {
		t.Errorf("after the void the deal's fields say %q, %q; want Voided, 0 USD (nothing invoiced)", status, amount)
	}
	h, err := b.svc.History(ctx, invoicing.HistoryQuery{DealID: deal.ID})
	if err != nil || len(h.Items) != 1 || h.Items[0].CreatedBy != w.pd.data.Me.Name ||
		h.Items[0].LastChange != (invoicing.Change{Action: invoicing.ChangeVoided, By: bName}) {
		t.Fatalf("B's history = %+v, %v; want created by A, voided by B", h.Items, err)
	}

	// A's refresh learns from the note who voided it, and writes nothing: the note says it all.
	puts := w.pd.fake.Count("PUT /api/v1/notes/{id}")
	w.clock.Advance(15 * time.Minute)
	if _, err := a.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.pd.fake.Count("PUT /api/v1/notes/{id}"); got != puts {
		t.Errorf("A's refresh rewrote the note B had just written (%d → %d writes)", puts, got)
	}
	h, err = a.svc.History(ctx, invoicing.HistoryQuery{DealID: deal.ID})
	if err != nil || len(h.Items) != 1 || h.Items[0].LastChange != (invoicing.Change{Action: invoicing.ChangeVoided, By: bName}) {
		t.Fatalf("A's history = %+v, %v; want voided by B", h.Items, err)
	}
	if onDeal = w.invoiceNotes(deal.ID, res.Invoice.ID); len(onDeal) != 1 || !strings.Contains(onDeal[0], want) {
		t.Errorf("after A's refresh the deal has notes %q", onDeal)
	}
}

// Field definitions are kept a day between runs, yet a field a teammate added meanwhile is found the same
// day: by the next run of the rep who added it, and by a teammate whose kept definitions predate it.
func TestASharedFieldAddedMeanwhileIsFoundTheSameDay(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	org := *w.usDeal(t).OrgID
	run := func(r teamRep, token string) *CachedCRM {
		client, err := pipedriveClientWithToken(w.pd.srv.URL, token)
		if err != nil {
			t.Fatal(err)
		}
		return NewCachedCRM(NewPipedrive(client, Options{}), NewReferenceCache(r.repo, w.clock.Now))
	}
	const tokenB = "rep-b-api-token-0123456789" // as newTeam gave B
	for _, crm := range []*CachedCRM{run(a, pipedrivefake.DefaultAPIToken), run(b, tokenB)} {
		if _, shared, err := crm.SharedCustomer(ctx, org); err != nil || shared {
			t.Fatalf("before any link: shared %v, %v; want no field yet", shared, err)
		}
	}
	if err := run(a, pipedrivefake.DefaultAPIToken).ShareCustomer(ctx, org, "58"); err != nil {
		t.Fatal(err)
	}
	for name, crm := range map[string]*CachedCRM{"A's next run": run(a, pipedrivefake.DefaultAPIToken), "B": run(b, tokenB)} {
		if id, shared, err := crm.SharedCustomer(ctx, org); err != nil || !shared || id != "58" {
			t.Errorf("%s reads %q (shared %v, %v); want customer 58", name, id, shared, err)
		}
	}
}
