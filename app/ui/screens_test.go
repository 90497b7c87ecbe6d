package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
	"dealbooks/internal/clock"
	"dealbooks/internal/testkit"
)

// openEditor picks the Acme deal in the picker and returns its editor.
func openEditor(t *testing.T, m *MainWindow) *dealView {
	t.Helper()
	p := m.deals.picker
	test.Type(p.search, "acme")
	if len(p.shown) != 1 {
		t.Fatalf("typing acme lists %d deals, want 1", len(p.shown))
	}
	p.list.Select(0)
	if m.deals.deal == nil {
		t.Fatal("choosing a deal did not open it")
	}
	return m.deals.deal
}

func TestPickerListsOpenAndWonDealsAndFiltersAsTheRepTypes(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	p := m.deals.picker

	rows := rowsOf[*dealRow](p.view)
	if len(rows) != 2 || rows[0].title.Text != "Acme renewal" || rows[0].value.Text != "1,200.00 EUR" || rows[0].status.Text != "Open" ||
		rows[1].title.Text != "Globex rollout" || rows[1].status.Text != "Won" {
		t.Fatalf("picker shows %d rows, first %q %q %q", len(rows), rows[0].title.Text, rows[0].value.Text, rows[0].status.Text)
	}

	p.status.SetSelectedIndex(statusAll)
	if len(p.shown) != 3 {
		t.Errorf("all statuses shows %d deals, want 3", len(p.shown))
	}
	p.owner.SetSelected("Owner 8")
	if len(p.shown) != 1 || p.shown[0].Title != "Globex rollout" {
		t.Errorf("owner 8 shows %v", p.shown)
	}
	p.owner.SetSelectedIndex(0)
	test.Type(p.search, "init")
	if len(p.shown) != 1 || p.shown[0].OrgName != "Initech" {
		t.Errorf("typing init shows %v", p.shown)
	}
}

func TestPickerOwnerFilterNamesTheOwners(t *testing.T) {
	svc := sampleService()
	svc.owners = []invoicing.Owner{{ID: 7, Name: "Sam Rivera"}, {ID: 8, Name: "Alex Morgan"}, {ID: 9, Name: "Jamie Chen"}}
	p := newScreensWindow(t, svc, &savedFile{}).deals.picker

	if got := strings.Join(p.owner.Options, ", "); got != "All owners, Alex Morgan, Sam Rivera" {
		t.Errorf("owner filter lists %s", got)
	}
	p.status.SetSelectedIndex(statusAll)
	p.owner.SetSelected("Sam Rivera")
	if len(p.shown) != 2 || p.shown[0].OwnerID != 7 || p.shown[1].OwnerID != 7 {
		t.Errorf("Sam Rivera's deals: %v", p.shown)
	}

	// Refreshed deals keep the owner the rep chose.
	svc.deals = append(svc.deals, invoicing.Deal{ID: 4, Title: "Hooli trial", Currency: "EUR", Status: invoicing.DealOpen, OwnerID: 5})
	p.setDeals(svc.deals)
	if got := strings.Join(p.owner.Options, ", "); got != "All owners, Alex Morgan, Sam Rivera, Owner 5" {
		t.Errorf("after a refresh the owner filter lists %s", got)
	}
	if p.owner.Selected != "Sam Rivera" || len(p.shown) != 2 {
		t.Errorf("after a refresh %q is chosen and %d deals show", p.owner.Selected, len(p.shown))
	}
}

func TestPickerNamesOwnersOnceOnlineAgain(t *testing.T) {
	svc := sampleService() // offline at first: no owners
	p := newScreensWindow(t, svc, &savedFile{}).deals.picker
	if got := strings.Join(p.owner.Options, ", "); got != "All owners, Owner 7, Owner 8" {
		t.Errorf("offline the owner filter lists %s", got)
	}
	svc.owners = []invoicing.Owner{{ID: 7, Name: "Sam Rivera"}, {ID: 8, Name: "Alex Morgan"}}
	p.onRefresh()
	if got := strings.Join(p.owner.Options, ", "); got != "All owners, Alex Morgan, Sam Rivera" {
		t.Errorf("after getting new deals the owner filter lists %s", got)
	}
}

