package invoicing

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"dealbooks/internal/testkit"
)

// existing puts an invoice into QuickBooks as if made there, outside Dealbooks.
func (f *fakeAccounting) existing(inv Invoice) Invoice {
	f.mu.Lock()
	defer f.mu.Unlock()
	inv.SyncToken, inv.UpdatedAt = "0", f.now()
	f.invoices = append(f.invoices, &inv)
	return inv
}

// adoptable puts three invoices made in QuickBooks into the fake: open, paid and e-mailed.
func adoptable(h *harness) []Invoice {
	due := h.svc.today().AddDays(30)
	return []Invoice{
		h.acct.existing(Invoice{ID: "900", DocNumber: "Q-900", CustomerName: "Acme Ltd", Currency: "GBP", DueDate: due, Total: testkit.Dec("100"), Balance: testkit.Dec("100")}),
		h.acct.existing(Invoice{ID: "901", DocNumber: "Q-901", CustomerName: "Acme Ltd", Currency: "GBP", DueDate: due, Total: testkit.Dec("200"), Balance: testkit.Dec("0")}),
		h.acct.existing(Invoice{ID: "902", DocNumber: "Q-902", CustomerName: "Acme Ltd", Currency: "GBP", DueDate: due, Total: testkit.Dec("300"), Balance: testkit.Dec("300"), EmailStatus: "EmailSent"}),
	}
}

func TestAdoptInvoicesShowsThemInTheDealsHistory(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	invs := adoptable(h)

	if err := h.svc.AdoptInvoices(ctx, 42, []string{"900", "901", "902"}); err != nil {
		t.Fatal(err)
	}
	if n := h.acct.count("InvoicesByIDs"); n != 1 {
		t.Errorf("adopting read QuickBooks %d times, want once", n)
	}
	want := map[string]Status{"900": {State: Open}, "901": {State: Paid}, "902": {State: Open, Sent: true}}
	for _, q := range []HistoryQuery{{DealID: 42}, {}} {
		hist, err := h.svc.History(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist.Items) != len(invs) {
			t.Fatalf("history %+v lists %d invoices, want %d", q, len(hist.Items), len(invs))
		}
		for _, it := range hist.Items {
			if it.DealID != 42 || it.Status != want[it.Invoice.ID] || !it.FetchedAt.Equal(h.clock.Now()) {
				t.Errorf("history %+v: invoice %s of deal %d is %v fetched %v, want deal 42, %v", q, it.Invoice.ID, it.DealID, it.Status, it.FetchedAt, want[it.Invoice.ID])
			}
		}
		if len(hist.Outstanding) != 1 || !hist.Outstanding[0].Amount.Equal(testkit.Dec("400")) {
			t.Errorf("history %+v: outstanding %v, want 400 GBP", q, hist.Outstanding)
		}
	}
	if hist, _ := h.svc.History(ctx, HistoryQuery{DealID: dealID}); len(hist.Items) != 0 {
		t.Errorf("another deal's history lists %d invoices", len(hist.Items))
	}
}

func TestAdoptInvoicesRefusesInvoicesQuickBooksDoesNotHave(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	adoptable(h)
	h.acct.editInvoice("901", func(inv *Invoice) { inv.Deleted = true })

	err := h.svc.AdoptInvoices(ctx, 42, []string{"900", "901", "77", "77"})
	var unknown *UnknownInvoicesError
	if !errors.As(err, &unknown) || !slices.Equal(unknown.IDs, []string{"901", "77"}) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want an UnknownInvoicesError naming 901 and 77", err)
	}
	if cached, _ := h.repo.Invoices(ctx, 0); len(cached) != 0 {
		t.Errorf("%d invoices were linked although the call was refused", len(cached))
	}
}

