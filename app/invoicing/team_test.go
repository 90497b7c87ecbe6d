package invoicing

import (
	"strings"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

func TestDealSummaryOfSeveralInvoices(t *testing.T) {
	today := NewDate(2026, time.November, 20)
	inv := func(id, cur, total, balance string, due Date, note string) CachedInvoice {
		return CachedInvoice{Invoice: Invoice{ID: id, Currency: cur, Total: testkit.Dec(total), Balance: testkit.Dec(balance),
			DueDate: due, PrivateNote: note}}
	}
	later := NewDate(2026, time.December, 1)
	past := NewDate(2026, time.November, 10)
	for _, c := range []struct {
		name       string
		invs       []CachedInvoice
		status     string
		amount     string
		currency   string
		noInvoices bool
	}{
		{"one open", []CachedInvoice{inv("7", "USD", "100.00", "100.00", later, "")}, "Open", "100", "USD", false},
		// QuickBooks id 10 was created after id 9: it is the latest, though "10" < "9" as text.
		{"the latest decides the status, every live invoice counts",
			[]CachedInvoice{inv("9", "USD", "100.00", "0", later, ""), inv("10", "USD", "50.50", "20.50", later, "")},
			"Partially paid", "150.5", "USD", false},
		{"a voided invoice adds nothing", []CachedInvoice{inv("9", "USD", "100.00", "0", later, ""),
			inv("10", "USD", "0", "0", later, "Voided")}, "Voided", "100", "USD", false},
		{"overdue", []CachedInvoice{inv("3", "EUR", "80.00", "80.00", past, "")}, "Overdue", "80", "EUR", false},
		{"another currency is left out", []CachedInvoice{inv("3", "EUR", "80.00", "0", past, ""),
			inv("4", "USD", "10.00", "10.00", later, "")}, "Open", "10", "USD", false},
		{"no invoices", nil, "", "0", "", true},
	} {
		got, ok := dealSummary(c.invs, today)
		if ok == c.noInvoices {
			t.Errorf("%s: ok = %v", c.name, ok)
			continue
		}
		if got.Status != c.status || !got.Amount.Amount.Equal(testkit.Dec(c.amount)) || got.Amount.Currency != c.currency {
			t.Errorf("%s: summary = %q %s %s, want %q %s %s", c.name, got.Status, got.Amount.Amount, got.Amount.Currency, c.status, c.amount, c.currency)
		}
	}
}

func TestDealStatusWords(t *testing.T) {
	for _, c := range []struct {
		st   Status
		want string
	}{
		{Status{State: Open}, "Open"},
		{Status{State: Open, Sent: true}, "Sent"},
		{Status{State: Open, Sent: true, Overdue: true}, "Overdue"},
		{Status{State: PartiallyPaid, Sent: true}, "Partially paid"},
		{Status{State: Paid, Sent: true}, "Paid"},
		{Status{State: Voided}, "Voided"},
		{Status{State: Deleted}, "Deleted"},
	} {
		if got := dealStatusWord(c.st); got != c.want {
			t.Errorf("dealStatusWord(%+v) = %q, want %q", c.st, got, c.want)
		}
	}
}

func TestTheNoteNamesTheRepsAndIsReadBack(t *testing.T) {
	inv := Invoice{ID: "12", DocNumber: "1001", Currency: "USD", Total: testkit.Dec("10"), Balance: testkit.Dec("10")}
	for _, ch := range []Change{
		{Action: ChangeSent, By: "Ann <Lee> & Co."},
		{Action: ChangeVoided, By: "J. R. Smith"},
		{Action: ChangeDeleted, By: "Bo"},
	} {
		note := statusNote(inv, Status{State: Open}, "https://qb/12", "Ann Lee", ch)
		if !strings.Contains(note, "Created by Ann Lee in Dealbooks.") {
			t.Errorf("note %q does not name its creator", note)
		}
		if got, ok := parseChange(note); !ok || got != ch {
			t.Errorf("parseChange(%q) = %+v, %v; want %+v", note, got, ok, ch)
		}
	}
	if _, ok := parseChange(statusNote(inv, Status{State: Paid}, "https://qb/12", "Ann Lee", Change{})); ok {
		t.Error("a note that names no change reads back as one")
	}
}