func TestPickerSearchesPipedriveOnceTheRepStopsTypingWhenTheCacheHasNoMatch(t *testing.T) {
	svc := sampleService()
	svc.found = []invoicing.Deal{{ID: 40, Title: "Zeta expansion", OrgName: "Zeta BV", Currency: "EUR", Value: testkit.Dec("10"), Status: invoicing.DealOpen}}
	m := newScreensWindow(t, svc, &savedFile{})
	p := m.deals.picker
	clk := clock.NewManual(time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC))
	p.after = clk.AfterFunc

	test.Type(p.search, "zet")
	test.Type(p.search, "a")
	if len(svc.searches) != 0 {
		t.Fatalf("searched Pipedrive while the rep was typing: %q", svc.searches)
	}
	if !p.info.Visible() || p.info.Text != "No deals here match; searching Pipedrive…" {
		t.Errorf("info = %q", p.info.Text)
	}
	clk.Advance(searchDelay)
	if len(svc.searches) != 1 || svc.searches[0] != "zeta" {
		t.Fatalf("remote searches = %q, want one for zeta", svc.searches)
	}
	rows := rowsOf[*dealRow](p.view)
	if len(rows) != 1 || rows[0].title.Text != "Zeta expansion" || p.info.Visible() {
		t.Errorf("after the remote search the picker shows %d rows; info visible %v", len(rows), p.info.Visible())
	}
}

func TestPickEditCreateShowsTheInvoiceInTheDealHistory(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	e := v.editor

	if e.to.Text != "Acme Ltd" || e.email.Text != "billing@acme.example" || e.currency.Text != "EUR" || e.issueDate.Text != "2026-03-13" {
		t.Fatalf("editor not pre-filled: to %q email %q currency %q issued %q", e.to.Text, e.email.Text, e.currency.Text, e.issueDate.Text)
	}
	if e.total.Text != "120.00 EUR" {
		t.Errorf("total before editing = %q", e.total.Text)
	}
	if !e.warnings.Visible() || !strings.Contains(e.warnings.Text, "Support plan is a recurring product") {
		t.Errorf("recurring warning = %q", e.warnings.Text)
	}

	e.lines[0].quantity.SetText("3")
	test.Type(e.lines[0].off, "10%")
	if e.lines[0].amount.Text != "270.00 EUR" || e.subtotal.Text != "270.00 EUR" || e.tax.Text != "54.00 EUR" || e.total.Text != "324.00 EUR" {
		t.Errorf("after 3 × 100.00 less 10%%: line %q subtotal %q tax %q total %q", e.lines[0].amount.Text, e.subtotal.Text, e.tax.Text, e.total.Text)
	}

	test.Tap(e.create)

	if len(svc.created) != 1 || !svc.created[0].Lines[0].Quantity.Equal(testkit.Dec("3")) {
		t.Fatalf("created %d invoices: %+v", len(svc.created), svc.created)
	}
	if v.tabs.SelectedIndex() != dealTabHistory {
		t.Error("after creating, the deal view does not show its history")
	}
	rows := rowsOf[*invoiceRow](v.history.list)
	if len(rows) != 1 || rows[0].number.Text != "1001" || rows[0].total.Text != "324.00" || rows[0].status.Text != "Open" {
		t.Fatalf("history shows %d rows", len(rows))
	}
	if len(m.window.Canvas().Overlays().List()) != 0 {
		t.Error("the progress dialog is still open")
	}
}

func TestInvalidDraftIsMarkedInlineAndNothingIsSent(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	e.currency.SetText("")
	e.email.SetText("billing at acme")
	e.lines[0].quantity.SetText("two")
	test.Tap(e.create)

	if len(svc.created) != 0 {
		t.Fatal("an invalid draft was sent")
	}
	for field, want := range map[string]string{
		"currency":       "Enter the currency, such as EUR.",
		"customer.email": "This is not an e-mail address.",
	} {
		if l := e.problems[field]; !l.Visible() || l.Text != want {
			t.Errorf("%s says %q (visible %v), want %q", field, l.Text, l.Visible(), want)
		}
	}
	if l := e.lines[0].problem; !l.Visible() || l.Text != "Enter a number, such as 2 or 19.99." {
		t.Errorf("line problem = %q", l.Text)
	}

	e.currency.SetText("EUR")
	if e.problems["currency"].Visible() {
		t.Error("the currency message stays after the rep fixed it")
	}
}