func TestAdoptInvoicesMovesAnInvoiceToTheDeal(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	made := h.created(t)
	before, err := h.repo.Invoice(ctx, made.ID)
	if err != nil || before.DealID != dealID || before.NoteID == 0 {
		t.Fatalf("the created invoice is cached as %+v (%v), want deal %d with a note", before, err, dealID)
	}

	// Linked again to its own deal, it keeps the note written for it.
	if err := h.svc.AdoptInvoices(ctx, dealID, []string{made.ID}); err != nil {
		t.Fatal(err)
	}
	if again, _ := h.repo.Invoice(ctx, made.ID); again.NoteID != before.NoteID {
		t.Errorf("relinking lost the note: %d, want %d", again.NoteID, before.NoteID)
	}

	if err := h.svc.AdoptInvoices(ctx, 42, []string{made.ID}); err != nil {
		t.Fatal(err)
	}
	if hist, _ := h.svc.History(ctx, HistoryQuery{DealID: dealID}); len(hist.Items) != 0 {
		t.Errorf("the invoice still shows in deal %d's history", dealID)
	}
	if hist, _ := h.svc.History(ctx, HistoryQuery{DealID: 42}); len(hist.Items) != 1 || hist.Items[0].Invoice.ID != made.ID {
		t.Errorf("deal 42's history = %+v, want invoice %s", hist.Items, made.ID)
	}
}

func TestRefreshFollowsAdoptedInvoices(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	invs := adoptable(h)
	if err := h.svc.AdoptInvoices(ctx, 42, []string{invs[0].ID}); err != nil {
		t.Fatal(err)
	}
	h.acct.pay(invs[0].ID, invs[0].Total, true)

	res, err := h.svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 1 || len(res.NewlyPaid) != 1 || res.NewlyPaid[0].DealID != 42 {
		t.Errorf("refresh = %+v, want the adopted invoice newly paid for deal 42", res)
	}
}

func TestAdoptInvoicesWithNothingToAdopt(t *testing.T) {
	h := newHarness(t)
	if err := h.svc.AdoptInvoices(context.Background(), 42, nil); err != nil {
		t.Fatal(err)
	}
	if n := h.acct.count("InvoicesByIDs"); n != 0 {
		t.Errorf("adopting nothing asked QuickBooks %d times", n)
	}
	if err := h.svc.AdoptInvoices(context.Background(), 0, []string{"1"}); err == nil {
		t.Error("invoices were linked to no deal")
	}
}

func TestAdoptInvoicesOffline(t *testing.T) {
	h := newHarness(t)
	adoptable(h)
	h.acct.setOffline(true)
	if err := h.svc.AdoptInvoices(context.Background(), 42, []string{"900"}); !errors.Is(err, ErrOffline) {
		t.Errorf("err = %v, want ErrOffline", err)
	}
}

// fakeTeam is the CRM of a rep in a team: the seeded fake's deals, with
// notes of company-wide ids that can be rewritten, and deal fields.
type fakeTeam struct {
	*fakeCRM
	me     Rep
	shared map[int64]string // organization id → the team's customer id
	notes  map[int64]teamNote
	fields map[int64]DealInvoiceSummary
	added  int // notes added
}

type teamNote struct {
	deal int64
	html string
}

func newFakeTeam(crm *fakeCRM) *fakeTeam {
	return &fakeTeam{fakeCRM: crm, me: Rep{ID: 11, Name: "Ann Lee", CompanyID: 5}, shared: map[int64]string{},
		notes: map[int64]teamNote{}, fields: map[int64]DealInvoiceSummary{}}
}

func (f *fakeTeam) Me(context.Context) (Rep, error) { return f.me, nil }
func (f *fakeTeam) SharedCustomer(_ context.Context, org int64) (string, bool, error) {
	return f.shared[org], true, nil
}
func (f *fakeTeam) ShareCustomer(_ context.Context, org int64, id string) error {
	f.shared[org] = id
	return nil
}
func (f *fakeTeam) AddNote(ctx context.Context, dealID int64, html string) (int64, error) {
	if err := f.begin(ctx, "AddNote"); err != nil {
		return 0, err
	}
	f.added++
	id := int64(1000 + f.added)
	f.notes[id] = teamNote{dealID, html}
	return id, nil
}
func (f *fakeTeam) DealNotes(ctx context.Context, dealID int64) ([]DealNote, error) {
	if err := f.begin(ctx, "DealNotes"); err != nil {
		return nil, err
	}
	var out []DealNote
	for id, n := range f.notes {
		if n.deal == dealID {
			out = append(out, DealNote{ID: id, HTML: n.html})
		}
	}
	return out, nil
}
func (f *fakeTeam) UpdateNote(ctx context.Context, id int64, html string) error {
	if err := f.begin(ctx, "UpdateNote"); err != nil {
		return err
	}
	n, ok := f.notes[id]
	if !ok {
		return ErrNotFound
	}
	n.html = html
	f.notes[id] = n
	return nil
}
func (f *fakeTeam) Note(_ context.Context, id int64) (DealNote, error) {
	n, ok := f.notes[id]
	if !ok {
		return DealNote{}, ErrNotFound
	}
	return DealNote{ID: id, HTML: n.html}, nil
}
func (f *fakeTeam) AddDealStatusFields(context.Context) (DealStatusFields, error) {
	return DealStatusFields{Status: "st", Amount: "amt"}, nil
}
func (f *fakeTeam) SetDealStatusFields(_ context.Context, dealID int64, _ DealStatusFields, sum DealInvoiceSummary) (bool, error) {
	f.fields[dealID] = sum
	return true, nil
}

