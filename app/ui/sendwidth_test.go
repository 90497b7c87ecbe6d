package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
)

// The issue saw the address field of Send by e-mail about 80 px wide; a whole address needs room.
func TestTheSendByEmailFieldIsWideEnoughForAnAddress(t *testing.T) {
	for _, language := range []string{"en", "nl"} {
		svc := sampleService()
		svc.invoices = []invoicing.HistoryItem{openInvoice()}
		m := newScreensWindow(t, svc, &savedFile{})
		if err := m.useLanguage(language); err != nil {
			t.Fatal(err)
		}
		m.build()
		m.tabs.SelectIndex(tabInvoices)
		l := m.invoices.list
		l.list.Select(0)
		test.Tap(l.send)

		if w := l.sendTo.Size().Width; w < 300 {
			t.Errorf("%s: the address field is %.0f px wide, want at least 300", language, w)
		}
	}
}

// Send checks the address with the rule the invoice's own e-mail field uses: QuickBooks needs a dot in the domain.
func TestSendRefusesAnAddressQuickBooksWouldRefuse(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	m := newScreensWindow(t, svc, &savedFile{})
	m.tabs.SelectIndex(tabInvoices)
	l := m.invoices.list
	l.list.Select(0)
	test.Tap(l.send)

	l.sendTo.SetText("finance@acme")
	if err := l.sendTo.Validate(); err == nil || err.Error() != notAnEmail {
		t.Errorf("finance@acme: %v, want %q", err, notAnEmail)
	}
	l.sendTo.SetText("finance@acme.example")
	if err := l.sendTo.Validate(); err != nil {
		t.Errorf("finance@acme.example: %v", err)
	}
}
