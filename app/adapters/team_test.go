package adapters

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/app/store"
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
func newTeam(t *testing.T) (*world, teamRep, teamRep) {
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
func (r teamRep) create(t *testing.T, dealID int64) invoicing.CreateResult {
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
	w, a, _ := newTeam(t)
	ctx := context.Background()
	w.pd.fake.DenyFieldChanges()
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
}

func TestTwoRepsShareOneInvoiceOneCustomerAndOneNote(t *testing.T) {
	w, a, b := newTeam(t)
	ctx := context.Background()
	deal := w.usDeal(t)
	res := a.create(t, deal.ID)
	customer := w.qb.fake.Customers()[0].ID
	qbWrites := w.qb.writes()

	// B refreshes once: A's invoice is under the deal, linked to the same customer, nothing created.
	if _, err := b.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cached, err := b.repo.Invoices(ctx, deal.ID)
	if err != nil || len(cached) != 1 || cached[0].Invoice.ID != res.Invoice.ID || cached[0].Invoice.CustomerID != customer {
		t.Fatalf("B's deal holds %+v, %v; want A's invoice %s for customer %s", cached, err, res.Invoice.ID, customer)
	}
	built, err := b.svc.BuildDraft(ctx, deal.ID)
	if err != nil || built.Draft.Customer.LinkedID != customer {
		t.Fatalf("B's draft links %q (%v), want %s", built.Draft.Customer.LinkedID, err, customer)
	}
	if w.qb.writes() != qbWrites {
		t.Errorf("B wrote to QuickBooks")
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
	var onDeal []string
	for _, n := range w.pd.fake.Notes() {
		if n.DealID == deal.ID && strings.Contains(n.Content, w.qb.acct.InvoiceURL(res.Invoice.ID)) {
			onDeal = append(onDeal, n.Content)
		}
	}
	if len(onDeal) != 1 || !strings.Contains(onDeal[0], "<b>Paid</b>") || !strings.Contains(onDeal[0], w.pd.data.Me.Name) {
		t.Fatalf("deal %d has notes %q; want exactly one, showing Paid and naming %s who created it", deal.ID, onDeal, w.pd.data.Me.Name)
	}
	for _, r := range []teamRep{a, b} {
		got, err := r.repo.Invoices(ctx, deal.ID)
		if err != nil || len(got) != 1 || got[0].Status.State != invoicing.Paid {
			t.Errorf("a rep's deal holds %+v, %v; want the invoice paid", got, err)
		}
	}
}