// dealNotes returns the notes on the deal.
func (f *fakeTeam) dealNotes(dealID int64) []string {
	var out []string
	for _, n := range f.notes {
		if n.deal == dealID {
			out = append(out, n.html)
		}
	}
	return out
}

// teamHarness is the harness with the rep of a team signed in, deal fields chosen.
func teamHarness(t *testing.T) (*harness, *fakeTeam) {
	h := newHarness(t)
	team := newFakeTeam(h.crm)
	h.repo.prefs.DealFields = DealStatusFields{Status: "st", Amount: "amt"}
	h.svc = NewService(Config{CRM: team, Accounting: h.acct, Repository: h.repo, Files: h.files, Now: h.clock.Now})
	return h, team
}

func TestAdoptingMarksTheInvoiceInQuickBooksAndWritesOneNote(t *testing.T) {
	ctx := context.Background()
	h, team := teamHarness(t)
	adoptable(h)
	h.acct.editInvoice("900", func(inv *Invoice) { inv.PrivateNote = "Agreed by phone" })

	for range 2 { // the second adoption changes nothing in QuickBooks and adds no note
		if err := h.svc.AdoptInvoices(ctx, 42, []string{"900"}); err != nil {
			t.Fatal(err)
		}
	}
	inv := h.acct.invoiceByID("900")
	if want := "Agreed by phone\nDealbooks: pipedrive=5 deal=42"; inv.PrivateNote != want {
		t.Errorf("private note in QuickBooks = %q, want %q", inv.PrivateNote, want)
	}
	if n := h.acct.count("UpdateInvoiceNote"); n != 1 || inv.SyncToken != "2" { // 1 by the edit above
		t.Errorf("the note was written %d times (SyncToken %s), want once", n, inv.SyncToken)
	}
	notes := team.dealNotes(42)
	if len(notes) != 1 || !strings.Contains(notes[0], "Q-900") || !strings.Contains(notes[0], "Linked by Ann Lee in Dealbooks.") {
		t.Errorf("deal 42's notes = %q, want one note for Q-900 naming Ann Lee", notes)
	}
	if sum := team.fields[42]; sum.Status != "Open" || !sum.Amount.Amount.Equal(testkit.Dec("100")) || sum.Amount.Currency != "GBP" {
		t.Errorf("deal 42's fields = %+v, want Open, 100 GBP", sum)
	}
	hist, _ := h.svc.History(ctx, HistoryQuery{DealID: 42})
	if len(hist.Items) != 1 || hist.Items[0].LastChange != (Change{Action: ChangeLinked, By: "Ann Lee"}) {
		t.Errorf("history = %+v, want Q-900 linked by Ann Lee", hist.Items)
	}
}

func TestAdoptingFindsTheDealsNoteBeforeAddingOne(t *testing.T) {
	ctx := context.Background()
	h, team := teamHarness(t)
	adoptable(h)
	// A note for the invoice is on the deal already (an adoption whose answer was lost).
	id, _ := team.AddNote(ctx, 42, `<p>old <a href="`+h.acct.InvoiceURL("901")+`">x</a></p>`)
	if err := h.svc.AdoptInvoices(ctx, 42, []string{"901"}); err != nil {
		t.Fatal(err)
	}
	if notes := team.dealNotes(42); len(notes) != 1 || !strings.Contains(team.notes[id].html, "<b>Paid</b>") {
		t.Errorf("deal 42's notes = %q, want the one note rewritten to Paid", notes)
	}
}