func TestProviderRefusalKeepsEverythingTyped(t *testing.T) {
	svc := sampleService()
	svc.createErr = &invoicing.ProviderError{Provider: "QuickBooks", Code: "6000", Message: "the customer is inactive"}
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	e := v.editor

	e.to.SetText("Acme Holding")
	e.memo.SetText("Q1 support")
	e.lines[0].price.SetText("125.50")
	test.Tap(e.editorCreateNew())
	test.Tap(e.create)

	if !overlayShows(m, "QuickBooks refused it: the customer is inactive. Correct it and try again.") {
		t.Error("no plain sentence explains the refusal")
	}
	if e.to.Text != "Acme Holding" || e.memo.Text != "Q1 support" || e.lines[0].price.Text != "125.50" || e.total.Text != "150.60 EUR" {
		t.Errorf("input changed after the refusal: to %q memo %q price %q total %q", e.to.Text, e.memo.Text, e.lines[0].price.Text, e.total.Text)
	}
	if v.tabs.SelectedIndex() != dealTabEditor {
		t.Error("the editor was left after a refusal")
	}
}

func TestANameQuickBooksHasOffersThatCustomer(t *testing.T) {
	svc := sampleService()
	svc.createErr = &invoicing.DuplicateNameError{Name: "Acme Holding", ExistingID: "77"}
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	e.to.SetText("Acme Holding")
	test.Tap(e.editorCreateNew())
	test.Tap(e.create)

	if !overlayShows(m, "Acme Holding is already in QuickBooks") {
		t.Fatal("no dialog offers the customer QuickBooks already has")
	}
	test.Tap(dialogButton(t, m, "Use this customer"))
	if e.draft.Customer.LinkedID != "77" || e.to.Text != "Acme Holding" {
		t.Errorf("after choosing the existing customer: linked %q, To %q", e.draft.Customer.LinkedID, e.to.Text)
	}
}

// editorCreateNew returns the "Create new customer" button among the candidates.
func (e *invoiceEditor) editorCreateNew() *widget.Button {
	var found *widget.Button
	walk(e.customer, func(o any) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Create new customer" {
			found = b
		}
	})
	return found
}

func TestLinkAndUnlinkACustomer(t *testing.T) {
	svc := sampleService()
	svc.matches = svc.built.Matches
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	var link *widget.Button
	walk(e.customer, func(o any) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Link" {
			link = b
		}
	})
	test.Tap(link)
	if e.draft.Customer.LinkedID != "58" || !customerShows(e, "Linked to QuickBooks customer Acme Ltd") {
		t.Fatalf("after Link: linked %q", e.draft.Customer.LinkedID)
	}
	var unlink *widget.Button
	walk(e.customer, func(o any) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Unlink" {
			unlink = b
		}
	})
	// Unlink asks first, saying the whole team stops using the customer for the organization.
	test.Tap(unlink)
	top := m.window.Canvas().Overlays().Top()
	for _, want := range []string{"Unlink Acme Ltd from Acme Ltd?", "Every rep's Dealbooks will stop using this customer for Acme Ltd."} {
		if !shows(top, want) {
			t.Errorf("the confirmation does not say %q", want)
		}
	}
	test.Tap(dialogButton(t, m, "Cancel"))
	if e.draft.Customer.LinkedID != "58" || svc.unlinked.Load() != 0 {
		t.Fatalf("Cancel unlinked: linked %q, %d unlinks", e.draft.Customer.LinkedID, svc.unlinked.Load())
	}
	test.Tap(unlink)
	test.Tap(dialogButton(t, m, "Unlink"))
	if e.draft.Customer.LinkedID != "" || !customerShows(e, "QuickBooks may already know this customer. Link one, or create a new customer:") {
		t.Errorf("after Unlink: linked %q", e.draft.Customer.LinkedID)
	}
}

// shows reports whether a label or rich text under root says text.
func shows(root fyne.CanvasObject, text string) bool {
	found := false
	walk(root, func(o any) {
		switch w := o.(type) {
		case *widget.Label:
			found = found || w.Text == text
		case *widget.RichText:
			found = found || w.String() == text
		}
	})
	return found
}

