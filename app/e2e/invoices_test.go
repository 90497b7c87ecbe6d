package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
)

// createInvoices creates n invoices for the deal through the Service, as the editor does.
func createInvoices(t *testing.T, s *stack, dealID int64, n int) []invoicing.Invoice {
	t.Helper()
	ctx := context.Background()
	var out []invoicing.Invoice
	for range n {
		built, err := s.svc.BuildDraft(ctx, dealID)
		if err != nil {
			t.Fatal(err)
		}
		built.Draft.Another = len(out) > 0 // the deal is billed n times
		res, err := s.svc.CreateInvoice(ctx, built.Draft)
		if err != nil || res.Queued {
			t.Fatalf("create invoice: %v (queued %v)", err, res.Queued)
		}
		out = append(out, res.Invoice)
	}
	return out
}

// Issue 7: a paid-in-QuickBooks invoice shows Paid after Refresh; void and delete from the panel; the
// offline banner with the fakes stopped; the PDF saved.
func TestInvoicesViewAgainstTheFakes(t *testing.T) {
	s := newStack(t)
	deal, _, _ := openDeal(t, s)
	created := createInvoices(t, s, deal.ID, 3)
	paid, voided, deleted := created[0], created[1], created[2]
	s.open(t)
	invoices := openTab(t, content(s), "Invoices")
	l := list(t, invoices)
	// Each row names the rep who created the invoice, and the one who last changed it in Dealbooks (issue 14).
	me := s.data.Me.Name
	by := " · by " + me
	for _, inv := range created {
		if r := rowWith(t, l, inv.DocNumber); !r.has("Open" + by) {
			t.Fatalf("before any change invoice %s shows %q, want Open", inv.DocNumber, r.texts)
		}
	}

	// Paid in QuickBooks, then Refresh: the row says Paid.
	s.clock.Advance(time.Minute)
	if _, err := s.qbo.RecordPayment(paid.ID, paid.Total); err != nil {
		t.Fatal(err)
	}
	test.Tap(button(t, invoices, "Refresh"))
	if r := rowWith(t, l, paid.DocNumber); !r.has("Paid"+by) || !r.has("0.00") {
		t.Errorf("after Refresh the paid invoice shows %q, want Paid with balance 0.00", r.texts)
	}

	// Void asks first, saying what QuickBooks does; confirmed, the row says Voided, QuickBooks' own word.
	test.Tap(rowWith(t, l, voided.DocNumber).tap)
	test.Tap(button(t, invoices, "Void"))
	if !dialogShows(s, "Voiding cannot be undone. QuickBooks keeps the invoice, sets its amounts to zero and puts \"Voided\" at the start of its memo; Dealbooks then lists it as Voided.") {
		t.Fatalf("Void does not ask first; dialogs say %q", dialogTexts(s))
	}
	test.Tap(dialogButton(t, s, "Void"))
	if r := rowWith(t, l, voided.DocNumber); !r.has("Voided" + by + ", voided by " + me) {
		t.Errorf("the voided invoice shows %q, want Voided, by and voided by %s", r.texts, me)
	}
	if inv, ok := s.qbo.Invoice(voided.ID); !ok || !strings.HasPrefix(inv.PrivateNote, "Voided") || !inv.TotalAmt.IsZero() {
		t.Errorf("QuickBooks holds %+v for the voided invoice, want it voided", inv)
	}

	// Delete asks first; confirmed, the row says Deleted and QuickBooks no longer has it.
	test.Tap(rowWith(t, l, deleted.DocNumber).tap)
	test.Tap(button(t, invoices, "Delete"))
	test.Tap(dialogButton(t, s, "Delete"))
	if r := rowWith(t, l, deleted.DocNumber); !r.has("Deleted" + by + ", deleted by " + me) {
		t.Errorf("the deleted invoice shows %q, want Deleted, by and deleted by %s", r.texts, me)
	}
	if _, ok := s.qbo.Invoice(deleted.ID); ok {
		t.Error("QuickBooks still has the deleted invoice")
	}

	// Download PDF saves QuickBooks' PDF where the rep chose.
	test.Tap(rowWith(t, l, paid.DocNumber).tap)
	test.Tap(button(t, invoices, "Download PDF"))
	if pdf := s.saved.data(t); !bytes.HasPrefix(pdf, []byte("%PDF")) || s.saved.name != invoicing.PDFFileName(paid) {
		t.Errorf("saved %q, starting %q; want the PDF of %s", s.saved.name, pdf[:min(8, len(pdf))], paid.DocNumber)
	}
	test.Tap(dialogButton(t, s, "Close")) // the dialog that says where it is saved

	// With the fakes stopped, Refresh shows the offline banner and the rows as cached.
	h, err := s.svc.History(context.Background(), invoicing.HistoryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	s.stopFakes()
	test.Tap(button(t, invoices, "Refresh"))
	want := "Offline — showing data from " + h.UpdatedAt.Local().Format("Jan 2, 2006 15:04") + "." // English dates, as the window writes them
	if !shows(invoices, want) {
		t.Errorf("offline, the Invoices view says %q, want %q", texts(invoices), want)
	}
	if texts := dialogTexts(s); len(texts) > 0 {
		t.Errorf("offline Refresh opened a dialog: %q", texts)
	}
	for inv, state := range map[string]string{paid.DocNumber: "Paid" + by, voided.DocNumber: "Voided" + by + ", voided by " + me,
		deleted.DocNumber: "Deleted" + by + ", deleted by " + me} {
		if r := rowWith(t, l, inv); !r.has(state) {
			t.Errorf("offline, invoice %s shows %q, want %s", inv, r.texts, state)
		}
	}

	// Offline, the PDF downloaded before is still there to save.
	test.Tap(rowWith(t, l, paid.DocNumber).tap)
	test.Tap(button(t, invoices, "Download PDF"))
	if pdf := s.saved.data(t); !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("offline, the PDF saved starts %q", pdf[:min(8, len(pdf))])
	}
}
