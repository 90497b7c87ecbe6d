package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"

	"dealbooks/app/invoicing"
)

// The status of a voided invoice carries the name of the action that made it, in each language, and in English
// QuickBooks' own word: QuickBooks puts "Voided" before the memo of an invoice it voids (api/quickbooks.md §3.1).
func TestAVoidedInvoiceIsNamedAfterTheVoidAction(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	for _, c := range []struct{ language, action, status string }{
		{"en", "Void", "Voided"},
		{"nl", "Ongeldig maken", "Ongeldig gemaakt"},
	} {
		if err := m.useLanguage(c.language); err != nil {
			t.Fatal(err)
		}
		if got := lang.X("history.void", "Void"); got != c.action {
			t.Errorf("%s: the action reads %q, want %q", c.language, got, c.action)
		}
		if got := statusText(invoicing.Status{State: invoicing.Voided}); got != c.status {
			t.Errorf("%s: a voided invoice reads %q, want %q", c.language, got, c.status)
		}
	}
}