func TestTheDealsHistoryShowsTheCustomerLinkAndUnlinksIt(t *testing.T) {
	svc := sampleService()
	svc.matches = svc.built.Matches
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	if v.link.Text != "Not linked to a QuickBooks customer yet." || !v.unlink.Disabled() {
		t.Errorf("before linking the history says %q (Unlink disabled: %v)", v.link.Text, v.unlink.Disabled())
	}
	v.editor.onLink(invoicing.QBCustomer{ID: "58", DisplayName: "Acme Ltd"})
	v.tabs.SelectIndex(dealTabHistory)
	if v.link.Text != "Linked to QuickBooks customer Acme Ltd" || v.unlink.Disabled() {
		t.Fatalf("after linking the history says %q", v.link.Text)
	}
	test.Tap(v.unlink)
	test.Tap(dialogButton(t, m, "Unlink"))
	if v.editor.draft.Customer.LinkedID != "" || v.link.Text != "Not linked to a QuickBooks customer yet." {
		t.Errorf("Unlink in the history left the draft linked to %q (%q)", v.editor.draft.Customer.LinkedID, v.link.Text)
	}
}

func customerShows(e *invoiceEditor, text string) bool {
	found := false
	walk(e.customer, func(o any) {
		if l, ok := o.(*widget.Label); ok && l.Text == text {
			found = true
		}
	})
	return found
}

func TestOfflineCreateIsShownAsQueued(t *testing.T) {
	svc := sampleService()
	svc.queue = true
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)

	test.Tap(v.editor.create)

	if !overlayShows(m, "QuickBooks cannot be reached now. The invoice waits on this computer and is sent once, when the network is back.") {
		t.Error("the rep is not told the invoice is queued")
	}
	rows := rowsOf[*invoiceRow](v.history.list)
	if len(rows) != 1 || rows[0].status.Text != "Queued" || rows[0].status.Importance != widget.WarningImportance {
		t.Fatalf("history rows = %d", len(rows))
	}
	v.history.list.Select(0)
	if !v.history.void.Disabled() || v.history.reason.Text != "This invoice waits to be sent to QuickBooks; its actions become available once it is there." {
		t.Errorf("queued invoice: void disabled %v, reason %q", v.history.void.Disabled(), v.history.reason.Text)
	}
}

func TestPaidInvoiceShowsPaidAfterRefresh(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	svc.refresh = func(f *fakeInvoicing) error {
		f.invoices[0].Invoice.Balance = testkit.Dec("0")
		f.invoices[0].Status = invoicing.Status{State: invoicing.Paid}
		f.updatedAt = time.Date(2026, 3, 14, 8, 30, 0, 0, time.UTC)
		return nil
	}
	m := newScreensWindow(t, svc, &savedFile{})
	m.tabs.SelectIndex(tabInvoices)
	s := m.invoices

	if s.outstanding.Text != "Outstanding: 240.00 EUR" {
		t.Errorf("outstanding before = %q", s.outstanding.Text)
	}
	test.Tap(s.list.refresh)

	rows := rowsOf[*invoiceRow](s.list.list)
	if len(rows) != 1 || rows[0].status.Text != "Paid" || rows[0].balance.Text != "0.00" || rows[0].status.Importance != widget.SuccessImportance {
		t.Fatalf("after refresh: %d rows, status %q", len(rows), rows[0].status.Text)
	}
	if want := "Updated at " + timeText(svc.updatedAt); s.list.updated.Text != want {
		t.Errorf("updated = %q, want %q", s.list.updated.Text, want)
	}
	if s.outstanding.Text != "Nothing outstanding in this list." {
		t.Errorf("outstanding after = %q", s.outstanding.Text)
	}
	if !s.list.refresh.Visible() || s.list.progress.Visible() || s.list.cancel.Visible() {
		t.Error("the refresh progress stayed")
	}
}

