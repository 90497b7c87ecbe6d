package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

func TestAmountsAndDatesFollowTheLanguage(t *testing.T) {
	test.NewTempApp(t)
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = UseLanguage("en") })
	cases := []struct {
		language, amount, currency, want, date string
	}{
		{"en", "1234.5", "EUR", "1,234.50 EUR", "Mar 13, 2026"},
		{"nl", "1234.5", "EUR", "1.234,50 EUR", "13-3-2026"},
		{"en", "-1234567.891", "USD", "-1,234,567.89 USD", "Mar 13, 2026"},
		{"nl", "1234567", "JPY", "1.234.567 JPY", "13-3-2026"}, // the yen has no decimals
		{"en", "999", "EUR", "999.00 EUR", "Mar 13, 2026"},
	}
	for _, c := range cases {
		if err := UseLanguage(c.language); err != nil {
			t.Fatal(err)
		}
		if got := money(testkit.Dec(c.amount), c.currency); got != c.want {
			t.Errorf("%s: %s %s shows as %q, want %q", c.language, c.amount, c.currency, got, c.want)
		}
		if got := dateText(invoicing.NewDate(2026, 3, 13)); got != c.date {
			t.Errorf("%s: 2026-03-13 shows as %q, want %q", c.language, got, c.date)
		}
	}
}

func TestTheLinkedCustomerShowsByName(t *testing.T) {
	svc := sampleService()
	d := svc.built.Draft
	d.DealID = 1
	d.Customer.LinkedID, d.Customer.LinkedCurrency = "50", "EUR"
	svc.drafts = map[int64]invoicing.Draft{1: d}
	svc.invoices = []invoicing.HistoryItem{{Invoice: invoicing.Invoice{ID: "130", DocNumber: "1001", CustomerID: "50",
		CustomerName: "Acme Holding", Currency: "EUR"}}}
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	if want := "Linked to QuickBooks customer Acme Holding"; v.link.Text != want || !customerShows(v.editor, want) {
		t.Errorf("link reads %q, want %q", v.link.Text, want)
	}
}