func TestAdoptingMovesAnInvoiceMarkedForAnotherDeal(t *testing.T) {
	ctx := context.Background()
	h, team := teamHarness(t)
	adoptable(h)
	h.acct.editInvoice("902", func(inv *Invoice) {
		inv.PrivateNote = "Voided Dealbooks: pipedrive=5 deal=8 by=12"
	})
	if err := h.svc.AdoptInvoices(ctx, 42, []string{"902"}); err != nil {
		t.Fatal(err)
	}
	if got, want := h.acct.invoiceByID("902").PrivateNote, "Voided\nDealbooks: pipedrive=5 deal=42 by=12"; got != want {
		t.Errorf("private note = %q, want %q (the creator kept, the void prefix kept)", got, want)
	}
	if len(team.dealNotes(42)) != 1 {
		t.Errorf("deal 42 has %d notes, want 1", len(team.dealNotes(42)))
	}
}

func TestAdoptingAnInvoiceChangedMeanwhileReadsItAgain(t *testing.T) {
	ctx := context.Background()
	h, _ := teamHarness(t)
	adoptable(h)
	// Between Dealbooks' read and its write a teammate links it to the same deal.
	once := false
	h.acct.setOnCall("UpdateInvoiceNote", func() {
		if !once {
			once = true
			h.acct.invoiceByID("900").PrivateNote = "Dealbooks: pipedrive=5 deal=42 by=12"
			bump(&h.acct.invoiceByID("900").SyncToken)
		}
	})
	if err := h.svc.AdoptInvoices(ctx, 42, []string{"900"}); err != nil {
		t.Fatal(err)
	}
	if got := h.acct.invoiceByID("900"); got.SyncToken != "1" || got.PrivateNote != "Dealbooks: pipedrive=5 deal=42 by=12" {
		t.Errorf("invoice = token %s note %q, want the teammate's write alone", got.SyncToken, got.PrivateNote)
	}
}

func TestAdoptCandidatesAreTheLinkedCustomersUnmarkedInvoices(t *testing.T) {
	ctx := context.Background()
	h, team := teamHarness(t)
	due := h.svc.today()
	for i, c := range []struct{ id, cust, note string }{
		{"910", "C1", ""}, {"911", "C1", "Dealbooks: pipedrive=5 deal=3"}, {"912", "C2", "call first"}, {"913", "C9", ""},
	} {
		h.acct.existing(Invoice{ID: c.id, DocNumber: "Q-" + c.id, CustomerID: c.cust, PrivateNote: c.note, Currency: "GBP",
			IssueDate: due.AddDays(-10 + i), DueDate: due, Total: testkit.Dec("10"), Balance: testkit.Dec("10")})
	}
	deal := Deal{ID: 42, OrgID: 100, PersonID: 200}
	if got, err := h.svc.AdoptCandidates(ctx, deal); err != nil || !got.NoCustomer || len(got.Invoices) != 0 {
		t.Fatalf("candidates with no customer linked = %+v, %v; want NoCustomer", got, err)
	}
	team.shared[100] = "C1" // the team's link of the organization
	if err := h.repo.SaveCustomerLink(ctx, CustomerLink{Party: PartyRef{EntityPerson, 200}, Currency: "GBP", CustomerID: "C2"}); err != nil {
		t.Fatal(err)
	}
	got, err := h.svc.AdoptCandidates(ctx, deal)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, inv := range got.Invoices {
		ids = append(ids, inv.ID)
	}
	if want := []string{"912", "910"}; !slices.Equal(ids, want) || got.NoCustomer {
		t.Errorf("candidates = %v, want %v (newest first, none marked, none of another customer)", ids, want)
	}
}

func TestInvoicesByNumber(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	adoptable(h)
	got, err := h.svc.InvoicesByNumber(ctx, []string{" Q-901 ", "", "Q-901"})
	if err != nil || len(got) != 1 || got[0].ID != "901" {
		t.Errorf("by number Q-901 = %+v, %v; want invoice 901", got, err)
	}
	_, err = h.svc.InvoicesByNumber(ctx, []string{"Q-900", "Q-77"})
	var unknown *UnknownInvoicesError
	if !errors.As(err, &unknown) || !slices.Equal(unknown.Numbers, []string{"Q-77"}) || !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want an UnknownInvoicesError naming Q-77", err)
	}
}