func TestVoidAndDeleteAskFirstThenShowTheNewStatus(t *testing.T) {
	svc := sampleService()
	second := openInvoice()
	second.Invoice.ID, second.Invoice.DocNumber = "131", "1003"
	svc.invoices = []invoicing.HistoryItem{second, openInvoice()}
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	v.tabs.SelectIndex(dealTabHistory)
	h := v.history

	h.list.Select(1)
	test.Tap(h.void)
	if !overlayShows(m, "Voiding cannot be undone. QuickBooks keeps the invoice, sets its amounts to zero and puts \"Voided\" at the start of its memo; Dealbooks then lists it as Voided.") {
		t.Fatal("Void does not ask first")
	}
	test.Tap(overlayButton(t, m, "Void"))
	if len(svc.voided) != 1 || svc.voided[0] != "130" {
		t.Fatalf("voided %q", svc.voided)
	}
	if rows := rowsOf[*invoiceRow](h.list); rows[1].status.Text != "Voided" {
		t.Errorf("voided invoice shows %q", rows[1].status.Text)
	}
	if !h.void.Disabled() || h.remove.Disabled() {
		t.Error("a voided invoice should offer Delete but not Void")
	}

	h.list.Select(0)
	test.Tap(h.remove)
	if !overlayShows(m, "The invoice will be removed from QuickBooks. This cannot be undone.") {
		t.Fatal("Delete does not ask first")
	}
	test.Tap(overlayButton(t, m, "Cancel"))
	if len(svc.deleted) != 0 {
		t.Fatal("deleted although the rep cancelled")
	}
	test.Tap(h.remove)
	test.Tap(overlayButton(t, m, "Delete"))
	if len(svc.deleted) != 1 || svc.deleted[0] != "131" {
		t.Fatalf("deleted %q", svc.deleted)
	}
	if rows := rowsOf[*invoiceRow](h.list); rows[0].status.Text != "Deleted" || h.notice.Text != "Invoice 1003 is deleted." {
		t.Errorf("deleted invoice shows %q; notice %q", rows[0].status.Text, h.notice.Text)
	}
}

func TestOfflineRefreshShowsBannerAndDisablesNetworkActions(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	svc.updatedAt = time.Date(2026, 3, 12, 17, 5, 0, 0, time.UTC)
	svc.refresh = func(*fakeInvoicing) error { return invoicing.ErrOffline }
	m := newScreensWindow(t, svc, &savedFile{})
	m.tabs.SelectIndex(tabInvoices)
	l := m.invoices.list

	test.Tap(l.refresh)
	l.list.Select(0)

	if want := "Offline — showing data from " + timeText(svc.updatedAt) + "."; !l.banner.Visible() || l.banner.Text != want {
		t.Errorf("banner = %q (visible %v), want %q", l.banner.Text, l.banner.Visible(), want)
	}
	for name, b := range map[string]*widget.Button{"Void": l.void, "Delete": l.remove, "Send": l.send, "Open": l.open} {
		if !b.Disabled() {
			t.Errorf("%s is enabled offline", name)
		}
	}
	if l.pdf.Disabled() {
		t.Error("Download PDF is disabled offline, but a cached copy may exist")
	}
	if l.reason.Text != "Offline: voiding, deleting, sending and opening in QuickBooks need the network." {
		t.Errorf("reason = %q", l.reason.Text)
	}

	svc.refresh = nil
	test.Tap(l.refresh)
	if l.banner.Visible() || l.void.Disabled() {
		t.Error("back online, the banner or the disabled actions stayed")
	}
}

