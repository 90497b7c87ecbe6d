package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

var testDay = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// twoMadeInQuickBooks are two invoices of the deal's customer made in QuickBooks by hand.
func twoMadeInQuickBooks() []invoicing.Invoice {
	return []invoicing.Invoice{
		{ID: "901", DocNumber: "Q-901", Currency: "EUR", Total: testkit.Dec("1210"), Balance: testkit.Dec("1210"), IssueDate: invoicing.DateOf(testDay)},
		{ID: "900", DocNumber: "Q-900", Currency: "EUR", Total: testkit.Dec("50"), Balance: testkit.Dec("0"), IssueDate: invoicing.DateOf(testDay)},
	}
}

func openLinkDialog(t *testing.T, svc *fakeInvoicing) (*MainWindow, *dealView, *adoptDialog) {
	t.Helper()
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	v.tabs.SelectIndex(dealTabHistory)
	if !v.history.link.Visible() {
		t.Fatal("the deal's history has no button to link an invoice")
	}
	test.Tap(v.history.link)
	a := v.history.adopting
	if a == nil || len(m.dialogs) == 0 || m.dialogs[len(m.dialogs)-1].d != a.d {
		t.Fatal("the link dialog is not open")
	}
	return m, v, a
}

func TestTheLinkDialogListsTheCandidatesAndLinksTheCheckedOnes(t *testing.T) {
	svc := sampleService()
	svc.candidates = invoicing.AdoptCandidates{Invoices: twoMadeInQuickBooks()}
	svc.numbered = []invoicing.Invoice{{ID: "777", DocNumber: "X-777", Currency: "EUR", Total: testkit.Dec("5"), Balance: testkit.Dec("5")}}
	_, v, a := openLinkDialog(t, svc)
	before := len(v.history.history.Items)

	if len(a.checks) != 2 || !strings.HasPrefix(a.checks[0].Text, "Q-901 · ") || !strings.Contains(a.checks[0].Text, "1,210.00 EUR · Open") ||
		!strings.Contains(a.checks[1].Text, "50.00 EUR · Paid") {
		t.Fatalf("the dialog lists %d invoices: %v", len(a.checks), checkTexts(a))
	}
	test.Tap(a.checks[1])
	test.Type(a.number, "X-777")
	a.d.Confirm()

	if want := []string{"900", "777"}; strings.Join(svc.adopted, ",") != strings.Join(want, ",") {
		t.Errorf("linked %v, want %v (the checked one and the one numbered)", svc.adopted, want)
	}
	var listed []string
	for _, it := range v.history.history.Items[before:] {
		listed = append(listed, it.Invoice.DocNumber)
	}
	if len(v.history.history.Items) != before+2 || !strings.Contains(strings.Join(listed, ","), "Q-900") || !strings.Contains(strings.Join(listed, ","), "X-777") {
		t.Errorf("the deal's history lists %v after linking, want Q-900 and X-777 added", listed)
	}
}

func TestCancellingTheLinkDialogChangesNothing(t *testing.T) {
	svc := sampleService()
	svc.candidates = invoicing.AdoptCandidates{Invoices: twoMadeInQuickBooks()}
	m, v, a := openLinkDialog(t, svc)
	before := len(v.history.history.Items)
	test.Tap(a.checks[0])
	m.onEscape() // Esc cancels
	if len(svc.adopted) != 0 || len(v.history.history.Items) != before || len(m.dialogs) != 0 {
		t.Errorf("after Esc: linked %v, history %d→%d, %d dialogs open", svc.adopted, before, len(v.history.history.Items), len(m.dialogs))
	}
}

func TestTheLinkDialogSaysWhyThereIsNothingToCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    invoicing.AdoptCandidates
		says string
	}{
		{"no customer", invoicing.AdoptCandidates{NoCustomer: true}, "not linked to a QuickBooks customer yet"},
		{"none", invoicing.AdoptCandidates{Invoices: []invoicing.Invoice{}}, "has no invoices that are not linked"},
	} {
		svc := sampleService()
		svc.candidates = tc.c
		m, _, a := openLinkDialog(t, svc)
		if len(a.checks) != 0 || !strings.Contains(a.message.Text, tc.says) || a.progress.Visible() {
			t.Errorf("%s: the dialog says %q with %d checks", tc.name, a.message.Text, len(a.checks))
		}
		if m.window.Canvas().Focused() != a.number {
			t.Errorf("%s: the number field has not the focus", tc.name)
		}
	}
}

func checkTexts(a *adoptDialog) []string {
	var out []string
	for _, c := range a.checks {
		out = append(out, c.Text)
	}
	return out
}