func TestDownloadPDFWritesTheBytesUnderASafeName(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	svc.pdfPath = filepath.Join(t.TempDir(), "cached.pdf")
	pdf := []byte("%PDF-1.4 invoice 1002")
	if err := os.WriteFile(svc.pdfPath, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	saved := &savedFile{}
	m := newScreensWindow(t, svc, saved)
	m.tabs.SelectIndex(tabInvoices)
	l := m.invoices.list

	l.list.Select(0)
	test.Tap(l.pdf)

	if want := filepath.Join(saved.dir, "Invoice 1002 Acme Ltd.pdf"); saved.path != want || saved.data(t) != string(pdf) {
		t.Errorf("saved %q at %q, want the PDF at %q", saved.data(t), saved.path, want)
	}
	if texts := overlayTexts(m); !strings.Contains(texts, "The PDF of invoice 1002 is saved.") {
		t.Errorf("after saving, the dialog says %q", texts)
	}
}

func TestSendByEmailUsesTheAddressTheRepTyped(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	m := newScreensWindow(t, svc, &savedFile{})
	m.tabs.SelectIndex(tabInvoices)
	l := m.invoices.list

	l.list.Select(0)
	test.Tap(l.send)
	if l.sendTo.Text != "billing@acme.example" {
		t.Errorf("send dialog proposes %q", l.sendTo.Text)
	}
	l.sendTo.SetText("finance@acme.example")
	test.Tap(overlayButton(t, m, "Send"))
	if len(svc.sentTo) != 1 || svc.sentTo[0] != "finance@acme.example" {
		t.Errorf("sent to %q", svc.sentTo)
	}
}

func TestInvoicesTabFiltersSearchesAndExportsWhatItShows(t *testing.T) {
	svc := sampleService()
	paid := openInvoice()
	paid.Invoice.ID, paid.Invoice.DocNumber, paid.Invoice.CustomerName = "140", "2001", "Globex"
	paid.Invoice.Balance, paid.Status = testkit.Dec("0"), invoicing.Status{State: invoicing.Paid}
	svc.invoices = []invoicing.HistoryItem{paid, openInvoice()}
	saved := &savedFile{}
	m := newScreensWindow(t, svc, saved)
	m.tabs.SelectIndex(tabInvoices)
	s := m.invoices

	s.status.SetSelectedIndex(filterPaid)
	if rows := rowsOf[*invoiceRow](s.list.list); len(rows) != 1 || rows[0].customer.Text != "Globex" {
		t.Fatalf("Paid filter shows %d rows", len(rows))
	}
	s.status.SetSelectedIndex(filterAll)
	test.Type(s.search, "acme")
	if rows := rowsOf[*invoiceRow](s.list.list); len(rows) != 1 || rows[0].number.Text != "1002" {
		t.Fatalf("search acme shows %d rows", len(rows))
	}

	test.Tap(s.export)
	want := "Number,Customer,Issue date,Due date,Total,Balance,Currency,Status\n1002,Acme Ltd,2026-03-01,2026-03-15,240.00,240.00,EUR,Open\n"
	if saved.path != filepath.Join(saved.dir, "Dealbooks invoices.csv") || saved.data(t) != want {
		t.Errorf("exported %q at %q", saved.data(t), saved.path)
	}
}

func TestActionErrorIsOnePlainSentence(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	svc.actionErr = errors.Join(errors.New("delete invoice 1002"), invoicing.ErrPaymentsLinked)
	m := newScreensWindow(t, svc, &savedFile{})
	m.tabs.SelectIndex(tabInvoices)
	l := m.invoices.list

	l.list.Select(0)
	test.Tap(l.remove)
	test.Tap(overlayButton(t, m, "Delete"))
	if !overlayShows(m, "QuickBooks cannot delete an invoice with payments. Void it instead, or remove the payments in QuickBooks first.") {
		t.Error("the refusal is not explained")
	}
}

func TestWithoutAServiceTheTabsShowWhatToDoFirst(t *testing.T) {
	m := newTestWindow(t, &memorySettings{values: map[string]string{}}, "en")
	if m.deals != nil || m.invoices != nil {
		t.Error("screens built without a service")
	}
	m.UseService(sampleService(), nil)
	if m.deals == nil || m.invoices == nil {
		t.Error("UseService did not build the screens")
	}
}

func TestEditorAndHistoryRenderAsBefore(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	test.AssertRendersToMarkup(t, "editor.xml", m.window.Canvas())

	v.tabs.SelectIndex(dealTabHistory)
	v.history.list.Select(0)
	test.AssertRendersToMarkup(t, "history.xml", m.window.Canvas())
}

func TestLeavingADealKeepsTheDraftAndReopeningRestoresIt(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	e.memo.SetText("Q1 support")
	e.lines[0].quantity.SetText("4")

	m.deals.back()
	if d, ok := svc.drafts[1]; !ok || d.Memo != "Q1 support" || !d.Lines[0].Quantity.Equal(testkit.Dec("4")) {
		t.Fatalf("saved draft = %+v", svc.drafts)
	}

	m.deals.picker.list.Select(0)
	e = m.deals.deal.editor
	if e.memo.Text != "Q1 support" || e.lines[0].quantity.Text != "4" || !e.restored.Visible() {
		t.Fatalf("reopened editor: memo %q quantity %q restored note %v", e.memo.Text, e.lines[0].quantity.Text, e.restored.Visible())
	}
	var again *widget.Button
	walk(e.restored, func(o any) {
		if b, ok := o.(*widget.Button); ok {
			again = b
		}
	})
	test.Tap(again)
	if e.memo.Text != "" || e.lines[0].quantity.Text != "1" || e.restored.Visible() {
		t.Errorf("after Start again: memo %q quantity %q", e.memo.Text, e.lines[0].quantity.Text)
	}
}

func TestUSTaxableTickChangesTheTax(t *testing.T) {
	svc := sampleService()
	svc.company.TaxModel = invoicing.TaxUS
	svc.built.Draft.Tax = invoicing.TaxSettings{Model: invoicing.TaxUS, TxnTaxCode: "7", TxnTaxRate: testkit.Dec("8")}
	svc.built.Draft.Lines[0].Taxable = true
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	if e.tax.Text != "8.00 EUR" || e.total.Text != "108.00 EUR" {
		t.Fatalf("taxable line: tax %q total %q", e.tax.Text, e.total.Text)
	}
	test.Tap(e.lines[0].taxable)
	if e.tax.Text != "0.00 EUR" || e.total.Text != "100.00 EUR" {
		t.Errorf("untaxed line: tax %q total %q", e.tax.Text, e.total.Text)
	}
	test.Tap(e.addLine)
	e.lines[1].name.SetText("Setup")
	e.lines[1].price.SetText("50")
	if e.subtotal.Text != "150.00 EUR" {
		t.Errorf("after adding a line: subtotal %q", e.subtotal.Text)
	}
	var remove *widget.Button
	walk(e.lines[0].content, func(o any) {
		if b, ok := o.(*widget.Button); ok {
			remove = b
		}
	})
	test.Tap(remove)
	if len(e.draft.Lines) != 1 || e.draft.Lines[0].Name != "Setup" || e.total.Text != "50.00 EUR" {
		t.Errorf("after removing the first line: %d lines, total %q", len(e.draft.Lines), e.total.Text)
	}
}

func TestChoosingATaxCodeAndItemForALine(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	r := e.lines[0]

	if r.item.Selected != "Services" || r.taxCode.Selected != "VAT high (20%)" {
		t.Fatalf("line shows item %q, tax %q", r.item.Selected, r.taxCode.Selected)
	}
	r.taxCode.SetSelected("VAT low (9%)")
	if e.tax.Text != "9.00 EUR" || e.total.Text != "109.00 EUR" || e.draft.Lines[0].TaxCode != "4" {
		t.Errorf("after choosing 9 %%: tax %q total %q code %q", e.tax.Text, e.total.Text, e.draft.Lines[0].TaxCode)
	}
	r.item.SetSelected("Hardware")
	if e.draft.Lines[0].ItemRef != "6" || svc.itemLinks[21] != "6" {
		t.Errorf("item ref %q, remembered %v", e.draft.Lines[0].ItemRef, svc.itemLinks)
	}
}

func TestSwitchingLanguageKeepsTheDraftAndTranslatesTheScreens(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	svc.invoices[0].Status = invoicing.Status{State: invoicing.PartiallyPaid, Overdue: true}
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	e.memo.SetText("Q1 support")

	m.tabs.SelectIndex(tabSettings)
	m.settings.language.SetSelected("Nederlands")

	if d := svc.drafts[1]; d.Memo != "Q1 support" {
		t.Errorf("draft saved before rebuilding = %+v", svc.drafts)
	}
	m.tabs.SelectIndex(tabInvoices)
	rows := rowsOf[*invoiceRow](m.invoices.list.list)
	if len(rows) != 1 || rows[0].status.Text != "Deels betaald, Te laat" || rows[0].status.Importance != widget.DangerImportance {
		t.Errorf("Dutch status = %q", rows[0].status.Text)
	}
}

func TestCancellingCreateStopsItAndKeepsTheDraft(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	e := v.editor
	e.memo.SetText("Q1 support")
	svc.creating = func(ctx context.Context) error {
		if !overlayShows(m, "Sending the invoice to QuickBooks…") {
			t.Error("no progress is shown while creating")
		}
		test.Tap(overlayButton(t, m, "Cancel"))
		<-ctx.Done()
		return ctx.Err()
	}

	test.Tap(e.create)

	if !overlayShows(m, "Stopped before it finished. Refresh to see what QuickBooks has now.") {
		t.Error("the rep is not told the creation stopped")
	}
	if len(svc.created) != 0 || e.memo.Text != "Q1 support" || v.tabs.SelectedIndex() != dealTabEditor || e.create.Disabled() {
		t.Errorf("after Cancel: created %d, memo %q, create disabled %v", len(svc.created), e.memo.Text, e.create.Disabled())
	}
}

func TestAnInvoiceNumberInUseNamesTheInvoiceThatHasIt(t *testing.T) {
	svc := sampleService()
	svc.createErr = &invoicing.DuplicateNumberError{Number: "1001", ExistingID: "145", ExistingType: "Invoice"}
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	test.Tap(e.editorCreateNew())
	test.Tap(e.create)
	if want := "Invoice number 1001 is already used in QuickBooks, by Invoice 145. Choose another number and try again."; !overlayShows(m, want) {
		t.Errorf("no dialog says %q", want)
	}
}

func TestAnInvoiceChangedInQuickBooksSaysWhatChanged(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	paid := openInvoice().Invoice
	paid.Balance = testkit.Dec("0")
	svc.actionErr = &invoicing.ChangedError{Before: openInvoice().Invoice, After: paid}
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	v.tabs.SelectIndex(dealTabHistory)
	v.history.list.Select(0)
	test.Tap(v.history.void)
	test.Tap(overlayButton(t, m, "Void"))
	if want := "Invoice 1002 changed in QuickBooks meanwhile: it is now Paid, 0.00 EUR to pay (it was Open, Overdue, 240.00 EUR). Check it, then try again."; !overlayShows(m, want) {
		t.Errorf("no dialog says %q", want)
	}
}

func TestOfflineBannerCountsTheQueuedInvoices(t *testing.T) {
	svc := sampleService()
	queued := openInvoice()
	queued.Invoice.ID, queued.OutboxID, queued.Status = "", 4, invoicing.Status{State: invoicing.Queued}
	svc.invoices = []invoicing.HistoryItem{queued, openInvoice()}
	svc.updatedAt = time.Date(2026, 3, 12, 17, 5, 0, 0, time.UTC)
	svc.refresh = func(*fakeInvoicing) error { return invoicing.ErrOffline }
	m := newScreensWindow(t, svc, &savedFile{})
	m.tabs.SelectIndex(tabInvoices)
	l := m.invoices.list

	test.Tap(l.refresh)

	want := "Offline — showing data from " + timeText(svc.updatedAt) + ". 1 invoice(s) wait to be sent; they go out by themselves when the network is back."
	if l.banner.Text != want {
		t.Errorf("banner = %q, want %q", l.banner.Text, want)
	}
}

func TestGettingNewDealsCanBeCancelled(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	p := m.deals.picker
	svc.fetchingDeals = func(ctx context.Context) error {
		if p.refresh.Text != "Cancel" {
			t.Errorf("while fetching, the button reads %q, want Cancel", p.refresh.Text)
		}
		test.Tap(p.refresh) // the rep gives up waiting
		return ctx.Err()
	}
	test.Tap(p.refresh)
	if p.refresh.Text != "Get new deals" || p.info.Visible() {
		t.Errorf("after cancelling: button %q, message %q (visible %v)", p.refresh.Text, p.info.Text, p.info.Visible())
	}
	if len(p.shown) != 2 {
		t.Errorf("after cancelling the picker lists %d deals, want the 2 cached open and won ones", len(p.shown))
	}
}

func TestClosingTheWindowKeepsTheDraft(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	e.memo.SetText("typed just before closing")

	m.onClose()

	if got := svc.drafts[1].Memo; got != "typed just before closing" {
		t.Errorf("draft kept on close has memo %q", got)
	}
}

func TestTheDealDiscountCanBeChangedAndRemoved(t *testing.T) {
	svc := sampleService()
	svc.built.Draft.Discounts = []invoicing.Discount{{Description: "Loyalty", Type: invoicing.DiscountAmount, Value: testkit.Dec("10")}}
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	if e.discount.Text != "10.00 EUR" || e.total.Text != "108.00 EUR" {
		t.Fatalf("with the deal's 10.00 off: discount %q, total %q", e.discount.Text, e.total.Text)
	}
	var value *widget.Entry
	var remove *widget.Button
	walk(e.discountsBox, func(o any) {
		switch o := o.(type) {
		case *textField:
			value = &o.Entry
		case *widget.Button:
			remove = o
		}
	})
	value.SetText("50%")
	if e.discount.Text != "50.00 EUR" || e.total.Text != "60.00 EUR" {
		t.Errorf("with 50%% off the deal: discount %q, total %q", e.discount.Text, e.total.Text)
	}
	value.SetText("half")
	if !e.general.Visible() {
		t.Error("a discount that is not a number or percentage is not flagged")
	}
	test.Tap(remove)
	if len(e.draft.Discounts) != 0 || e.discount.Text != "0.00 EUR" || e.total.Text != "120.00 EUR" || e.general.Visible() {
		t.Errorf("after removing the deal discount: %d discounts, discount %q, total %q, problem %q",
			len(e.draft.Discounts), e.discount.Text, e.total.Text, e.general.Text)
	}
}
